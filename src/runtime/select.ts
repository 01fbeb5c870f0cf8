/**
 * The runtime of the builds: every build is a container of an OCI runtime (runc or crun, see
 * `discover.ts`) with Docker's default profile (`spec.ts`), in a bundle the action writes
 * (`bundle.ts`), started in the foreground (`supervise.ts`), recorded before it starts
 * (`lifecycle.ts`), and deleted with its bundle when it ends.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import type { Inputs } from '../contract.js';
import { assertUnchanged } from '../executor/cache.js';
import { errorMessage } from '../lib/errors.js';
import { checkRunPaths, writeBundle } from './bundle.js';
import { newContainerId, RuntimeCli } from './cli.js';
import { findRuntime, type RunnerProbe } from './discover.js';
import { removeTree } from './host.js';
import { ContainerLedger, type RecordContainers } from './lifecycle.js';
import { dropRootLayer } from './root-layer.js';
import { seccompArch } from './spec.js';
import { supervise } from './supervise.js';
import type { Runtime, RunOutcome, RunSpec } from './types.js';

export type { Runtime, RunOutcome, RunSpec } from './types.js';
export { CONTAINER_CONTEXT, CONTAINER_OUTPUT } from './types.js';

/** The name of the action's work directory under RUNNER_TEMP starts with this. */
export const WORK_DIR_PREFIX = 'kaniko-release-builds-';
/** The runtime's state directory (`--root`) inside the work directory. */
export const STATE_DIR = 'state';

export type RuntimeInputs = Pick<Inputs, 'runtime' | 'caCertificates'> &
  Partial<Pick<Inputs, 'memoryBytes' | 'cpus'>>;

export interface RuntimeOptions {
  /** Receives the ids of every container started, before each starts (the main step saves them). */
  record?: RecordContainers;
  /** What the runner offers (default: probed). */
  probe?: RunnerProbe;
  /** Notes for the log (default: `core.info`). */
  log?: (line: string) => void;
}

/** A fresh work directory under RUNNER_TEMP (mode 0700). */
function makeWorkDir(): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(fs.realpathSync(base), WORK_DIR_PREFIX));
}

/** Finds the runtime (or fails saying what to install) and returns the build stage's `Runtime`. */
export async function selectRuntime(
  inputs: RuntimeInputs,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const arch = seccompArch();
  if (!arch) {
    throw new Error(
      `Builds run on amd64 and arm64 runners; this one is ${process.arch}. Use an x64 or arm64 Linux runner.`,
    );
  }
  const oci = await findRuntime(inputs.runtime, options.probe);
  const log = options.log ?? ((line: string) => core.info(line));
  const workDir = makeWorkDir();
  const stateRoot = path.join(workDir, STATE_DIR);
  fs.mkdirSync(stateRoot, { mode: 0o700 });
  const cli = new RuntimeCli(oci, stateRoot);
  const ledger = new ContainerLedger(cli, options.record);
  let preferOverlay = true;

  const run = async (spec: RunSpec): Promise<RunOutcome> => {
    // Before anything is made: the paths exist, and the executor is the one verified.
    const paths = checkRunPaths(spec);
    assertUnchanged(spec.executor.rootfs, spec.executor.fingerprint);
    const id = newContainerId();
    const bundle = path.join(workDir, id);
    fs.mkdirSync(bundle, { mode: 0o700 });
    let outcome: RunOutcome | undefined;
    let failure: unknown;
    let started = false;
    try {
      const layer = await writeBundle(bundle, spec, paths, {
        privilege: oci.privilege,
        arch,
        caCertificates: inputs.caCertificates,
        memoryBytes: inputs.memoryBytes ?? 0,
        cpus: inputs.cpus ?? 0,
        preferOverlay,
      });
      if (layer.overlayError !== undefined && preferOverlay) {
        preferOverlay = false;
        log(
          `The executor's root cannot be an overlay here (${layer.overlayError}); every build copies it instead, which is slower.`,
        );
      }
      ledger.begin(id);
      started = true;
      outcome = await supervise(cli, id, bundle, path.join(bundle, 'pid'), spec);
    } catch (error) {
      failure = error;
    }
    // A foreground run deletes its container when it ends; one that was killed may not have.
    try {
      if (started && fs.existsSync(path.join(stateRoot, id))) {
        const deleted = await cli.delete(id);
        if (!deleted.ok && fs.existsSync(path.join(stateRoot, id))) {
          throw new Error(`Could not delete the container ${id}: ${deleted.output}`);
        }
      }
      ledger.end(id);
      await dropRootLayer(bundle, oci.privilege);
      await removeTree(bundle, oci.privilege);
    } catch (error) {
      if (failure === undefined) failure = error;
      else log(`Cleaning up after the build failed too: ${errorMessage(error)}`);
    }
    if (failure !== undefined) throw failure;
    return outcome as RunOutcome;
  };

  return { name: oci.name, version: oci.version, workDir, run };
}
