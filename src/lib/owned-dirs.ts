/**
 * The directories the action makes under RUNNER_TEMP, and the check every path read back from
 * step state passes before anything is deleted: an absolute, normalised path directly under
 * RUNNER_TEMP whose name starts with the action's prefix for that kind of directory, and that
 * is a directory, not a link. `..`, `/`, a path elsewhere or a link to elsewhere is refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quote } from './untrusted.js';

const NAME = /^[A-Za-z0-9._-]+$/;

/** A step-state value that does not name a directory of the action; nothing was deleted. */
export class NotOwnedError extends Error {
  constructor(value: string, why: string) {
    super(`Refusing to delete ${quote(value)}: ${why}.`);
    this.name = 'NotOwnedError';
  }
}

/** The parents a directory of the action may have: RUNNER_TEMP as given, and its real path. */
function temps(runnerTemp: string): string[] {
  const given = path.resolve(runnerTemp);
  try {
    return [given, fs.realpathSync(given)];
  } catch {
    return [given];
  }
}

/**
 * `value` when it names a directory of the action (`prefix…` directly under `runnerTemp`);
 * throws a `NotOwnedError` saying why not otherwise. A path that does not exist passes (there
 * is nothing to delete).
 */
export function ownedTempDir(value: string, prefix: string, runnerTemp: string): string {
  if (!runnerTemp) throw new NotOwnedError(value, 'RUNNER_TEMP is not set');
  if (!path.isAbsolute(value)) throw new NotOwnedError(value, 'it is not an absolute path');
  if (path.normalize(value) !== value || value.endsWith('/')) {
    throw new NotOwnedError(value, 'it is not a normalised path');
  }
  if (!temps(runnerTemp).includes(path.dirname(value))) {
    throw new NotOwnedError(value, `it is not directly under RUNNER_TEMP (${runnerTemp})`);
  }
  const name = path.basename(value);
  if (!name.startsWith(prefix) || name.length === prefix.length || !NAME.test(name)) {
    throw new NotOwnedError(value, `its name does not start with the action's '${prefix}'`);
  }
  const st = fs.lstatSync(value, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) {
    throw new NotOwnedError(
      value,
      st.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a directory',
    );
  }
  return value;
}
