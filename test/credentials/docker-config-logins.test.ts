/**
 * `Logins` reading the credentials a login step left in a docker config (moved from
 * test/versions/plan.test.ts, which tests the versions stage).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { authOf, dockerConfigs } from '../support/docker-config.js';
import { Logins } from '../../src/credentials/docker-config.js';

describe('credentials left in a docker config by an earlier step', () => {
  const configs = dockerConfigs();
  const dockerConfig = configs.write;
  const auth = authOf;
  const noLogin = { registry: 'docker.io', username: '', password: '' };
  afterAll(configs.remove);

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
