/**
 * The bundled action, run as the runner runs it: bad inputs fail before anything happens,
 * secrets are masked first, and the plan action's outputs have the contract's shapes.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../support/run-action.js';

/** A git repository with one commit that adds a Dockerfile in each of `dirs`. */
function repoWith(dirs: string[]): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q', '-b', 'main');
  for (const dir of dirs) {
    fs.mkdirSync(path.join(repo, dir));
    fs.writeFileSync(path.join(repo, dir, 'Dockerfile'), 'FROM scratch\n');
  }
  git('add', '.');
  git('commit', '-qm', 'images');
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
