/**
 * The `directories` and `context` inputs checked against the workspace: every named directory
 * must be there, inside the workspace, with its Dockerfile. Used by input validation (so the
 * problems are reported with every other bad input) and by `detect` for direct callers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quote as show } from '../lib/untrusted.js';

/** The real path of `rel` under `root`, `undefined` when missing or outside `root`. */
function inside(root: string, rel: string): string | undefined {
  try {
    const real = fs.realpathSync(path.join(root, rel));
    return real === root || real.startsWith(root + path.sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with each named directory, `[]` when nothing is. */
export function directoryProblems(
  directories: readonly string[],
  dockerfile: string,
  workspace: string,
): string[] {
  const root = fs.realpathSync(workspace);
  const problems: string[] = [];
  for (const dir of directories) {
    const real = inside(root, dir);
    if (real === undefined) {
      problems.push(
        fs.existsSync(path.join(root, dir))
          ? `${show(dir)} leads outside the workspace`
          : `${show(dir)} does not exist in the workspace`,
      );
    } else if (!fs.statSync(real).isDirectory()) {
      problems.push(`${show(dir)} is not a directory`);
    } else if (
      !fs.statSync(path.join(root, dir, dockerfile), { throwIfNoEntry: false })?.isFile()
    ) {
      problems.push(`${show(dir)} holds no ${dockerfile}`);
    }
  }
  return problems;
}

/** Whether `context` is a directory inside the workspace. */
export function isContextDirectory(context: string, workspace: string): boolean {
  const real = inside(fs.realpathSync(workspace), context);
  return real !== undefined && fs.statSync(real).isDirectory();
}
