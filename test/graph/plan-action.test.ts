/**
 * The bundled plan action (dist/plan.js) on a monorepo whose images copy shared code and are
 * built from each other: the `matrix` and `waves` outputs a fan-out workflow reads, the job
 * summary, and the warning for patterns that match nothing. `version` is given, so no registry
 * is asked; the Dockerfile parser is loaded from its own chunk of the bundle.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateGit, RepoFixture } from '../support/git-repo.js';
import { runAction } from '../support/run-action.js';

let repo: RepoFixture;
let gitHome: string;
let before: string;
let after: string;

beforeAll(() => {
  gitHome = isolateGit();
  repo = RepoFixture.create();
  repo.write({
    'lib/common/util.py': '1\n',
    'images/base/Dockerfile': 'FROM debian:bookworm-slim\nCOPY lib/common /opt/common\n',
    'images/api/Dockerfile': 'FROM myorg/images-base:latest\nCOPY images/api /app\n',
    'images/cli/Dockerfile': 'ARG API=myorg/images-api\nFROM ${API}\n',
    'images/docs/Dockerfile': 'FROM nginx\nCOPY images/docs /usr/share/nginx/html\n',
    'images/pinned/Dockerfile': 'FROM myorg/images-base:v1.0.0\n',
  });
  before = repo.commit('seed');
  after = repo.write({ 'lib/common/util.py': '2\n' }).commit('shared code');
  repo.push();
});

afterAll(() => {
  repo.cleanup();
  fs.rmSync(gitHome, { recursive: true, force: true });
});

function plan(inputs: Record<string, string>) {
  return runAction('plan', {
    inputs: { namespace: 'myorg', version: 'v2.0.0', context: '.', ...inputs },
    env: {
      GITHUB_WORKSPACE: repo.checkout(),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: writeEvent(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL ?? '',
    },
  });
}

function writeEvent(): string {
  const file = `${repo.root}/event.json`;
  fs.writeFileSync(file, JSON.stringify({ ref: 'refs/heads/main', before, after }));
  return file;
}

describe('plan action: shared context and images built from each other', () => {
  it('releases the images that copy the changed code and those built on them, in waves', async () => {
    const run = await plan({ patterns: 'images/*' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const entry = (directory: string, wave: number) => ({
      directory,
      version: 'v2.0.0',
      previous: '',
      wave,
    });
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [entry('images/api', 1), entry('images/base', 0), entry('images/cli', 2)],
    });
    expect(JSON.parse(run.outputs.waves!)).toEqual([
      { include: [entry('images/base', 0)] },
      { include: [entry('images/api', 1)] },
      { include: [entry('images/cli', 2)] },
    ]);
    expect(run.outputs.directories).toBe('["images/api","images/base","images/cli"]');
    expect(run.stdout).toContain('images/api (base images/base changed, wave 2 of 3)');
    expect(run.summary).toContain('3 images to build in 3 waves');
    expect(run.summary).toContain('base images/base changed');
    expect(run.summary).toContain('base images/api changed');
    expect(run.warnings).toEqual([]);
  });

  it('warns, naming the patterns and the Dockerfile, when nothing matches', async () => {
    const run = await plan({ patterns: 'imgaes/*' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.changed).toBe('false');
    expect(run.outputs.waves).toBe('[]');
    expect(run.warnings).toEqual([
      expect.stringContaining(`matches 'patterns' ("imgaes/*") and holds "Dockerfile"`),
    ]);
  });
});
