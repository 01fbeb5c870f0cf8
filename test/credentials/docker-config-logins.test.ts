/**
 * `Logins` reading the credentials a login step left in a docker config (moved from
 * test/versions/plan.test.ts, which tests the versions stage).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Logins } from '../../src/credentials/docker-config.js';

describe('credentials left in a docker config by an earlier step', () => {
  const dirs: string[] = [];
  const dockerConfig = (auths: Record<string, unknown>): NodeJS.ProcessEnv => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }));
    return { DOCKER_CONFIG: dir };
  };
  const auth = (user: string, password: string): string =>
    Buffer.from(`${user}:${password}`).toString('base64');
  const noLogin = { registry: 'docker.io', username: '', password: '' };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
  ])('finds the entry %j for %s', (key, registry) => {
    const env = dockerConfig({ [key]: { auth: auth('u', 'p:w') } });
    expect(new Logins(noLogin, env).loginFor(registry)).toEqual({ username: 'u', password: 'p:w' });
  });

  it('ignores other registries, empty placeholders and a missing file', () => {
    const env = dockerConfig({ 'ghcr.io': {}, 'quay.io': { auth: auth('u', 'p') } });
    expect(new Logins(noLogin, env).loginFor('ghcr.io')).toBeUndefined();
    expect(new Logins(noLogin, env).loginFor('docker.io')).toBeUndefined();
    expect(
      new Logins(noLogin, { DOCKER_CONFIG: '/nonexistent' }).loginFor('ghcr.io'),
    ).toBeUndefined();
  });
});
