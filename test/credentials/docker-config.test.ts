import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const masked: string[] = [];
vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return {
    ...actual,
    setSecret: (value: string) => masked.push(value),
    info: () => undefined,
  };
});

const { addLogin, authKey, Logins, removeCredentials, reusableAuths, writeCredentials } =
  await import('../../src/credentials/docker-config.js');

let root: string;
let temp: string;
let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  masked.length = 0;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'credentials-test-'));
  temp = path.join(root, 'runner-temp');
  home = path.join(root, 'home');
  fs.mkdirSync(temp);
  fs.mkdirSync(home);
  env = { RUNNER_TEMP: temp, HOME: home };
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const noLogin = { registry: 'docker.io', username: '', password: '' };

function readConfig(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeDockerConfig(dir: string, config: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('authKey', () => {
  it.each([
    ['docker.io', 'https://index.docker.io/v1/'],
    ['index.docker.io', 'https://index.docker.io/v1/'],
    ['registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['127.0.0.1:41234', '127.0.0.1:41234'],
  ])('%s → %s', (registry, key) => {
    expect(authKey(registry)).toBe(key);
  });
});

describe('writeCredentials with a username and password', () => {
  it('writes a 0600 config.json in a fresh 0700 directory under RUNNER_TEMP, keyed for Docker Hub', async () => {
    const creds = await writeCredentials(
      { registry: 'docker.io', username: 'alice', password: 's3cr:et' },
      env,
    );
    expect(path.dirname(creds.dir)).toBe(temp);
    expect(creds.configPath).toBe(path.join(creds.dir, 'config.json'));
    expect(fs.statSync(creds.dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(creds.configPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(creds.dir)).toEqual(['config.json']);
    const config = readConfig(creds.configPath) as { auths: Record<string, { auth: string }> };
    expect(Object.keys(config)).toEqual(['auths']);
    expect(Object.keys(config.auths)).toEqual(['https://index.docker.io/v1/']);
    const auth = config.auths['https://index.docker.io/v1/']?.auth ?? '';
    expect(Buffer.from(auth, 'base64').toString('utf8')).toBe('alice:s3cr:et');
  });

  it('keys any other registry by host[:port]', async () => {
    const creds = await writeCredentials(
      { registry: '127.0.0.1:5000', username: 'bob', password: 'pw' },
      env,
    );
    expect(readConfig(creds.configPath)).toEqual({
      auths: { '127.0.0.1:5000': { auth: Buffer.from('bob:pw').toString('base64') } },
    });
  });

  it('ignores an existing docker config and never touches ~/.docker', async () => {
    const existing = writeDockerConfig(path.join(home, '.docker'), {
      auths: { 'other.io': { auth: 'eDp5' } },
    });
    const before = fs.readFileSync(existing, 'utf8');
    const creds = await writeCredentials(
      { registry: 'ghcr.io', username: 'u', password: 'p' },
      env,
    );
    expect(Object.keys((readConfig(creds.configPath) as { auths: object }).auths)).toEqual([
      'ghcr.io',
    ]);
    expect(fs.readFileSync(existing, 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(home, '.docker'))).toEqual(['config.json']);
  });

  it('gives every call its own directory', async () => {
    const a = await writeCredentials({ registry: 'ghcr.io', username: 'u', password: 'p' }, env);
    const b = await writeCredentials({ registry: 'ghcr.io', username: 'u', password: 'p' }, env);
    expect(a.dir).not.toBe(b.dir);
  });
});

describe('writeCredentials without a username and password', () => {
  it('reuses only the auths of $DOCKER_CONFIG/config.json, never credsStore or credHelpers', async () => {
    const dockerConfig = path.join(root, 'login-action');
    writeDockerConfig(dockerConfig, {
      auths: {
        'https://index.docker.io/v1/': { auth: 'aHViOnRva2Vu' },
        'ghcr.io': { username: 'me', password: 'ghp_x', email: 'me@example.com' },
        'quay.io': {},
        'registry.example': { identitytoken: 'tok' },
      },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud' },
      HttpHeaders: { 'User-Agent': 'x' },
    });
    const creds = await writeCredentials(noLogin, { ...env, DOCKER_CONFIG: dockerConfig });
    expect(readConfig(creds.configPath)).toEqual({
      auths: {
        'https://index.docker.io/v1/': { auth: 'aHViOnRva2Vu' },
        'ghcr.io': { username: 'me', password: 'ghp_x' },
        'registry.example': { identitytoken: 'tok' },
      },
    });
    expect(masked).toEqual(expect.arrayContaining(['aHViOnRva2Vu', 'ghp_x', 'tok']));
    expect(masked).not.toContain('me');
  });

  it('falls back to ~/.docker/config.json', async () => {
    writeDockerConfig(path.join(home, '.docker'), { auths: { 'ghcr.io': { auth: 'dTpw' } } });
    const creds = await writeCredentials(noLogin, env);
    expect(readConfig(creds.configPath)).toEqual({ auths: { 'ghcr.io': { auth: 'dTpw' } } });
  });

  it('writes empty auths when there is no docker config, and creates no ~/.docker', async () => {
    const creds = await writeCredentials(noLogin, env);
    expect(readConfig(creds.configPath)).toEqual({ auths: {} });
    expect(fs.existsSync(path.join(home, '.docker'))).toBe(false);
  });

  it('writes empty auths for a config that has only a credsStore', async () => {
    writeDockerConfig(path.join(home, '.docker'), {
      auths: { 'https://index.docker.io/v1/': {} },
      credsStore: 'pass',
    });
    const creds = await writeCredentials(noLogin, env);
    expect(readConfig(creds.configPath)).toEqual({ auths: {} });
  });

  it('fails clearly on an existing config that is not JSON', async () => {
    const dir = path.join(home, '.docker');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{not json');
    await expect(writeCredentials(noLogin, env)).rejects.toThrow(/not valid JSON/);
    expect(fs.readdirSync(temp)).toEqual([]);
  });
});

describe('reusableAuths', () => {
  it.each([
    [null, {}],
    ['text', {}],
    [{}, {}],
    [{ auths: [] }, {}],
    [{ auths: { a: 'x', b: { auth: 1 }, c: { auth: '' } } }, {}],
    [{ auths: { a: { auth: 'x', serveraddress: 'a' } } }, { a: { auth: 'x' } }],
  ])('%j → %j', (input, expected) => {
    expect(reusableAuths(input)).toEqual(expected);
  });
});

describe('RUNNER_TEMP', () => {
  it('is required', async () => {
    await expect(
      writeCredentials({ registry: 'ghcr.io', username: 'u', password: 'p' }, { HOME: home }),
    ).rejects.toThrow(/RUNNER_TEMP is not set/);
    await expect(removeCredentials(path.join(temp, 'x'), { HOME: home })).rejects.toThrow(
      /RUNNER_TEMP is not set/,
    );
  });
});

describe('removeCredentials', () => {
  it('deletes the directory it wrote', async () => {
    const creds = await writeCredentials(
      { registry: 'ghcr.io', username: 'u', password: 'p' },
      env,
    );
    await removeCredentials(creds.dir, env);
    expect(fs.existsSync(creds.dir)).toBe(false);
    expect(fs.readdirSync(temp)).toEqual([]);
  });

  it('accepts a directory that is already gone', async () => {
    await expect(
      removeCredentials(path.join(temp, 'kaniko-release-auth-gone'), env),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['RUNNER_TEMP itself', (t: string) => t],
    ['a directory outside it', (t: string) => path.join(path.dirname(t), 'home')],
    ['an escape through ..', (t: string) => path.join(t, '..', 'kaniko-release-auth-x')],
    ['a directory it did not write', (t: string) => path.join(t, 'something-else')],
    ['the root', () => '/'],
  ])('refuses %s', async (_what, target) => {
    const dir = target(temp);
    fs.mkdirSync(path.join(temp, 'something-else'), { recursive: true });
    await expect(removeCredentials(dir, env)).rejects.toThrow(/Refusing to delete/);
    expect(fs.existsSync(home)).toBe(true);
    expect(fs.existsSync(path.join(temp, 'something-else'))).toBe(true);
  });
});

describe('addLogin', () => {
  it('adds a masked entry for one more host, keeping the others, the file 0600 and alone', async () => {
    const creds = await writeCredentials(
      { registry: 'ghcr.io', username: 'u', password: 'p' },
      env,
    );
    const before = fs.statSync(creds.configPath).ino;
    await addLogin(creds, '127.0.0.1:40123', { username: 'kaniko-release', password: 'sec-ret' });
    const auth = Buffer.from('kaniko-release:sec-ret').toString('base64');
    expect(readConfig(creds.configPath)).toEqual({
      auths: {
        'ghcr.io': { auth: Buffer.from('u:p').toString('base64') },
        '127.0.0.1:40123': { auth },
      },
    });
    // Written anew and renamed over: a reader sees the old file or the new one, never half.
    expect(fs.statSync(creds.configPath).ino).not.toBe(before);
    expect(fs.statSync(creds.configPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(creds.dir)).toEqual(['config.json']);
    expect(masked).toEqual(expect.arrayContaining(['sec-ret', auth]));
  });

  it('fails naming the host when the file is gone', async () => {
    const creds = await writeCredentials(
      { registry: 'ghcr.io', username: 'u', password: 'p' },
      env,
    );
    fs.rmSync(creds.configPath);
    await expect(addLogin(creds, '127.0.0.1:1', { username: 'a', password: 'b' })).rejects.toThrow(
      /login of 127\.0\.0\.1:1/,
    );
  });
});

describe('Logins.opaqueFor', () => {
  it('is true only for a reused entry without a user name and password', () => {
    const dockerConfig = path.join(root, 'login-action');
    writeDockerConfig(dockerConfig, {
      auths: {
        'https://index.docker.io/v1/': { auth: 'aHViOnRva2Vu' },
        'registry.example': { identitytoken: 'tok' },
        'https://tokens.example/v1/': { registrytoken: 'rt' },
      },
    });
    const logins = new Logins(noLogin, { ...env, DOCKER_CONFIG: dockerConfig });
    expect(logins.opaqueFor('index.docker.io')).toBe(false);
    expect(logins.opaqueFor('registry.example')).toBe(true);
    expect(logins.opaqueFor('tokens.example')).toBe(true);
    expect(logins.opaqueFor('ghcr.io')).toBe(false);
    const given = new Logins(
      { registry: 'registry.example', username: 'u', password: 'p' },
      { ...env, DOCKER_CONFIG: dockerConfig },
    );
    expect(given.opaqueFor('registry.example')).toBe(false);
  });
});
