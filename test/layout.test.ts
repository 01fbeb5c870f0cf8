/**
 * The source tree keeps its shape: a folder per pipeline stage, each importing only folders
 * below it (type-only imports included), no import cycle, nothing importing the entry layer,
 * a dependency-free vocabulary leaf, and no file of 400 lines or more.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-action.js';

const SRC = path.join(ROOT, 'src');
/** Bottom to top: a folder may import only folders listed before it (and itself). */
const LAYERS = [
  'contract.ts',
  'lib',
  'credentials',
  'registry',
  'detect',
  'graph',
  'versions',
  'executor',
  'runtime',
  'release',
  'report',
  'build',
  'action',
  'entry',
];

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The folder (layer) of a source file: its first path part, `entry` for the top files. */
function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  if (rel.length === 1) return rel[0] === 'contract.ts' ? 'contract.ts' : 'entry';
  return rel[0]!;
}

/** Every project file a file imports (`import`, `import type`, `export … from`, `import()`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts')));
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('src/ layout', () => {
  it('puts every file in a known stage folder', () => {
    for (const file of files) expect(LAYERS).toContain(layerOf(file));
  });

  it('has every import resolve to a file of src/', () => {
    for (const [file, imports] of graph) {
      for (const target of imports) expect(files, `${file} → ${target}`).toContain(target);
    }
  });

  it('imports only downwards: no folder reaches a folder above it, nothing reaches the entries', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = LAYERS.indexOf(layerOf(file));
      for (const target of imports) {
        const to = LAYERS.indexOf(layerOf(target));
        if (to > from || (to === from && layerOf(target) === 'entry')) {
          upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps contract.ts a leaf', () => {
    expect(graph.get(path.join(SRC, 'contract.ts'))).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          const cycle = stack.slice(stack.indexOf(next)).concat(next);
          cycles.push(cycle.map((f) => path.relative(SRC, f)).join(' → '));
        } else if (!state.has(next)) {
          visit(next);
        }
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps every source file under 400 lines', () => {
    const long = files
      .map((f) => [path.relative(SRC, f), fs.readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines >= 400);
    expect(long).toEqual([]);
  });

  it('lets the entries only wire: each calls one step of action/', () => {
    for (const entry of ['main.ts', 'post.ts', 'plan.ts']) {
      const imports = graph.get(path.join(SRC, entry)) ?? [];
      expect(imports.length).toBeGreaterThan(0);
      for (const target of imports) expect(layerOf(target)).toBe('action');
    }
  });
});
