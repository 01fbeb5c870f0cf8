/**
 * The bundled plan action (dist/plan.js) run as the runner runs it: `INPUT_*` variables, a
 * `GITHUB_OUTPUT` file, a real git checkout whose HEAD commit changes two image directories,
 * `workflow_dispatch` (so HEAD^..HEAD) — against the fake Docker Hub API and against the real
 * local registry. Checks the `matrix`, `directories` and `changed` outputs.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../support/fake-hub.js';
import { isolateGit, RepoFixture } from '../support/git-repo.js';
import { pushRandomImage, startRegistry, type LocalRegistry } from '../support/registry.js';
import { runAction } from '../support/run-action.js';

let repo: RepoFixture;
let workspace: string;
let gitHome: string;

const env = (): Record<string, string> => ({
  GITHUB_WORKSPACE: workspace,
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL ?? '',
});

beforeAll(() => {
  gitHome = isolateGit();
  repo = RepoFixture.create();
  repo.write({
    'api/Dockerfile': 'FROM scratch\n',
    'worker/Dockerfile': 'FROM scratch\n',
    'web/Dockerfile': 'FROM scratch\n',
    'README.md': '# monorepo\n',
  });
  repo.commit('initial');
  repo.write({
    'api/Dockerfile': 'FROM scratch\nLABEL a=1\n',
    'worker/main.py': 'print(1)\n',
    'README.md': '# monorepo, changed\n',
  });
  repo.commit('change api and worker');
  repo.push();
  workspace = repo.checkout();
});

afterAll(() => {
  fs.rmSync(repo.root, { recursive: true, force: true });
  fs.rmSync(gitHome, { recursive: true, force: true });
});

describe('plan action on Docker Hub (fake Hub API)', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub({ users: { ci: 'dckr_pat_x' } });
    hub.setRepo('acme', 'api', ['v1.0.9', 'v1.0.10', 'latest', 'v1.0.11-rc1']);
    hub.setRepo('acme', 'web', ['v3.0.0']);
  });
  afterAll(async () => hub?.stop());
  beforeEach(() => {
    hub.requests.length = 0;
    hub.faults.clear();
  });

  it('writes the matrix of the two changed directories with their next versions', async () => {
    const run = await runAction('plan', {
      inputs: { namespace: 'acme', 'hub-api-url': hub.url },
      env: env(),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [
        { directory: 'api', version: 'v1.0.11', previous: 'v1.0.10', wave: 0 },
        { directory: 'worker', version: 'v1.0.0', previous: '', wave: 0 },
      ],
    });
    expect(run.outputs.directories).toBe('["api","worker"]');
    expect(run.outputs.changed).toBe('true');
    expect(run.warnings.join('\n')).toContain('ignored v1.0.11-rc1');
    expect(hub.requests.map((r) => r.path).sort()).toEqual([
      '/v2/namespaces/acme/repositories/api/tags',
      '/v2/namespaces/acme/repositories/worker/tags',
    ]);
  });

  it('logs in with username and password (a token) and keeps them out of the outputs', async () => {
    const run = await runAction('plan', {
      inputs: {
        username: 'ci',
        password: 'dckr_pat_x',
        'hub-api-url': hub.url,
        // The fake Hub speaks plain HTTP: credentials go there only when it is listed.
        'insecure-registries': new URL(hub.url).host,
        namespace: 'acme',
      },
      env: env(),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(hub.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(run.outputs.matrix).not.toContain('acme');
    const logged = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(run.stdout).toContain('::add-mask::dckr_pat_x');
    expect(logged).not.toContain('dckr_pat_x');
  });

  it('makes no registry request with an explicit version', async () => {
    const run = await runAction('plan', {
      inputs: { version: 'v2.0.0', 'hub-api-url': hub.url },
      env: env(),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [
        { directory: 'api', version: 'v2.0.0', previous: '', wave: 0 },
        { directory: 'worker', version: 'v2.0.0', previous: '', wave: 0 },
      ],
    });
    expect(hub.requests).toEqual([]);
  });

  it('fails the step when the Hub keeps failing, without a guessed matrix', async () => {
    // A Retry-After beyond what the action waits for: it fails at once instead of sleeping.
    hub.faults.add(
      { kind: 'rate-limit', retryAfter: 3600 },
      { path: '/repositories/worker/', times: 100 },
    );
    const run = await runAction('plan', {
      inputs: { namespace: 'acme', 'hub-api-url': hub.url },
      env: env(),
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors.join('\n')).toContain('docker.io/acme/worker');
    expect(run.errors.join('\n')).toContain('429');
    expect(run.outputs.matrix).toBeUndefined();
  });
});

describe('plan action on another registry (real docker-registry with htpasswd)', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'ci', password: 'pw' } });
    await pushRandomImage(reg, 'team/worker', ['v0.4.2', 'v0.4.10', 'sha-1234']);
  });
  afterAll(async () => reg?.stop());

  it('writes the matrix from the registry tags', async () => {
    const run = await runAction('plan', {
      inputs: {
        registry: reg.host,
        'insecure-registries': reg.host,
        namespace: 'team',
        username: 'ci',
        password: 'pw',
        bump: 'minor',
      },
      env: env(),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [
        { directory: 'api', version: 'v1.0.0', previous: '', wave: 0 },
        { directory: 'worker', version: 'v0.5.0', previous: 'v0.4.10', wave: 0 },
      ],
    });
  });

  it('fails with wrong credentials, saying what to check', async () => {
    const run = await runAction('plan', {
      inputs: {
        registry: reg.host,
        'insecure-registries': reg.host,
        namespace: 'team',
        username: 'ci',
        password: 'wrong',
      },
      env: env(),
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.errors.join('\n')).toContain("Check 'username' and 'password'");
    expect(run.outputs.matrix).toBeUndefined();
  });
});
