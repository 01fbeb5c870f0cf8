/**
 * The post step: stop and delete every container the main step left, then delete what the main
 * step wrote under RUNNER_TEMP — and only that. Every path read back from state is checked
 * first (see `ownedTempDir`); a value that is not the action's is refused with a warning. It
 * only warns, never fails the job.
 */
import * as core from '@actions/core';
import { removeBaseCache } from '../build/base-cache.js';
import { Defaults, Input, State } from '../contract.js';
import { removeCredentials, runnerTemp } from '../credentials/docker-config.js';
import { errorMessage } from '../lib/errors.js';
import { quote } from '../lib/untrusted.js';
import { cleanupBuilds, parseContainerIds } from '../runtime/cleanup.js';
import { parseRuntime } from './build-input-rules.js';

export async function runPost(): Promise<void> {
  const temp = process.env.RUNNER_TEMP ? runnerTemp() : '';
  const credentialsDir = core.getState(State.CredentialsDir);
  if (credentialsDir) {
    try {
      await removeCredentials(credentialsDir);
      core.info('Removed the registry credentials.');
    } catch (error) {
      core.warning(`Did not remove the registry credentials: ${errorMessage(error)}`);
    }
  }
  const baseCacheDir = core.getState(State.BaseCacheDir);
  if (baseCacheDir) {
    try {
      await removeBaseCache(baseCacheDir, temp);
    } catch (error) {
      core.warning(`Did not remove the base-image cache: ${errorMessage(error)}`);
    }
  }
  const workDir = core.getState(State.WorkDir);
  if (workDir) {
    const ids = parseContainerIds(core.getState(State.Containers));
    // The same input as the main step's, so the same runtime binary deletes its containers.
    let choice: string = Defaults.runtime;
    try {
      choice = parseRuntime(core.getInput(Input.Runtime));
    } catch {
      // The main step refused it too, before it started anything.
    }
    try {
      const { deleted } = await cleanupBuilds(workDir, ids, choice, temp);
      if (deleted.length > 0) {
        core.info(
          `Killed and deleted ${deleted.length} container(s) left by the main step: ${deleted.join(', ')}.`,
        );
      }
    } catch (error) {
      core.warning(`Did not remove the build directory ${quote(workDir)}: ${errorMessage(error)}`);
    }
  }
}
