import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectInputs, getInputs, splitList, splitLines } from '../../src/action/inputs.js';
import {
  Defaults,
  InputErrors,
  type InputName,
  type Inputs,
  type Mode,
} from '../../src/contract.js';
import { inputsFrom } from '../support/inputs.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-ws-'));
const PEM = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Z1\n-----END CERTIFICATE-----\n`;
fs.writeFileSync(path.join(workspace, 'ca.pem'), PEM);
fs.writeFileSync(path.join(workspace, 'not-a-cert.txt'), 'hello\n');

function parse(values: Partial<Record<InputName, string>>, mode: Mode = 'main'): Inputs {
  return inputsFrom(values, { mode, workspace });
}

/** Parses and returns the error message, failing the test if nothing was thrown. */
function errorOf(values: Partial<Record<InputName, string>>, mode: Mode = 'main'): string {
  try {
    parse(values, mode);
  } catch (error) {
    expect(error).toBeInstanceOf(InputErrors);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

const base = { namespace: 'myorg' } as const;

describe('defaults', () => {
  it('fills every input from the contract when nothing is given', () => {
    const inputs = parse({ username: 'Alice', password: 's3cret' });
    expect(inputs).toEqual({
      patterns: ['*'],
      dockerfile: 'Dockerfile',
      directories: [],
      context: '',
      buildAll: false,
      base: '',
      head: '',
      registry: 'docker.io',
      namespace: 'alice',
      username: 'Alice',
      password: 's3cret',
      version: '',
      defaultVersion: 'v1.0.0',
      bump: 'patch',
      latest: true,
      tags: [],
      platforms: [],
      skipUnchanged: false,
      push: true,
      buildArgs: [],
      target: '',
      labels: [],
      cache: false,
      cacheRepo: '',
      extraArgs: [],
      executorImage: Defaults.executorImage,
      runtime: 'auto',
      memoryBytes: 0,
      cpus: 0,
      parallel: 1,
      insecureRegistries: [],
      caCertificates: '',
      hubApiUrl: 'https://hub.docker.com',
      failFast: false,
      summary: true,
      commitStatus: false,
      githubToken: '',
    } satisfies Inputs);
  });

  it('lets the plan action run without credentials or namespace when a version is given', () => {
    expect(parse({ version: 'v2.0.0' }, 'plan').namespace).toBe('');
  });
});

describe('lists', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['a\nb\r\nc', ['a', 'b', 'c']],
    [' a , , b \n\n', ['a', 'b']],
    ['airflow-{api,worker}, other', ['airflow-{api,worker}', 'other']],
    ['', []],
  ])('splitList(%j)', (raw, expected) => {
    expect(splitList(raw)).toEqual(expected);
  });

  it('keeps commas inside line-based values', () => {
    expect(splitLines('A=1,2\n\n B=x ')).toEqual(['A=1,2', 'B=x']);
    expect(parse({ ...base, 'build-args': 'LIST=a,b,c' }).buildArgs).toEqual(['LIST=a,b,c']);
  });

  it('sorts and de-duplicates explicit directories and normalises their paths', () => {
    expect(parse({ ...base, directories: 'b/, a\n./b\na' }).directories).toEqual(['a', 'b']);
  });
});

describe('accepted values', () => {
  it.each<[Partial<Record<InputName, string>>, Partial<Inputs>]>([
    [{ 'build-all': 'TRUE' }, { buildAll: true }],
    [{ latest: 'False' }, { latest: false }],
    [
      { push: 'false', cache: 'true' },
      { push: false, cache: true },
    ],
    [{ bump: 'Minor' }, { bump: 'minor' }],
    [{ bump: 'major' }, { bump: 'major' }],
    [{ registry: 'Index.Docker.IO' }, { registry: 'docker.io' }],
    [{ registry: 'registry-1.docker.io' }, { registry: 'docker.io' }],
    [{ registry: 'localhost:5000' }, { registry: 'localhost:5000' }],
    [{ registry: '127.0.0.1:5000', namespace: 'team/sub' }, { namespace: 'team/sub' }],
    [{ registry: '[::1]:5000' }, { registry: '[::1]:5000' }],
    [{ 'default-version': '0.1.0' }, { defaultVersion: '0.1.0' }],
    [{ 'default-version': 'release-1.0.0' }, { defaultVersion: 'release-1.0.0' }],
    [{ version: 'v3.2.1' }, { version: 'v3.2.1' }],
    [{ version: '2024.5.1' }, { version: '2024.5.1' }],
    [{ version: 'release-1.2.3' }, { version: 'release-1.2.3' }],
    [{ parallel: '4' }, { parallel: 4 }],
    [
      { 'insecure-registries': 'LOCALHOST:5000, 127.0.0.1:5001\nlocalhost:5000' },
      { insecureRegistries: ['localhost:5000', '127.0.0.1:5001'] },
    ],
    [{ 'hub-api-url': 'http://127.0.0.1:8080/' }, { hubApiUrl: 'http://127.0.0.1:8080' }],
    [
      { 'executor-image': 'localhost:5000/kaniko/executor:v1' },
      { executorImage: 'localhost:5000/kaniko/executor:v1' },
    ],
    [
      { 'executor-image': `ghcr.io/x/kaniko@sha256:${'a'.repeat(64)}` },
      { executorImage: `ghcr.io/x/kaniko@sha256:${'a'.repeat(64)}` },
    ],
    [
      { 'extra-args': '--snapshot-mode=redo\n--verbosity=debug' },
      { extraArgs: ['--snapshot-mode=redo', '--verbosity=debug'] },
    ],
    [
      { labels: 'org.example/team=data\nowner=me=you' },
      { labels: ['org.example/team=data', 'owner=me=you'] },
    ],
    [{ 'ca-certificates': 'ca.pem' }, { caCertificates: PEM }],
    [{ 'ca-certificates': PEM }, { caCertificates: PEM }],
    [{ runtime: 'RUNC' }, { runtime: 'runc' }],
    [{ runtime: 'crun' }, { runtime: 'crun' }],
    [{ runtime: '/opt/bin/runc' }, { runtime: '/opt/bin/runc' }],
    [
      { memory: '4g', cpus: '1.5' },
      { memoryBytes: 4 * 1024 ** 3, cpus: 1.5 },
    ],
    [{ memory: '512M' }, { memoryBytes: 512 * 1024 ** 2 }],
    [{ memory: '7000000' }, { memoryBytes: 7_000_000 }],
    [
      { platforms: 'linux/amd64, Linux/ARM64\nlinux/arm/v7,linux/amd64' },
      { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
    ],
    [{ 'skip-unchanged': 'true' }, { skipUnchanged: true }],
    [{ context: '.' }, { context: '.' }],
    [{ context: './lib/' }, { context: 'lib' }],
    [
      { tags: '{{prefix}}{{major}}\n{{prefix}}{{major}}.{{minor}}\nsha-{{sha}}\n{{branch}}' },
      {
        tags: ['{{prefix}}{{major}}', '{{prefix}}{{major}}.{{minor}}', 'sha-{{sha}}', '{{branch}}'],
      },
    ],
    [
      { 'commit-status': 'true', 'github-token': 'ghs_x' },
      { commitStatus: true, githubToken: 'ghs_x' },
    ],
    [
      { 'extra-args': '--cleanup\n--build-arg=A=b c' },
      { extraArgs: ['--cleanup', '--build-arg=A=b c'] },
    ],
    [
      { 'executor-image': `ghcr.io/x/kaniko:v1.28.3@sha256:${'b'.repeat(64)}` },
      { executorImage: `ghcr.io/x/kaniko:v1.28.3@sha256:${'b'.repeat(64)}` },
    ],
    [{ dockerfile: 'docker/Dockerfile.prod' }, { dockerfile: 'docker/Dockerfile.prod' }],
  ])('%j', (values, expected) => {
    expect(parse({ ...base, ...values })).toMatchObject(expected);
  });
});

describe('rejected values name the input, the value and what is accepted', () => {
  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'unknown bump',
      { bump: 'build' },
      /^Input 'bump': "build" is not accepted; use one of 'patch', 'minor', 'major'\.$/,
    ],
    [
      'boolean build-all',
      { 'build-all': 'yes' },
      /^Input 'build-all': "yes" is not a boolean; use 'true' or 'false'\.$/,
    ],
    ['boolean latest', { latest: '1' }, /^Input 'latest': "1" is not a boolean/],
    ['boolean push', { push: 'no' }, /^Input 'push': "no" is not a boolean/],
    [
      'a value that would start a workflow command, broken up',
      { push: '##[error]x' },
      /^Input 'push': "#\u2060#\[error\]x" is not a boolean/,
    ],
    ['boolean cache', { cache: 'on' }, /^Input 'cache': "on" is not a boolean/],
    ['boolean fail-fast', { 'fail-fast': 'maybe' }, /^Input 'fail-fast': "maybe" is not a boolean/],
    ['boolean summary', { summary: 'off' }, /^Input 'summary': "off" is not a boolean/],
    [
      'default-version without patch',
      { 'default-version': 'v1.0' },
      /^Input 'default-version': "v1\.0" is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'default-version leading zero',
      { 'default-version': 'v1.02.0' },
      /"v1\.02\.0" is not <prefix>MAJOR/,
    ],
    [
      'default-version prerelease',
      { 'default-version': 'v1.0.0-rc1' },
      /"v1\.0\.0-rc1" is not <prefix>MAJOR/,
    ],
    [
      'default-version prefix with digits',
      { 'default-version': 'v2v1.0.0' },
      /is not <prefix>MAJOR/,
    ],
    [
      'version with a space',
      { version: 'v1 .0' },
      /^Input 'version': "v1 \.0" is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'version of two numbers',
      { version: '1.2' },
      /^Input 'version': "1\.2" is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'version with a suffix',
      { version: 'v1.2.3-rc1' },
      /^Input 'version': "v1\.2\.3-rc1" is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'version starting with a dash',
      { version: '-v1.0.0' },
      /^Input 'version': "-v1\.0\.0" is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'version too long',
      { version: `${'v'.repeat(129)}1.0.0` },
      /^Input 'version': .* is not <prefix>MAJOR\.MINOR\.PATCH/,
    ],
    [
      'version latest',
      { version: 'latest' },
      /^Input 'version': 'latest' is pushed by the 'latest' input/,
    ],
    [
      'parallel zero',
      { parallel: '0' },
      /^Input 'parallel': "0" is not a whole number from 1 to 32\.$/,
    ],
    ['parallel text', { parallel: 'two' }, /^Input 'parallel': "two" is not a whole number/],
    ['parallel fraction', { parallel: '1.5' }, /^Input 'parallel': "1\.5" is not a whole number/],
    ['parallel negative', { parallel: '-2' }, /^Input 'parallel': "-2" is not a whole number/],
    [
      'build-args without =',
      { 'build-args': 'FOO=1\nBAR' },
      /^Input 'build-args': line "BAR" is not KEY=VALUE/,
    ],
    [
      'build-args bad key',
      { 'build-args': '1X=2' },
      /^Input 'build-args': line "1X=2" has the key "1X"/,
    ],
    ['labels without =', { labels: 'team' }, /^Input 'labels': line "team" is not KEY=VALUE/],
    [
      'registry URL',
      { registry: 'https://ghcr.io' },
      /^Input 'registry': "https:\/\/ghcr\.io" is a URL; give only host\[:port\]/,
    ],
    [
      'registry with path',
      { registry: 'ghcr.io/org' },
      /^Input 'registry': "ghcr\.io\/org" is not host\[:port\]/,
    ],
    [
      'registry bad port',
      { registry: 'localhost:99999' },
      /^Input 'registry': "localhost:99999" is not host\[:port\]/,
    ],
    [
      'registry empty port',
      { registry: 'localhost:' },
      /^Input 'registry': "localhost:" is not host\[:port\]/,
    ],
    [
      'insecure registry',
      { 'insecure-registries': 'ok:5000,http://bad' },
      /^Input 'insecure-registries': "http:\/\/bad" is a URL/,
    ],
    [
      'password without username',
      { password: 'x' },
      /^Input 'password': is set but 'username' is empty/,
    ],
    [
      'username without password',
      { username: 'bob' },
      /^Input 'username': "bob" is set but 'password' is empty/,
    ],
    [
      'namespace upper case',
      { namespace: 'MyOrg' },
      /^Input 'namespace': "MyOrg" is not a valid repository path/,
    ],
    [
      'namespace with / on Docker Hub',
      { namespace: 'a/b' },
      /^Input 'namespace': "a\/b" has a '\/'; on Docker Hub/,
    ],
    [
      'runtime',
      { runtime: 'docker' },
      /^Input 'runtime': "docker" is not accepted; use 'auto', 'runc', 'crun', or the absolute path/,
    ],
    [
      'runtime relative path',
      { runtime: 'bin/runc' },
      /^Input 'runtime': "bin\/runc" is not accepted/,
    ],
    [
      'memory unit',
      { memory: '4 GB' },
      /^Input 'memory': "4 GB" is not a memory size of at least 6m/,
    ],
    ['memory too small', { memory: '1m' }, /^Input 'memory': "1m" is not a memory size/],
    ['cpus zero', { cpus: '0' }, /^Input 'cpus': "0" is not a number of CPUs from 0\.01 to 1024/],
    ['cpus text', { cpus: 'two' }, /^Input 'cpus': "two" is not a number of CPUs/],
    [
      'platform without arch',
      { platforms: 'linux' },
      /^Input 'platforms': "linux" is not a platform kaniko builds; write os\/arch\[\/variant\]/,
    ],
    ['platform windows', { platforms: 'windows/amd64' }, /^Input 'platforms': "windows\/amd64"/],
    ['platform arch', { platforms: 'linux/x86_64' }, /^Input 'platforms': "linux\/x86_64"/],
    [
      'context absolute',
      { context: '/src' },
      /^Input 'context': "\/src" is not a directory relative/,
    ],
    [
      'context parent',
      { context: '../x' },
      /^Input 'context': "\.\.\/x" is not a directory relative/,
    ],
    [
      'tags exact version',
      { tags: 'sha-{{sha}}\n{{version}}' },
      /^Input 'tags': line 2 "\{\{version\}\}": renders to "v1\.2\.3", an exact version/,
    ],
    [
      'tags latest',
      { tags: 'latest' },
      /^Input 'tags': line 1 "latest": renders to 'latest', which the 'latest' input controls/,
    ],
    [
      'tags unknown field',
      { tags: '{{ref}}' },
      /^Input 'tags': line 1 "\{\{ref\}\}": "\{\{ref\}\}" is not a template field; use \{\{prefix\}\}/,
    ],
    [
      'tags invalid',
      { tags: 'a b' },
      /^Input 'tags': line 1 "a b": renders to "a b", which is not a valid tag/,
    ],
    [
      'github-token for commit-status',
      { 'commit-status': 'true' },
      /^Input 'github-token': is empty, but 'commit-status' is true/,
    ],
    [
      'extra-args with a space',
      { 'extra-args': '--build-arg FOO=bar' },
      /^Input 'extra-args': line "--build-arg FOO=bar" is not an executor flag; write flag and value joined by '=': '--build-arg=FOO=bar'\.$/,
    ],
    [
      'extra-args not a flag',
      { 'extra-args': 'cleanup' },
      /^Input 'extra-args': line "cleanup" is not an executor flag \(kaniko's flag syntax/,
    ],
    [
      'hub-api-url',
      { 'hub-api-url': 'hub.docker.com' },
      /^Input 'hub-api-url': "hub\.docker\.com" is not a URL/,
    ],
    [
      'hub-api-url scheme',
      { 'hub-api-url': 'ftp://x' },
      /^Input 'hub-api-url': "ftp:\/\/x" is not an http\(s\) URL/,
    ],
    [
      'executor-image without host',
      { 'executor-image': 'kaniko:v1' },
      /^Input 'executor-image': "kaniko:v1" does not start with a registry host/,
    ],
    [
      'executor-image without tag',
      { 'executor-image': 'ghcr.io/x/kaniko' },
      /^Input 'executor-image': "ghcr\.io\/x\/kaniko" has no tag or digest/,
    ],
    [
      'executor-image short digest',
      { 'executor-image': 'ghcr.io/x/kaniko@sha256:abc' },
      /has a malformed digest/,
    ],
    [
      'extra-args not a flag',
      { 'extra-args': 'rm -rf /' },
      /^Input 'extra-args': line "rm -rf \/" is not an executor flag/,
    ],
    [
      'patterns absolute',
      { patterns: '/etc/*' },
      /^Input 'patterns': "\/etc\/\*" is not relative to the repository root/,
    ],
    ['patterns parent', { patterns: '../x/*' }, /^Input 'patterns': "\.\.\/x\/\*" is not relative/],
    [
      'directories parent',
      { directories: '../outside' },
      /^Input 'directories': "\.\.\/outside" is not a directory relative/,
    ],
    [
      'dockerfile absolute',
      { dockerfile: '/etc/passwd' },
      /^Input 'dockerfile': "\/etc\/passwd" is not a path relative/,
    ],
    [
      'ca-certificates outside workspace',
      { 'ca-certificates': '../../etc/ssl/cert.pem' },
      /^Input 'ca-certificates': .* is outside the workspace/,
    ],
    [
      'ca-certificates missing file',
      { 'ca-certificates': 'missing.pem' },
      /^Input 'ca-certificates': "missing\.pem" is neither PEM text nor a readable file in the workspace \(ENOENT\)/,
    ],
    [
      'ca-certificates not PEM',
      { 'ca-certificates': 'not-a-cert.txt' },
      /^Input 'ca-certificates': the file "not-a-cert\.txt" holds no PEM certificate/,
    ],
    [
      'ca-certificates broken PEM',
      { 'ca-certificates': '-----BEGIN CERTIFICATE-----\nabc' },
      /holds no complete PEM certificate/,
    ],
    ['target', { target: 'a b' }, /^Input 'target': "a b" is not a build stage name/],
  ])('%s', (_name, values, message) => {
    expect(errorOf({ ...base, ...values })).toMatch(message);
  });

  it('reports every bad input of a run at once, each with its value', () => {
    const message = errorOf({
      ...base,
      bump: 'huge',
      version: '1.2',
      parallel: '0',
      platforms: 'linux/sparc',
      'extra-args': '--target prod',
      latest: 'yes',
    });
    const lines = message.split('\n');
    expect(lines[0]).toBe('6 inputs are not valid:');
    expect(
      lines
        .slice(1)
        .map((l) => /^- Input '([a-z-]+)'/.exec(l)?.[1])
        .sort(),
    ).toEqual(['bump', 'extra-args', 'latest', 'parallel', 'platforms', 'version']);
    for (const value of ['"huge"', '"1.2"', '"0"', '"linux/sparc"', '"--target prod"', '"yes"']) {
      expect(message).toContain(value);
    }
  });

  /** The inputs named by the errors of one run, in the order reported. */
  function failing(values: Partial<Record<InputName, string>>, mode: Mode): string[] {
    const { errors } = collectInputs((name) => values[name] ?? '', {
      mode,
      workspace,
      checkPaths: true,
    });
    return errors.map((e) => e.input);
  }

  it.each<[string, Partial<Record<InputName, string>>, string[]]>([
    [
      'five plan inputs',
      {
        bump: 'huge',
        version: '1.2',
        registry: 'https://ghcr.io',
        'build-args': 'FOO',
        patterns: '/etc/*',
      },
      ['build-args', 'bump', 'patterns', 'registry', 'version'],
    ],
    [
      'credentials, namespace and a boolean',
      { password: 'x', namespace: 'A/B', 'build-all': 'yes' },
      ['build-all', 'namespace', 'password'],
    ],
    [
      'a bad dockerfile does not hide a missing directory of another input',
      { dockerfile: '/abs', directories: '../up', context: '/ctx' },
      ['context', 'directories', 'dockerfile'],
    ],
    [
      'a named directory that is not there, beside a bad default-version',
      { directories: 'missing-dir', 'default-version': 'v1' },
      ['default-version', 'directories'],
    ],
  ])('both actions report every bad input of a run: %s', (_name, values, expected) => {
    const all = { namespace: 'myorg', ...values };
    expect(failing(all, 'main').sort()).toEqual(expected);
    expect(failing(all, 'plan').sort()).toEqual(expected);
    // And the one error of the run names each with its value, in both actions alike.
    expect(errorOf(all, 'plan')).toBe(errorOf(all, 'main'));
  });

  it.each<[string, Partial<Record<InputName, string>>, string[]]>([
    [
      'the root-only inputs',
      {
        tags: 'latest\n{{nope}}',
        'extra-args': '--target prod',
        platforms: 'linux/sparc',
        memory: '4 GB',
        cpus: '0',
        runtime: 'docker',
        parallel: '0',
        'commit-status': 'maybe',
      },
      [
        'commit-status',
        'cpus',
        'extra-args',
        'memory',
        'parallel',
        'platforms',
        'runtime',
        'tags',
        'tags',
      ],
    ],
    [
      'tags are checked with the prefix of default-version when version is bad',
      { version: 'v1', 'default-version': '1.0.0', tags: '{{major}}.{{minor}}.{{patch}}' },
      ['tags', 'version'],
    ],
    [
      'commit-status without a token, beside a bad executor-image',
      { 'commit-status': 'true', 'executor-image': 'kaniko:v1' },
      ['executor-image', 'github-token'],
    ],
  ])('the main action reports every bad input of a run: %s', (_name, values, expected) => {
    expect(failing({ namespace: 'myorg', ...values }, 'main').sort()).toEqual(expected);
  });

  it('requires a namespace for the main action', () => {
    expect(errorOf({})).toMatch(
      /^Input 'namespace': is empty and there is no 'username' to default to/,
    );
  });

  it('requires a namespace for the plan action when it must look versions up', () => {
    expect(errorOf({}, 'plan')).toMatch(/^Input 'namespace': is empty/);
  });
});

describe('getInputs', () => {
  it('removes the password from the environment that child processes inherit', () => {
    const saved = { ...process.env };
    try {
      process.env.INPUT_USERNAME = 'bob';
      process.env.INPUT_PASSWORD = 'hunter2';
      process.env.INPUT_VERSION = 'v1.0.0';
      const inputs = getInputs('plan');
      expect(inputs.password).toBe('hunter2');
      expect(process.env.INPUT_PASSWORD).toBeUndefined();
      expect(process.env.INPUT_USERNAME).toBe('bob');
    } finally {
      process.env = saved;
    }
  });
});
