/**
 * `Registries`, the registry clients of a run, over the real docker-registry (with htpasswd
 * auth) (moved from test/versions/plan.test.ts, which tests the versions stage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildTarget, Inputs } from '../../src/contract.js';
import { Registries } from '../../src/registry/clients.js';
import { planVersions, type VersionOptions } from '../../src/versions/plan.js';
import { inputsFrom, type InputValues } from '../support/inputs.js';
import { pushRandomImage, startRegistry, type LocalRegistry } from '../support/registry.js';

/** Directories to plan, as detection hands them over. */
const targets = (dirs: string[]): BuildTarget[] =>
  dirs.map((directory) => ({ directory, reason: 'changed', wave: 0 }));

function inputs(values: InputValues): Inputs {
  return inputsFrom(values, { mode: 'plan' });
}

function recorder(): Required<VersionOptions>['log'] & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    warning: (m: string) => void warnings.push(m),
    info: (m: string) => void infos.push(m),
  };
}

describe('Registries on another registry (real docker-registry with htpasswd)', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'ci', password: 'pw-42' } });
    await pushRandomImage(reg, 'team/svc-a', ['v0.9.0', 'v0.10.0', 'latest']);
  });
  afterAll(async () => reg?.stop());

  const regInputs = (extra: Record<string, string> = {}): Inputs =>
    inputs({
      registry: reg.host,
      namespace: 'team',
      username: 'ci',
      password: 'pw-42',
      'insecure-registries': reg.host,
      ...extra,
    });

  it('answers the pre-build question: does <image>:<tag> exist now?', async () => {
    const registries = new Registries(regInputs());
    try {
      const ref = (await planVersions(targets(['svc-a']), regInputs(), { log: recorder() }))
        .plans[0]!.ref;
      expect(await registries.digestOf(ref, 'v0.10.0')).toMatch(/^sha256:/);
      expect(await registries.digestOf(ref, 'v0.10.1')).toBeNull();
      expect(await registries.digestOf(ref, 'latest')).toMatch(/^sha256:/);
    } finally {
      await registries.http.close();
    }
  });
});
