/**
 * `Registries`, the registry clients of a run, over the real docker-registry (with htpasswd
 * auth) (moved from test/versions/plan.test.ts, which tests the versions stage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/contract.js';
import { Registries } from '../../src/registry/clients.js';
import { imageRef } from '../../src/versions/image-ref.js';
import { inputsFrom } from '../support/inputs.js';
import { pushRandomImage, startRegistry, type LocalRegistry } from '../support/registry.js';

describe('Registries on another registry (real docker-registry with htpasswd)', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'ci', password: 'pw-42' } });
    await pushRandomImage(reg, 'team/svc-a', ['v0.9.0', 'v0.10.0', 'latest']);
  });
  afterAll(async () => reg?.stop());

  const regInputs = (): Inputs =>
    inputsFrom(
      {
        registry: reg.host,
        namespace: 'team',
        username: 'ci',
        password: 'pw-42',
        'insecure-registries': reg.host,
      },
      { mode: 'plan' },
    );

  it('answers the pre-build question: does <image>:<tag> exist now?', async () => {
    const registries = new Registries(regInputs());
    try {
      const ref = imageRef(reg.host, 'team', 'svc-a');
      expect(await registries.digestOf(ref, 'v0.10.0')).toMatch(/^sha256:/);
      expect(await registries.digestOf(ref, 'v0.10.1')).toBeNull();
      expect(await registries.digestOf(ref, 'latest')).toMatch(/^sha256:/);
    } finally {
      await registries.http.close();
    }
  });
});
