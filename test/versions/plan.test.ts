/**
 * The versions stage end to end over real local servers: the fake Docker Hub for `docker.io`,
 * the real docker-registry (with htpasswd auth) for any other registry.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authOf, dockerConfigs } from '../support/docker-config.js';
import { Http } from '../../src/registry/http.js';
import type { ImageRef } from '../../src/versions/image-ref.js';
import type { BuildTarget, Inputs } from '../../src/contract.js';
import { Registries } from '../../src/registry/clients.js';
import { planVersions, type VersionOptions } from '../../src/versions/plan.js';
import { startFakeHub, type FakeHub } from '../support/fake-hub.js';
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

describe('planVersions on Docker Hub (fake Hub API)', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub({ users: { alice: 'dckr_pat_1' } });
    hub.setRepo('acme', 'api', ['v1.0.0', 'v1.0.9', 'v1.0.10', 'latest', 'v1.0.11-rc1']);
    hub.setRepo('acme', 'worker', ['v2.3.4', 'v3.0.0-amd64', 'v3.0.0-arm64']);
    hub.setRepo('acme', 'images-base', ['sha-abc', 'latest']);
    hub.setRepo('acme', 'secret', ['v5.0.0'], { private: true });
  });
  afterAll(async () => hub?.stop());
  beforeEach(() => {
    hub.requests.length = 0;
    hub.faults.clear();
  });

  const hubInputs = (extra: Record<string, string> = {}): Inputs =>
    inputs({ namespace: 'acme', 'hub-api-url': hub.url, ...extra });

  it('bumps the highest version of each image, default-version for the rest', async () => {
    const log = recorder();
    const planned = await planVersions(
      targets(['api', 'worker', 'images/base', 'brand-new', 'Bad Name!']),
      hubInputs(),
      { log },
    );
    expect(planned.plans.map((p) => [p.directory, p.ref.reference, p.version, p.previous])).toEqual(
      [
        ['api', 'docker.io/acme/api', 'v1.0.11', 'v1.0.10'],
        ['worker', 'docker.io/acme/worker', 'v2.3.5', 'v2.3.4'],
        ['images/base', 'docker.io/acme/images-base', 'v1.0.0', ''],
        ['brand-new', 'docker.io/acme/brand-new', 'v1.0.0', ''],
      ],
    );
    expect(planned.failures).toHaveLength(1);
    expect(planned.failures[0]!.directory).toBe('Bad Name!');
    expect(planned.failures[0]!.error).toContain('"Bad Name!"');
    expect(log.warnings).toHaveLength(2);
    expect(log.warnings[0]).toContain('docker.io/acme/api: ignored v1.0.11-rc1');
    expect(log.warnings[1]).toContain('ignored v3.0.0-amd64, v3.0.0-arm64');
    expect(log.infos.join('\n')).toContain('docker.io/acme/brand-new does not exist yet');
  });

  it('honours default-version and bump', async () => {
    const planned = await planVersions(
      targets(['api', 'brand-new']),
      hubInputs({ bump: 'minor', 'default-version': 'v0.1.0' }),
      { log: recorder() },
    );
    expect(planned.plans.map((p) => p.version)).toEqual(['v1.1.0', 'v0.1.0']);
  });

  it('reads a private repository with credentials', async () => {
    const planned = await planVersions(
      targets(['secret']),
      hubInputs({
        username: 'alice',
        password: 'dckr_pat_1',
        'insecure-registries': new URL(hub.url).host,
      }),
      { log: recorder() },
    );
    expect(planned.plans[0]).toMatchObject({ version: 'v5.0.1', previous: 'v5.0.0' });
  });

  it('says that a private repository looks missing without credentials', async () => {
    const log = recorder();
    const planned = await planVersions(targets(['secret']), hubInputs(), { log });
    expect(planned.plans[0]!.version).toBe('v1.0.0');
    expect(log.infos.join('\n')).toContain('private repository');
  });

  it('makes no request at all with an explicit version', async () => {
    const planned = await planVersions(
      targets(['api', 'brand-new']),
      hubInputs({ version: 'v9.9.9' }),
    );
    expect(planned.plans.map((p) => [p.version, p.previous])).toEqual([
      ['v9.9.9', ''],
      ['v9.9.9', ''],
    ]);
    expect(hub.requests).toEqual([]);
  });

  it('needs no namespace with an explicit version in the plan action', async () => {
    const planned = await planVersions(targets(['api']), inputs({ version: 'v2.0.0' }));
    expect(planned.plans[0]!.ref.repository).toBe('api');
  });

  it.each([
    ['a 500 after every retry', { kind: 'status', status: 500 } as const],
    ['an HTML page', { kind: 'html' } as const],
    ['malformed JSON', { kind: 'malformed-json' } as const],
    ['a 401', { kind: 'status', status: 401, body: '{"message":"unauthorized"}' } as const],
  ])('rejects on %s instead of guessing default-version', async (_what, fault) => {
    hub.faults.add(fault, { path: '/acme/repositories/worker/', times: 100 });
    const error = (await planVersions(targets(['api', 'worker', 'brand-new']), hubInputs(), {
      log: recorder(),
      lookups: new Registries(
        hubInputs(),
        new Http({
          insecureRegistries: [],
          caCertificates: '',
          sleep: async () => undefined,
        }),
      ),
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(
      'Cannot read the tags of docker.io/acme/worker (directory worker)',
    );
    expect(error.message).toContain(`${hub.url}/v2/namespaces/acme/repositories/worker/tags`);
  });
});

describe('planVersions on another registry (real docker-registry with htpasswd)', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'ci', password: 'pw-42' } });
    await pushRandomImage(reg, 'team/svc-a', ['v0.9.0', 'v0.10.0', 'latest']);
    await pushRandomImage(reg, 'team/tools-lint', ['1.2.3', 'v4.0.0']);
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

  it('lists tags over the distribution API with the credentials', async () => {
    const planned = await planVersions(targets(['svc-a', 'tools/lint', 'svc-new']), regInputs(), {
      log: recorder(),
    });
    expect(planned.plans.map((p) => [p.ref.reference, p.version, p.previous])).toEqual([
      [`${reg.host}/team/svc-a`, 'v0.10.1', 'v0.10.0'],
      [`${reg.host}/team/tools-lint`, 'v4.0.1', 'v4.0.0'],
      [`${reg.host}/team/svc-new`, 'v1.0.0', ''],
    ]);
  });

  it('uses credentials a login step left in the docker config, unless given its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-'));
    try {
      const write = (password: string): void =>
        fs.writeFileSync(
          path.join(dir, 'config.json'),
          JSON.stringify({
            auths: { [reg.host]: { auth: Buffer.from(`ci:${password}`).toString('base64') } },
          }),
        );
      const env = { DOCKER_CONFIG: dir };
      const plan = async (values: Inputs): Promise<string> => {
        const registries = new Registries(values, undefined, undefined, env);
        try {
          const planned = await planVersions(targets(['svc-a']), values, {
            lookups: registries,
            log: recorder(),
          });
          return planned.plans[0]!.version;
        } finally {
          await registries.http.close();
        }
      };
      write('pw-42');
      expect(await plan(regInputs({ username: '', password: '' }))).toBe('v0.10.1');
      write('stale');
      expect(await plan(regInputs())).toBe('v0.10.1');
      await expect(plan(regInputs({ username: '', password: '' }))).rejects.toThrow(/401/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses a v-less default-version prefix', async () => {
    const planned = await planVersions(
      targets(['tools/lint']),
      regInputs({ 'default-version': '0.1.0' }),
      {
        log: recorder(),
      },
    );
    expect(planned.plans[0]).toMatchObject({ version: '1.2.4', previous: '1.2.3' });
  });

  it('rejects with wrong credentials, naming image, URL and what to check', async () => {
    const error = (await planVersions(targets(['svc-a']), regInputs({ password: 'nope' }), {
      log: recorder(),
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`Cannot read the tags of ${reg.host}/team/svc-a`);
    expect(error.message).toContain(`http://${reg.host}/v2/team/svc-a/tags/list`);
    expect(error.message).toContain("Check 'username' and 'password'");
  });

  it('rejects when the registry is not listed as insecure (https to a plain-HTTP server)', async () => {
    const error = (await planVersions(
      targets(['svc-a']),
      regInputs({ 'insecure-registries': '' }),
      {
        log: recorder(),
      },
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`https://${reg.host}/v2/team/svc-a/tags/list`);
  });
});

describe('credentials left in a docker config by an earlier step', () => {
  const configs = dockerConfigs();
  const dockerConfig = configs.write;
  const auth = authOf;
  afterAll(configs.remove);

  it('reads a private Docker Hub repository with them', async () => {
    const hub = await startFakeHub({ users: { alice: 'dckr_pat_9' } });
    try {
      hub.setRepo('acme', 'secret', ['v5.0.0'], { private: true });
      const values = inputs({
        namespace: 'acme',
        'hub-api-url': hub.url,
        'insecure-registries': new URL(hub.url).host,
      });
      const registries = new Registries(
        values,
        undefined,
        undefined,
        dockerConfig({ 'https://index.docker.io/v1/': { auth: auth('alice', 'dckr_pat_9') } }),
      );
      const planned = await planVersions(targets(['secret']), values, {
        lookups: registries,
        log: recorder(),
      });
      await registries.http.close();
      expect(planned.plans[0]).toMatchObject({ version: 'v5.0.1', previous: 'v5.0.0' });
    } finally {
      await hub.stop();
    }
  });
});

describe('bounded concurrency', () => {
  it('never runs more lookups at once than the limit, and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const lookups = {
      async listTags(ref: ImageRef): Promise<string[] | null> {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return [`v1.0.${ref.repository.length}`];
      },
      digestOf: async () => null,
    };
    const dirs = Array.from({ length: 30 }, (_, i) => `image-${'x'.repeat(i + 1)}`);
    const planned = await planVersions(targets(dirs), inputs({ namespace: 'n' }), {
      lookups,
      concurrency: 4,
      log: recorder(),
    });
    expect(peak).toBe(4);
    expect(planned.plans.map((p) => p.directory)).toEqual(dirs);
  });
});
