/**
 * Before any test: make sure dist/ is built from the current src/, so tests that run the
 * bundled action test this code (rebuilt only when a source file is newer than the bundle),
 * and that the stand-in executor binaries are compiled.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildStandin } from './standin.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      latest = Math.max(latest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export default async function setup(): Promise<void> {
  const bundle = path.join(ROOT, 'dist', 'main.js');
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const sources = Math.max(
    newest(path.join(ROOT, 'src')),
    fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs,
  );
  if (sources > built) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  // The stand-in executor for both platforms of its image: compiled once here, so no test
  // pays for a cold Go build inside its own time limit.
  await buildStandin('amd64');
  await buildStandin('arm64');
}
