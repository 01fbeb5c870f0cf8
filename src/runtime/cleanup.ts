/**
 * The post step's part of the runtime: every container the main step started that still
 * exists is killed and deleted (also when the main step was killed before it could), then the
 * work directory is unmounted and deleted. The work directory must be the action's own (see
 * `ownedTempDir`), and container ids must be the action's; nothing else is touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeChoice } from '../contract.js';
import { ownedTempDir } from '../lib/owned-dirs.js';
import { CONTAINER_ID, RuntimeCli } from './cli.js';
import { findRuntime } from './discover.js';
import { findPrivilege, removeTree, unmountBelow, type Privilege } from './host.js';
import { STATE_DIR, WORK_DIR_PREFIX } from './select.js';

export interface CleanupReport {
  /** Containers that were still there and are now deleted. */
  deleted: string[];
}

/** The ids recorded in state (a JSON array); entries that are not the action's are dropped. */
export function parseContainerIds(value: string): string[] {
  if (!value) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  return Array.isArray(parsed)
    ? parsed.filter((id): id is string => typeof id === 'string' && CONTAINER_ID.test(id))
    : [];
}

/**
 * Deletes the containers `ids` (and any other container in the work directory's runtime
 * state), then the work directory. Throws, deleting nothing more, when a container cannot be
 * deleted or `workDir` is not the action's.
 */
export async function cleanupBuilds(
  workDir: string,
  ids: readonly string[],
  choice: RuntimeChoice,
  runnerTemp: string,
): Promise<CleanupReport> {
  ownedTempDir(workDir, WORK_DIR_PREFIX, runnerTemp);
  const report: CleanupReport = { deleted: [] };
  if (!fs.existsSync(workDir)) return report;
  const stateRoot = path.join(workDir, STATE_DIR);
  const known = new Set(ids.filter((id) => CONTAINER_ID.test(id)));
  if (fs.existsSync(stateRoot)) {
    for (const name of fs.readdirSync(stateRoot)) if (CONTAINER_ID.test(name)) known.add(name);
  }
  const left = [...known].filter((id) => fs.existsSync(path.join(stateRoot, id)));
  // Finding the runtime probes the privilege (`sudo -n true`); without one it is probed below.
  let privilege: Privilege | undefined;
  if (left.length > 0) {
    const runtime = await findRuntime(choice);
    privilege = runtime.privilege;
    const cli = new RuntimeCli(runtime, stateRoot);
    for (const id of left) {
      const result = await cli.delete(id);
      if (fs.existsSync(path.join(stateRoot, id))) {
        throw new Error(
          `Could not delete the container ${id}: ${result.output || 'it is still there'}. Its processes may still run; not deleting ${workDir}.`,
        );
      }
      report.deleted.push(id);
    }
  }
  privilege ??= await findPrivilege();
  if (privilege === undefined) {
    // Without root nothing was mounted or run; what the job's user made, it can delete.
    fs.rmSync(workDir, { recursive: true, force: true });
    return report;
  }
  await unmountBelow(workDir, privilege);
  await removeTree(workDir, privilege);
  return report;
}
