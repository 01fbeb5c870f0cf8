/**
 * The release of what kaniko built, against the real docker-registry with htpasswd auth: the
 * stand-in executor writes real OCI layouts (`--no-push --oci-layout-path --custom-platform
 * --reproducible`) from a two-platform busybox base, the action's own client pushes them by
 * digest, puts one index under every tag, and compares later builds with `latest`.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageRef } from '../../src/contract.js';
import { Registries } from '../../src/registry/clients.js';
import { readLayout } from '../../src/release/layout.js';
import { releaseBuilt, ReleaseError, type ReleaseRequest } from '../../src/release/release.js';
import type { NamedImage } from '../../src/release/unchanged.js';
import { imageRef } from '../../src/versions/image-ref.js';
import { ARM64_BUSYBOX, HOST_BUSYBOX, pushBusyboxImage } from '../support/busybox-image.js';
import { inputsFrom } from '../support/inputs.js';
import { getBlob, getManifest } from '../support/oci-image.js';
import { listTags, manifestDigest, pushRandomImage } from '../support/registry.js';
import {
  COMPILE_TIMEOUT,
  startStandinFixture,
  type StandinFixture,
} from '../support/standin-fixture.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64'];

let f: StandinFixture;
let registries: Registries;
let baseRef: string;
let builds = 0;

beforeAll(async () => {
  f = await startStandinFixture();
  await pushBusyboxImage(f.reg, 'base/multi', '1', {
    platforms: [
      { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
      { platform: 'linux/arm64', busybox: ARM64_BUSYBOX || HOST_BUSYBOX },
    ],
  });
  baseRef = `${f.reg.host}/base/multi:1`;
  registries = new Registries(
    inputsFrom({
      registry: f.reg.host,
      namespace: 'rel',
      username: f.reg.username,
      password: f.reg.password,
      'insecure-registries': f.reg.host,
    }),
    undefined,
    undefined,
    { HOME: f.work },
  );
}, COMPILE_TIMEOUT);
afterAll(async () => {
  await registries?.close();
  await f?.stop();
});

/** Builds `files` for each platform into a fresh layout, as the action's runs do. */
async function build(
  files: Record<string, string>,
  platforms: string[],
  release = 'v0.0.0',
): Promise<NamedImage[]> {
  const out: NamedImage[] = [];
  for (const platform of platforms) {
    const name = `b${++builds}`;
    const dir = path.join(f.work, 'layouts', name);
    const r = await f.build(name, files, [
      '--no-push',
      `--oci-layout-path=${dir}`,
      `--custom-platform=${platform}`,
      '--reproducible',
      // What every release labels anew: never a difference.
      `--label=org.opencontainers.image.created=2026-01-0${builds % 9}T00:00:00Z`,
      `--label=org.opencontainers.image.revision=${'a'.repeat(39)}${builds % 9}`,
      `--label=org.opencontainers.image.version=${release}`,
      '--label=org.opencontainers.image.source=https://github.com/acme/mono',
    ]);
    expect(r.code, r.stderr).toBe(0);
    out.push({ name: platform, image: await readLayout(dir) });
  }
  return out;
}

function request(
  ref: ImageRef,
  images: NamedImage[],
  extra: Partial<ReleaseRequest>,
): ReleaseRequest {
  return {
    ref,
    version: 'v1.2.4',
    previous: 'v1.2.3',
    tags: ['v1.2.4', 'latest'],
    images,
    multiPlatform: true,
    skipUnchanged: false,
    push: true,
    ...extra,
  };
}

async function release(
  req: ReleaseRequest,
): Promise<{ released: Awaited<ReturnType<typeof releaseBuilt>>; notes: string[] }> {
  const notes: string[] = [];
  const released = await releaseBuilt(registries, req, (t) => notes.push(t));
  return { released, notes };
}

const app = (text: string): Record<string, string> => ({
  Dockerfile: `FROM ${baseRef}\nCOPY app.txt /app.txt\n`,
  'app.txt': text,
  'README.md': 'not in the image\n',
});

describe('releasing a two-platform build', () => {
  let ref: ImageRef;
  let first: Awaited<ReturnType<typeof release>>;
  let images: NamedImage[];

  beforeAll(async () => {
    ref = imageRef(f.reg.host, 'rel', 'two');
    await pushRandomImage(f.reg, 'rel/two', ['v1.2.3']);
    images = await build(app('one\n'), PLATFORMS);
    first = await release(
      request(ref, images, {
        tags: ['v1.2.4', 'latest', 'v1', 'sha-abcdef0'],
        mountFrom: ['base/multi'],
      }),
    );
  }, 120_000);

  it('pushes each platform by digest and one index of exactly them under every tag', async () => {
    const { released, notes } = first;
    expect(released.status).toBe('pushed');
    expect(released.tags).toEqual(['v1.2.4', 'latest', 'v1', 'sha-abcdef0']);
    expect(released.platforms).toEqual({
      'linux/amd64': images[0]!.image.manifest.digest,
      'linux/arm64': images[1]!.image.manifest.digest,
    });
    // No temporary or per-platform tag: the ones released and the one there before.
    expect((await listTags(f.reg, 'rel/two')).sort()).toEqual(
      ['latest', 'sha-abcdef0', 'v1', 'v1.2.3', 'v1.2.4'].sort(),
    );
    for (const tag of released.tags) {
      expect(await manifestDigest(f.reg, 'rel/two', tag)).toBe(released.digest);
    }
    const index = await getManifest(f.reg, 'rel/two', 'latest');
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const entries = (index.json as { manifests: { digest: string; platform: object }[] }).manifests;
    expect(entries.map((e) => e.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
    ]);
    expect(entries.map((e) => e.digest)).toEqual(Object.values(released.platforms));
    for (const [i, entry] of entries.entries()) {
      const manifest = await getManifest(f.reg, 'rel/two', entry.digest);
      expect(manifest.body.equals(images[i]!.image.manifest.body)).toBe(true);
      const config = JSON.parse(
        (await getBlob(f.reg, 'rel/two', images[i]!.image.config.digest)).toString(),
      ) as { architecture: string };
      expect(config.architecture).toBe(i === 0 ? 'amd64' : 'arm64');
    }
    // The busybox layers came from the base's repository; uploaded: two configs, two layers
    // of the stand-in's build notes, and the COPY layer once — reproducible, it is the same
    // blob for both platforms.
    // Without Debian's arm64 busybox both platforms share the host's: one layer to mount.
    const mounted = ARM64_BUSYBOX ? 2 : 1;
    expect(notes).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Blobs: 5 uploaded \\([\\d.]+ KiB\\), ${mounted} mounted, 0 already there\\.$`),
      ),
    );
    expect(notes).toContain(
      `Pushed linux/arm64 by digest: ${ref.reference}@${released.platforms['linux/arm64']}`,
    );
  });

  it('finds a rebuild of the same inputs unchanged: nothing pushed, the version kept', async () => {
    const again = await build(app('one\n'), PLATFORMS, 'v1.2.5');
    expect(again[0]!.image.manifest.digest).not.toBe(images[0]!.image.manifest.digest); // labels
    const before = await fs.promises.readFile(f.reg.logFile, 'utf8');
    const { released, notes } = await release(
      request(ref, again, { version: 'v1.2.5', previous: 'v1.2.4', skipUnchanged: true }),
    );
    expect(released).toEqual({
      status: 'unchanged',
      version: 'v1.2.4',
      previous: 'v1.2.4',
      tags: [],
      digest: first.released.digest,
      platforms: first.released.platforms,
    });
    expect(notes.join('\n')).toContain('nothing pushed, v1.2.5 not used');
    const log = (await fs.promises.readFile(f.reg.logFile, 'utf8')).slice(before.length);
    expect(log).not.toMatch(/"(PUT|POST|PATCH) /);
    expect(await listTags(f.reg, 'rel/two')).not.toContain('v1.2.5');
  });

  it('releases a build whose files differ, naming the platform that differs', async () => {
    const changed = await build(app('two\n'), PLATFORMS, 'v1.2.5');
    const { released, notes } = await release(
      request(ref, changed, {
        version: 'v1.2.5',
        previous: 'v1.2.4',
        tags: ['v1.2.5', 'latest'],
        skipUnchanged: true,
      }),
    );
    expect(notes).toContain('Changed: linux/amd64: its layers differ.');
    expect(released.status).toBe('pushed');
    expect(await manifestDigest(f.reg, 'rel/two', 'latest')).toBe(released.digest);
    // New: two configs and the COPY layer; the base and build-note layers are there.
    // (Without Debian's arm64 busybox both platforms share one base layer.)
    const there = ARM64_BUSYBOX ? 4 : 3;
    expect(notes).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Blobs: 3 uploaded .*, 0 mounted, ${there} already there\\.$`),
      ),
    );
  });

  it('never overwrites a version that appeared meanwhile', async () => {
    const theirs = await pushRandomImage(f.reg, 'rel/two', ['v1.2.6']);
    const latest = await manifestDigest(f.reg, 'rel/two', 'latest');
    const changed = await build(app('three\n'), PLATFORMS);
    const error = await release(
      request(ref, changed, { version: 'v1.2.6', tags: ['v1.2.6', 'latest'] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toMatch(
      /v1.2.6 already exists; another run may have pushed it/,
    );
    expect(await manifestDigest(f.reg, 'rel/two', 'v1.2.6')).toBe(theirs);
    expect(await manifestDigest(f.reg, 'rel/two', 'latest')).toBe(latest);
  });

  it('without push, reports the index it would release and pushes nothing', async () => {
    const tags = await listTags(f.reg, 'rel/two');
    const changed = await build(app('four\n'), PLATFORMS);
    const { released } = await release(request(ref, changed, { version: 'v1.2.7', push: false }));
    expect(released.status).toBe('built');
    expect(released.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(Object.keys(released.platforms)).toEqual(PLATFORMS);
    expect(await listTags(f.reg, 'rel/two')).toEqual(tags);
  });
});

describe('releasing a single-platform build', () => {
  it('pushes the manifest itself under the tags; a rebuild is unchanged, a multi-platform latest is not', async () => {
    const ref = imageRef(f.reg.host, 'rel', 'single');
    const [image] = await build(app('single\n'), ['linux/amd64']);
    const { released } = await release(
      request(ref, [image!], { multiPlatform: false, skipUnchanged: true, previous: '' }),
    );
    expect(released).toMatchObject({ status: 'pushed', platforms: {} });
    expect(released.digest).toBe(image!.image.manifest.digest);
    expect(await manifestDigest(f.reg, 'rel/single', 'latest')).toBe(released.digest);
    expect((await listTags(f.reg, 'rel/single')).sort()).toEqual(['latest', 'v1.2.4'].sort());

    const [again] = await build(app('single\n'), ['linux/amd64']);
    const unchanged = await release(
      request(ref, [again!], {
        multiPlatform: false,
        skipUnchanged: true,
        version: 'v1.2.5',
        previous: '',
      }),
    );
    // No previous from the plan (an explicit version): found by the digest latest points to.
    expect(unchanged.released).toMatchObject({
      status: 'unchanged',
      version: 'v1.2.4',
      digest: released.digest,
    });

    const asIndex = await release(
      request(ref, [again!], {
        multiPlatform: true,
        skipUnchanged: true,
        version: 'v1.2.5',
        tags: ['v1.2.5', 'latest'],
      }),
    );
    expect(asIndex.notes).toContain('Changed: latest is a single-platform image.');
    expect(asIndex.released.status).toBe('pushed');
  });

  it('calls an image without latest changed', async () => {
    const [image] = await build(app('fresh\n'), ['linux/amd64']);
    const { released, notes } = await release(
      request(imageRef(f.reg.host, 'rel', 'fresh'), [image!], {
        multiPlatform: false,
        skipUnchanged: true,
        version: 'v1.0.0',
        tags: ['v1.0.0'],
      }),
    );
    expect(notes).toContain('Changed: there is no latest yet.');
    expect(released.status).toBe('pushed');
    expect(await listTags(f.reg, 'rel/fresh')).toEqual(['v1.0.0']);
  });
});
