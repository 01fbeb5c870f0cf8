/**
 * `action.yml`, `plan/action.yml` and the code agree, input by input: every input of the
 * contract is declared with the default the code falls back to, the plan action declares
 * exactly the plan's inputs, and both declare the outputs the code sets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Input, INPUT_DEFAULTS, Output, PLAN_INPUTS, type InputName } from '../../src/contract.js';
import { ROOT } from '../support/run-action.js';

interface ActionYml {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

const load = (file: string): ActionYml =>
  parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as ActionYml;
const root = load('action.yml');
const plan = load('plan/action.yml');
const ALL = Object.values(Input) as InputName[];

describe('action.yml and the code', () => {
  it('declares every input of the contract, and no other', () => {
    expect(Object.keys(root.inputs).sort()).toEqual([...ALL].sort());
  });

  it.each(ALL)('root input %s: the default is the one the code falls back to', (name) => {
    const declared = root.inputs[name]!;
    expect(declared.description?.length ?? 0).toBeGreaterThan(10);
    expect(declared.required).toBe(false);
    expect(String(declared.default ?? '')).toBe(INPUT_DEFAULTS[name]);
  });

  it('declares the outputs the code sets', () => {
    expect(Object.keys(root.outputs).sort()).toEqual(Object.values(Output).sort());
  });

  it('runs on Node 24 with main and post from dist/', () => {
    expect(root.runs).toEqual({ using: 'node24', main: 'dist/main.js', post: 'dist/post.js' });
    expect(fs.existsSync(path.join(ROOT, root.runs.main))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, root.runs.post!))).toBe(true);
  });
});

describe('plan/action.yml and the code', () => {
  it('declares exactly the plan inputs', () => {
    expect(Object.keys(plan.inputs).sort()).toEqual([...PLAN_INPUTS].sort());
  });

  it.each(PLAN_INPUTS)('plan input %s: the same default as the root action', (name) => {
    expect(String(plan.inputs[name]!.default ?? '')).toBe(INPUT_DEFAULTS[name]);
    expect(plan.inputs[name]!.required).toBe(false);
  });

  it('declares every output but images, and runs the plan bundle', () => {
    expect(Object.keys(plan.outputs).sort()).toEqual(
      Object.values(Output)
        .filter((o) => o !== Output.Images)
        .sort(),
    );
    expect(plan.runs).toEqual({ using: 'node24', main: '../dist/plan.js' });
    expect(fs.existsSync(path.join(ROOT, 'plan', plan.runs.main))).toBe(true);
  });
});
