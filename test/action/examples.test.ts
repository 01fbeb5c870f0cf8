/**
 * The example workflows of examples/: valid for GitHub's workflow and action schemas (checked
 * by action-validator from the npm registry), and every `with:` given to this repository's
 * actions names an input those actions declare.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imagesOf, matrixOf } from '../../src/report/outputs.js';
import { planOf } from '../support/inputs.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const VALIDATOR = path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const EXAMPLES = [
  'examples/one-step.yml',
  'examples/plan-matrix.yml',
  'examples/plan-waves.yml',
  'examples/composite/action.yml',
  'examples/composite/composite-workflow.yml',
  'examples/notify.yml',
];

function validate(file: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

type Step = {
  uses?: string;
  with?: Record<string, unknown>;
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
};
type Yaml = Record<string, unknown>;

function load(file: string): Yaml {
  return parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Yaml;
}

function inputsOf(actionFile: string): string[] {
  return Object.keys((load(actionFile).inputs ?? {}) as object);
}

function stepsOf(doc: Yaml): Step[] {
  const runs = doc.runs as { steps?: Step[] } | undefined;
  if (runs?.steps) return runs.steps;
  return Object.values((doc.jobs ?? {}) as Record<string, { steps?: Step[] }>).flatMap(
    (job) => job.steps ?? [],
  );
}

describe('examples/', () => {
  it.each(EXAMPLES)('%s passes action-validator', (file) => {
    const { status, output } = validate(path.join(ROOT, file));
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('action-validator does reject a broken workflow (so the check above means something)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
    try {
      const broken = path.join(dir, 'broken.yml');
      fs.writeFileSync(
        broken,
        fs
          .readFileSync(path.join(ROOT, 'examples/one-step.yml'), 'utf8')
          .replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest'),
      );
      expect(validate(broken).status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(EXAMPLES)('%s gives the actions only inputs they declare', (file) => {
    const root = inputsOf('action.yml');
    const plan = inputsOf('plan/action.yml');
    const ours = stepsOf(load(file)).filter((s) => s.uses?.startsWith('OWNER/kaniko-release'));
    if (!file.includes('composite-workflow')) expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      const declared = step.uses?.startsWith('OWNER/kaniko-release/plan@') ? plan : root;
      for (const key of Object.keys(step.with ?? {})) expect(declared).toContain(key);
    }
  });

  it('the matrix example reads only keys the plan action puts into matrix', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/plan-matrix.yml'), 'utf8');
    const used = new Set([...text.matchAll(/\bmatrix\.([a-z-]+)/g)].map((m) => m[1]));
    const [entry] = matrixOf([planOf('d')]).include;
    for (const key of used) expect(Object.keys(entry ?? {})).toContain(key);
    expect(used).toEqual(new Set(['directory', 'version']));
  });

  it('the waves example runs one job per wave, each after the one before, on its wave', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/plan-waves.yml'), 'utf8');
    const used = new Set([...text.matchAll(/\bmatrix\.([a-z-]+)/g)].map((m) => m[1]));
    const [entry] = matrixOf([planOf('d')]).include;
    for (const key of used) expect(Object.keys(entry ?? {})).toContain(key);
    const jobs = load('examples/plan-waves.yml').jobs as Record<
      string,
      { needs?: string | string[]; strategy?: { matrix?: string }; if?: string }
    >;
    const waves = Object.keys(jobs).filter((name) => name.startsWith('wave-'));
    expect(waves).toEqual(['wave-1', 'wave-2', 'wave-3']);
    waves.forEach((name, i) => {
      const job = jobs[name]!;
      expect(job.strategy?.matrix).toBe(`\${{ fromJson(needs.plan.outputs.waves)[${i}] }}`);
      const needs = [job.needs ?? []].flat();
      expect(needs).toContain('plan');
      if (i > 0) {
        expect(needs).toContain(`wave-${i}`);
        expect(job.if).toBe(`fromJson(needs.plan.outputs.waves)[${i}] != null`);
      }
    });
    // The plan job refuses a push that needs more waves than there are jobs.
    expect(text).toContain(`if [ "$count" -gt ${waves.length} ]`);
  });

  it('the composite action exposes outputs of steps it has', () => {
    const doc = load('examples/composite/action.yml');
    const ids = new Set(stepsOf(doc).map((s) => s.id));
    const outputs = doc.outputs as Record<string, { value: string }>;
    for (const output of Object.values(outputs)) {
      const id = /steps\.([a-z-]+)\.outputs/.exec(output.value)?.[1];
      expect(ids).toContain(id);
    }
  });

  it.each(EXAMPLES)(
    '%s expands no expression inside a run script (data goes through env)',
    (file) => {
      for (const step of stepsOf(load(file))) {
        if (step.run !== undefined) expect(step.run).not.toContain('${{');
      }
    },
  );

  it("the README's workflows expand no expression inside a run script either", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(2);
    let runs = 0;
    for (const block of blocks) {
      const doc = parse(block) as Yaml | Step[];
      // A block is a workflow, an action, or a list of steps.
      for (const step of Array.isArray(doc) ? doc : stepsOf(doc)) {
        if (step.run === undefined) continue;
        runs++;
        expect(step.run).not.toContain('${{');
      }
    }
    expect(runs).toBeGreaterThan(0);
  });

  it('the notify example turns the images output into a Slack message, hostile text as text', () => {
    const step = stepsOf(load('examples/notify.yml')).find((s) => s.id === 'message')!;
    expect(step.env?.IMAGES).toBe('${{ steps.release.outputs.images }}');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-'));
    try {
      const base = {
        previous: '',
        digest: `sha256:${'a'.repeat(64)}`,
        platforms: {},
        reason: 'changed' as const,
        durationMs: 1,
        webUrl: '',
      };
      const images = imagesOf([
        {
          ...base,
          directory: 'airflow-api',
          image: 'docker.io/myorg/airflow-api',
          version: 'v1.2.4',
          tags: ['v1.2.4', 'latest', 'v1', 'v1.2'],
          status: 'pushed',
          error: '',
        },
        {
          ...base,
          directory: "it's <b>$(touch pwned)</b>",
          image: 'docker.io/myorg/x',
          version: 'v1.0.0',
          tags: ['v1.0.0', 'latest'],
          status: 'failed',
          error: 'kaniko exited with code 1: "quoted" & `ticks`\nsecond line',
        },
      ]);
      // As the runner runs it: bash --noprofile --norc -eo pipefail.
      const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          IMAGES: JSON.stringify(images),
          RUN_URL: 'https://github.com/acme/mono/actions/runs/7',
        },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
      const message = JSON.parse(fs.readFileSync(path.join(dir, 'slack-message.json'), 'utf8'));
      expect(message).toEqual({
        text: [
          'Image release (<https://github.com/acme/mono/actions/runs/7|run>):',
          '• airflow-api: pushed `docker.io/myorg/airflow-api:v1.2.4` (v1.2.4, latest, v1, v1.2)',
          '• it\'s &lt;b&gt;$(touch pwned)&lt;/b&gt;: failed — kaniko exited with code 1: "quoted" &amp; `ticks`',
        ].join('\n'),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
