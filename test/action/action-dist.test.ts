/**
 * The bundled action, run as the runner runs it: bad inputs fail before anything happens,
 * secrets are masked first, and the plan action's outputs have the contract's shapes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitIsolated as git, writeFiles } from '../support/git-repo.js';
import { runAction } from '../support/run-action.js';

/** A git repository with one commit that adds a Dockerfile in each of `dirs`. */
function repoWith(dirs: string[]): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-'));
  git(repo, 'init', '-q', '-b', 'main');
  writeFiles(repo, Object.fromEntries(dirs.map((dir) => [`${dir}/Dockerfile`, 'FROM scratch\n'])));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'images');
  return repo;
}

describe('bad inputs are rejected by the bundled action before any work', () => {
  it.each([
    [
      'bump',
      'build',
      "Input 'bump': \"build\" is not accepted; use one of 'patch', 'minor', 'major'.",
    ],
    ['default-version', 'v1', 'Input \'default-version\': "v1" is not <prefix>MAJOR.MINOR.PATCH'],
    ['version', 'v1 beta', 'Input \'version\': "v1 beta" is not <prefix>MAJOR.MINOR.PATCH'],
    ['push', 'yes', "Input 'push': \"yes\" is not a boolean; use 'true' or 'false'."],
    ['parallel', '0', 'Input \'parallel\': "0" is not a whole number from 1 to 32.'],
    ['build-args', 'FOO', 'Input \'build-args\': line "FOO" is not KEY=VALUE'],
    [
      'registry',
      'https://ghcr.io',
      'Input \'registry\': "https://ghcr.io" is a URL; give only host[:port]',
    ],
  ])('%s: %s', async (name, value, message) => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const run = await runAction('main', {
      inputs: { namespace: 'myorg', [name]: value },
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    // Nothing happened: no outputs, no state, no credentials.
    expect(run.outputs).toEqual({});
    expect(run.state).toEqual({});
    expect(fs.readdirSync(path.join(run.runnerDir, 'temp'))).toEqual([]);
  });

  it('rejects a password without a user name, and masks it first', async () => {
    const run = await runAction('plan', {
      inputs: { namespace: 'myorg', password: 'hunter2-secret' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain("Input 'password': is set but 'username' is empty");
    const firstLine = run.stdout.split('\n')[0];
    expect(firstLine).toBe('::add-mask::hunter2-secret');
  });

  it('masks the password and the base64 user:password before anything is logged', async () => {
    const run = await runAction('main', {
      inputs: { username: 'bob', password: 'pa55word', parallel: 'x' },
    });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('::add-mask::pa55word');
    expect(lines[1]).toBe(`::add-mask::${Buffer.from('bob:pa55word').toString('base64')}`);
    expect(run.errors[0]).toContain("Input 'parallel'");
  });
});

/**
 * A `git` first on PATH that records every call and fails: a run that starts git leaves the
 * record behind. The control case below shows the trap does catch the action's git calls.
 */
function gitTrap(): { env: Record<string, string>; calls: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-trap-'));
  const record = path.join(dir, 'calls');
  fs.writeFileSync(
    path.join(dir, 'git'),
    `#!/bin/sh\necho "git $*" >> '${record}'\necho 'fatal: the trap' >&2\nexit 128\n`,
    { mode: 0o755 },
  );
  return {
    env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n') : []),
  };
}

/** The message of a failed step: the runner's `::error::` data, unescaped. */
const failure = (errors: string[]): string =>
  (errors[0] ?? '').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');

describe('five bad inputs at once, before any git or registry call', () => {
  it.each([
    [
      'main' as const,
      {
        namespace: 'myorg',
        bump: 'huge',
        version: '1.2',
        tags: 'latest',
        'extra-args': '--target prod',
        parallel: '0',
      },
      ['bump', 'extra-args', 'parallel', 'tags', 'version'],
    ],
    [
      'plan' as const,
      {
        namespace: 'myorg',
        bump: 'huge',
        version: '1.2',
        registry: 'https://ghcr.io',
        'build-args': 'FOO',
        patterns: '/etc/*',
      },
      ['build-args', 'bump', 'patterns', 'registry', 'version'],
    ],
  ])('the %s action names all five', async (entry, inputs, names) => {
    // Not a repository, and git itself is a trap: a git error here would mean git ran.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'not-a-repo-'));
    const trap = gitTrap();
    const run = await runAction(entry, {
      inputs: { ...inputs, 'hub-api-url': 'http://127.0.0.1:9' },
      env: { ...trap.env, GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    const message = failure(run.errors);
    const lines = message.split('\n');
    expect(lines[0]).toBe('5 inputs are not valid:');
    expect(
      lines
        .slice(1)
        .map((l) => /^- Input '([a-z-]+)': /.exec(l)?.[1])
        .sort(),
    ).toEqual(names);
    for (const value of Object.entries(inputs).filter(([k]) => names.includes(k))) {
      expect(message).toContain(JSON.stringify(value[1]));
    }
    expect(message).not.toMatch(/\bgit\b/i);
    expect(trap.calls()).toEqual([]);
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe('');
  });

  it('control: with valid inputs the same run does reach git, and says so', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'not-a-repo-'));
    const trap = gitTrap();
    const run = await runAction('plan', {
      inputs: { namespace: 'myorg', version: 'v1.2.3' },
      env: { ...trap.env, GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push' },
    });
    expect(run.exitCode).toBe(1);
    expect(trap.calls().length).toBeGreaterThan(0);
    expect(failure(run.errors)).toContain('is not a git repository');
  });
});

describe('plan action with explicit directories and version', () => {
  it('needs no registry and writes changed, directories and matrix', async () => {
    const repo = repoWith(['airflow-worker', 'airflow-api']);

    const run = await runAction('plan', {
      inputs: {
        directories: 'airflow-worker\nairflow-api',
        version: 'v2.3.4',
        'hub-api-url': 'http://127.0.0.1:9',
      },
      env: { GITHUB_WORKSPACE: repo, GITHUB_EVENT_NAME: 'workflow_dispatch' },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.changed).toBe('true');
    expect(JSON.parse(run.outputs.directories ?? '')).toEqual(['airflow-api', 'airflow-worker']);
    expect(JSON.parse(run.outputs.matrix ?? '')).toEqual({
      include: [
        { directory: 'airflow-api', version: 'v2.3.4', previous: '', wave: 0 },
        { directory: 'airflow-worker', version: 'v2.3.4', previous: '', wave: 0 },
      ],
    });
    // The job summary says what would be built.
    expect(run.summary).toContain('<h2>kaniko-release plan</h2>');
    expect(run.summary).toContain('<p>2 images to build.</p>');
    expect(run.summary).toContain(
      '<tr><td>0</td><td><code>airflow-api</code></td><td><code>docker.io/airflow-api</code></td><td><b>v2.3.4</b></td><td>requested</td></tr>',
    );
  });

  it('when the plan fails: no outputs, a summary that says why (unless summary is false)', async () => {
    const repo = repoWith(['airflow-api']);
    const inputs = { namespace: 'myorg', base: 'no-such-revision', version: 'v1.0.0' };
    const env = { GITHUB_WORKSPACE: repo, GITHUB_EVENT_NAME: 'workflow_dispatch' };
    const run = await runAction('plan', { inputs, env });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('no-such-revision');
    expect(run.outputs).toEqual({});
    expect(run.summary).toContain('❌ No plan: ');
    expect(run.summary).toContain('no-such-revision');

    const quiet = await runAction('plan', { inputs: { ...inputs, summary: 'false' }, env });
    expect(quiet.exitCode).toBe(1);
    expect(quiet.summary).toBe('');
  });
});

describe('main action when nothing can be built', () => {
  it('still writes every output and a summary that says why, when the plan fails', async () => {
    const repo = repoWith(['airflow-api']);
    const run = await runAction('main', {
      inputs: { namespace: 'myorg', base: 'no-such-revision', version: 'v1.0.0' },
      env: { GITHUB_WORKSPACE: repo, GITHUB_EVENT_NAME: 'workflow_dispatch' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('no-such-revision');
    expect(run.outputs).toEqual({
      changed: 'false',
      directories: '[]',
      matrix: '{"include":[]}',
      waves: '[]',
      images: '[]',
    });
    expect(run.summary).toContain('No image was built');
    expect(run.summary).toContain('no-such-revision');
    expect(run.summary).not.toContain('No image directory changed');
  });

  it('with fail-fast, a directory that cannot be an image skips the others before any build', async () => {
    const repo = repoWith(['airflow-api', 'bad_']);
    const run = await runAction('main', {
      inputs: {
        namespace: 'myorg',
        directories: 'airflow-api, bad_',
        version: 'v1.2.3',
        'fail-fast': 'true',
        // A runtime check or executor download would fail loudly: neither may happen.
        'executor-image': 'localhost:9/none/kaniko:v0',
      },
      env: { GITHUB_WORKSPACE: repo, GITHUB_EVENT_NAME: 'workflow_dispatch' },
    });
    expect(run.exitCode).toBe(1);
    const images = JSON.parse(run.outputs.images ?? '') as {
      directory: string;
      status: string;
      error: string;
    }[];
    expect(images.map((i) => [i.directory, i.status])).toEqual([
      ['airflow-api', 'skipped'],
      ['bad_', 'failed'],
    ]);
    expect(images[0]!.error).toContain("'fail-fast' is true");
    expect(images[1]!.error).toContain('bad_');
    expect(run.summary).toContain('<b>v1.2.3</b>');
    expect(run.summary).not.toContain('(new)');
    expect(run.stdout).not.toContain('Install the kaniko executor');
  });
});
