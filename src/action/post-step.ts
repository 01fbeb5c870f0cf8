/** The post step: delete what the main step wrote. It only warns, never fails the job. */
import * as core from '@actions/core';
import { State } from '../contract.js';
import { removeBaseCache } from '../build/base-cache.js';
import { removeCredentials } from '../credentials/docker-config.js';
import { errorMessage } from '../lib/errors.js';
import { cleanupSandboxes } from '../runtime/select.js';

export async function runPost(): Promise<void> {
  const credentialsDir = core.getState(State.CredentialsDir);
  if (credentialsDir) {
    try {
      await removeCredentials(credentialsDir);
      core.info('Removed the registry credentials.');
    } catch (error) {
      core.warning(
        `Could not remove the registry credentials in ${credentialsDir}: ${errorMessage(error)}`,
      );
    }
  }
  const baseCacheDir = core.getState(State.BaseCacheDir);
  if (baseCacheDir) {
    try {
      await removeBaseCache(baseCacheDir);
    } catch (error) {
      core.warning(
        `Could not remove the base-image cache in ${baseCacheDir}: ${errorMessage(error)}`,
      );
    }
  }
  const workDir = core.getState(State.WorkDir);
  if (workDir) {
    try {
      await cleanupSandboxes(workDir);
    } catch (error) {
      core.warning(`Could not remove the build sandboxes in ${workDir}: ${errorMessage(error)}`);
    }
  }
}
