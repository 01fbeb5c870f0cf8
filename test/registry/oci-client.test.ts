/**
 * The OCI distribution client against the real Debian `docker-registry` on 127.0.0.1: without
 * auth, with htpasswd (Basic) auth, and behind a Bearer token service (test/support/
 * token-registry.ts) that also serves tag lists in pages, with relative and absolute Links.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from '../../src/registry/http.js';
import { RegistryError } from '../../src/registry/errors.js';
import { MANIFEST_TYPES, RegistryClient } from '../../src/registry/oci-client.js';
import { getManifest, putManifest } from '../support/oci-image.js';
import { pushRandomImage, startRegistry, type LocalRegistry } from '../support/registry.js';
import { startTokenRegistry, type TokenRegistry } from '../support/token-registry.js';

const MANY = Array.from({ length: 230 }, (_, i) => `v1.${i % 7}.${i}`);

/** Pushes one image under `tags[0]`, then puts the same manifest under the other tags, 16 at once. */
async function pushTagged(reg: LocalRegistry, repo: string, tags: string[]): Promise<string> {
  const digest = await pushRandomImage(reg, repo, tags.slice(0, 1));
  const { body, mediaType } = await getManifest(reg, repo, digest);
  for (let i = 1; i < tags.length; i += 16) {
    await Promise.all(
      tags.slice(i, i + 16).map((tag) => putManifest(reg, repo, tag, body, mediaType)),
    );
  }
  return digest;
}

function http(insecure: string[]): Http {
  return new Http({
    insecureRegistries: insecure,
    caCertificates: '',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
}

describe('RegistryClient against docker-registry without auth', () => {
  let reg: LocalRegistry;
  let digest: string;
  beforeAll(async () => {
    reg = await startRegistry();
    digest = await pushRandomImage(reg, 'team/app', ['v1.0.0', 'v1.0.1', 'latest']);
    await pushTagged(reg, 'team/many', MANY);
  });
  afterAll(async () => reg?.stop());

  it('lists every tag of a repository', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host);
    expect((await client.listTags('team/app'))?.sort()).toEqual(['latest', 'v1.0.0', 'v1.0.1']);
    expect((await client.listTags('team/many'))?.sort()).toEqual([...MANY].sort());
  });

  it('answers null for a repository that does not exist', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host);
    expect(await client.listTags('team/nothing')).toBeNull();
  });

  it('reads manifest digests and manifests, null for a missing tag', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host);
    expect(await client.manifestDigest('team/app', 'v1.0.1')).toBe(digest);
    expect(await client.manifestDigest('team/app', 'v9.9.9')).toBeNull();
    expect(await client.manifestDigest('team/nothing', 'v1.0.0')).toBeNull();
    const manifest = await client.getManifest('team/app', 'v1.0.0', MANIFEST_TYPES);
    expect(manifest.digest).toBe(digest);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const byDigest = await client.getManifest('team/app', digest, MANIFEST_TYPES);
    expect(byDigest.body.equals(manifest.body)).toBe(true);
  });

  it('streams a blob whose content matches its digest', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host);
    const manifest = JSON.parse(
      (await client.getManifest('team/app', 'v1.0.0', MANIFEST_TYPES)).body.toString(),
    ) as { layers: { digest: string }[] };
    const layer = manifest.layers[0]!.digest;
    const response = await client.getBlob('team/app', layer);
    const body = Buffer.from(await response.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(body).digest('hex')}`).toBe(layer);
  });

  it('uses https unless the host is an insecure registry', async () => {
    const client = new RegistryClient(http([]), reg.host);
    const error = await client.listTags('team/app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain(`https://${reg.host}/v2/team/app/tags/list`);
  });
});

describe('RegistryClient against docker-registry with htpasswd (Basic) auth', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'alice', password: 's3cret' } });
    await pushRandomImage(reg, 'team/app', ['v2.0.0', 'v2.1.0']);
    await pushTagged(reg, 'team/many', MANY);
  });
  afterAll(async () => reg?.stop());

  it('answers the Basic challenge with the credentials', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host, {
      username: 'alice',
      password: 's3cret',
    });
    expect((await client.listTags('team/app'))?.sort()).toEqual(['v2.0.0', 'v2.1.0']);
    expect(await client.listTags('team/many')).toHaveLength(MANY.length);
    expect(await client.listTags('team/nothing')).toBeNull();
    expect(await client.manifestDigest('team/app', 'v2.0.0')).toMatch(/^sha256:/);
  });

  it('answers the challenge once for many requests in parallel', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host, {
      username: 'alice',
      password: 's3cret',
    });
    const lists = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.listTags(i % 2 ? 'team/app' : 'team/nothing')),
    );
    expect(lists.map((l) => l?.length ?? null)).toEqual([null, 2, null, 2, null, 2, null, 2]);
  });

  it('fails loudly with wrong credentials, naming the URL but not the password', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host, {
      username: 'alice',
      password: 'wrong-password',
    });
    const error = (await client.listTags('team/app').catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(401);
    expect(error.message).toContain(`http://${reg.host}/v2/team/app/tags/list`);
    expect(error.message).toContain("Check 'username' and 'password'");
    expect(error.message).not.toContain('wrong-password');
  });

  it('fails loudly without credentials, saying they are needed', async () => {
    const client = new RegistryClient(http([reg.host]), reg.host);
    const error = (await client.listTags('team/app').catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(401);
    expect(error.message).toContain("set 'username' and 'password'");
  });
});

describe('RegistryClient behind a Bearer token service, with paginated tag lists', () => {
  let reg: LocalRegistry;
  const proxies: TokenRegistry[] = [];
  const proxy = async (
    options: Omit<Parameters<typeof startTokenRegistry>[0], 'upstream'>,
  ): Promise<TokenRegistry> => {
    const p = await startTokenRegistry({ upstream: reg.url, ...options });
    proxies.push(p);
    return p;
  };
  beforeAll(async () => {
    reg = await startRegistry();
    await pushRandomImage(reg, 'team/app', ['v1.0.0']);
    await pushTagged(reg, 'team/many', MANY);
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await reg?.stop();
  });

  it('fetches an anonymous token scoped to the repository and follows relative Links', async () => {
    const p = await proxy({ paginate: { pageSize: 50, link: 'relative' } });
    const client = new RegistryClient(http([p.host]), p.host, undefined, { pageSize: 50 });
    const tags = await client.listTags('team/many');
    expect(tags).toEqual([...MANY].sort());
    expect(p.tokenRequests).toEqual([
      { scope: 'repository:team/many:pull', service: 'test-registry', authorization: '' },
    ]);
    const pages = p.requests.filter((r) => r.path.includes('/tags/list') && r.authorization);
    expect(pages).toHaveLength(5); // 230 tags, 50 per page
  });

  it('fetches one token per repository for many requests in parallel', async () => {
    const p = await proxy({});
    const client = new RegistryClient(http([p.host]), p.host);
    const lists = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.listTags(i % 2 ? 'team/app' : 'team/many')),
    );
    expect(lists.map((l) => l?.length)).toEqual([230, 1, 230, 1, 230, 1]);
    expect(p.tokenRequests.map((t) => t.scope).sort()).toEqual([
      'repository:team/app:pull',
      'repository:team/many:pull',
    ]);
  });

  it('follows absolute Links and sends Basic credentials to the realm', async () => {
    const p = await proxy({
      users: { bob: 'pat_123' },
      paginate: { pageSize: 100, link: 'absolute' },
    });
    const client = new RegistryClient(http([p.host]), p.host, {
      username: 'bob',
      password: 'pat_123',
    });
    expect(await client.listTags('team/many')).toHaveLength(MANY.length);
    expect(p.tokenRequests).toHaveLength(1);
    expect(p.tokenRequests[0]!.authorization).toBe(
      `Basic ${Buffer.from('bob:pat_123').toString('base64')}`,
    );
  });

  it('refreshes an expired token in the middle of the pages', async () => {
    const p = await proxy({ tokenUses: 2, paginate: { pageSize: 40, link: 'relative' } });
    const client = new RegistryClient(http([p.host]), p.host, undefined, { pageSize: 40 });
    expect(await client.listTags('team/many')).toEqual([...MANY].sort());
    expect(p.tokenRequests.length).toBeGreaterThanOrEqual(3);
  });

  it('accepts a realm given as a path on the registry', async () => {
    const p = await proxy({ realm: 'relative' });
    const client = new RegistryClient(http([p.host]), p.host);
    expect(await client.listTags('team/app')).toEqual(['v1.0.0']);
  });

  it('answers null when the repository does not exist, behind the token service', async () => {
    const p = await proxy({});
    const client = new RegistryClient(http([p.host]), p.host);
    expect(await client.listTags('team/nothing')).toBeNull();
  });

  it('fails when the token service refuses the credentials', async () => {
    const p = await proxy({ users: { bob: 'right' } });
    const client = new RegistryClient(http([p.host]), p.host, {
      username: 'bob',
      password: 'nope',
    });
    const error = (await client.listTags('team/app').catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain(`http://${p.host}/token`);
    expect(error.message).toContain('incorrect username or password');
    expect(error.message).toContain("Check 'username' and 'password'");
    expect(error.message).not.toContain('nope');
  });

  it('fails when an anonymous token grants no access (a private repository)', async () => {
    const p = await proxy({ users: { bob: 'right' } });
    const client = new RegistryClient(http([p.host]), p.host);
    const error = (await client.listTags('team/app').catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(401);
    expect(error.message).toContain("set 'username' and 'password'");
  });

  it('refuses to send credentials to a plain-HTTP realm that is not an insecure registry', async () => {
    const p = await proxy({ users: { bob: 'right' } });
    const front = await proxy({ users: { bob: 'right' }, realm: 'absolute' });
    // The registry host is insecure; the realm (another port) is not.
    const client = new RegistryClient(
      new Http({ insecureRegistries: [front.host], caCertificates: '' }),
      front.host,
      { username: 'bob', password: 'right' },
    );
    // `front` challenges with `p`'s realm: another origin, reached over plain HTTP.
    front.addFault({
      status: 401,
      headers: {
        'www-authenticate': `Bearer realm="${p.url}/token",service="x",scope="repository:team/app:pull"`,
      },
      body: '{}',
    });
    const error = (await client.listTags('team/app').catch((e: unknown) => e)) as RegistryError;
    expect(error.message).toContain('over plain HTTP; refusing to send them');
    expect(p.tokenRequests).toHaveLength(0);
  });

  it('follows a blob redirect to another origin without the Authorization header', async () => {
    const p = await proxy({ blobRedirect: true });
    const client = new RegistryClient(http([p.host, p.cdnHost]), p.host);
    const manifest = JSON.parse(
      (await client.getManifest('team/app', 'v1.0.0', MANIFEST_TYPES)).body.toString(),
    ) as { layers: { digest: string }[] };
    const layer = manifest.layers[0]!.digest;
    const body = Buffer.from(await (await client.getBlob('team/app', layer)).arrayBuffer());
    expect(`sha256:${createHash('sha256').update(body).digest('hex')}`).toBe(layer);
    const blobRequests = p.requests.filter((r) => r.path.includes('/blobs/'));
    expect(blobRequests.at(-1)!.authorization).toMatch(/^Bearer /);
    expect(p.cdnRequests).toEqual([{ path: `/cdn/v2/team/app/blobs/${layer}`, authorization: '' }]);
  });
});
