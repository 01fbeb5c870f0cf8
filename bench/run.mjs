// Runs the benchmarks: `npm run bench` runs all, `npm run bench -- detect` one of them.
// Each bench/<name>.ts is bundled with esbuild (so it can import src/ like the tests do) into
// .bench/ and run with the same Node that runs this script. Figures go to stdout.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`No benchmark '${name}'; there are: ${all.join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : all) {
  const outfile = path.join(here, '..', '.bench', `${name}.mjs`);
  await build({
    entryPoints: [path.join(here, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  console.log(`\n=== bench/${name} ===`);
  // The action's modules log through @actions/core, whose debug lines the runner would hide;
  // they are dropped here too, so only the figures remain.
  const child = spawn(process.execPath, ['--expose-gc', outfile], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith('::debug::')) console.log(line);
  }
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
