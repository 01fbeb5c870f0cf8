/**
 * The pure parts of a release, table-driven: what makes two image configs the same image, the
 * index of a multi-platform release, platform names, mount sources from a Dockerfile; and an
 * OCI layout that is not what kaniko writes, refused with a reason.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageIndex, parsePlatform, platformKey } from '../../src/release/image-index.js';
import { readLayout } from '../../src/release/layout.js';
import { configDifference } from '../../src/release/unchanged.js';

const sha = (data: string | Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

function config(overrides: Record<string, unknown> = {}, inner: Record<string, unknown> = {}) {
  return {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-01-02T03:04:05Z',
    config: {
      Env: ['PATH=/bin'],
      Labels: {
        'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
        'org.opencontainers.image.revision': 'a'.repeat(40),
        'org.opencontainers.image.version': 'v1.0.0',
        'org.opencontainers.image.source': 'https://github.com/acme/mono',
      },
      ...inner,
    },
    rootfs: { type: 'layers', diff_ids: [sha('a'), sha('b')] },
    history: [
      { created: '2020-01-01T00:00:00Z', created_by: 'ADD busybox /' },
      { created: '2026-01-02T03:04:05Z', created_by: 'COPY app.txt /app.txt' },
    ],
    ...overrides,
  };
}
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('configDifference', () => {
  const base = config();
  it.each<[string, unknown, string | undefined]>([
    [
      'another creation time, history times and release labels',
      config(
        {
          created: '2027-01-01T00:00:00Z',
          history: [
            { created: '1999-01-01T00:00:00Z', created_by: 'ADD busybox /' },
            { created: '2027-01-01T00:00:00Z', created_by: 'COPY app.txt /app.txt' },
          ],
        },
        {
          Labels: {
            'org.opencontainers.image.created': '2027-01-01T00:00:00Z',
            'org.opencontainers.image.revision': 'b'.repeat(40),
            'org.opencontainers.image.version': 'v1.0.1',
            'org.opencontainers.image.source': 'https://github.com/acme/mono',
          },
        },
      ),
      undefined,
    ],
    [
      'a layer',
      config({ rootfs: { type: 'layers', diff_ids: [sha('a'), sha('c')] } }),
      'its layers differ',
    ],
    [
      'one layer more',
      config({ rootfs: { type: 'layers', diff_ids: [sha('a')] } }),
      'its layers differ',
    ],
    ['the environment', config({}, { Env: ['PATH=/usr/bin'] }), 'its config differs (config.Env)'],
    [
      'another label',
      config({}, { Labels: { 'org.opencontainers.image.source': 'https://elsewhere' } }),
      'its config differs (config.Labels)',
    ],
    [
      'a history step',
      config({
        history: [
          { created: '2020-01-01T00:00:00Z', created_by: 'ADD busybox /' },
          { created: '2026-01-02T03:04:05Z', created_by: 'COPY other.txt /app.txt' },
        ],
      }),
      'its config differs (history)',
    ],
    ['the architecture', config({ architecture: 'arm64' }), 'its config differs (architecture)'],
  ])('%s', (_, other, expected) => {
    expect(configDifference(json(base), json(other))).toBe(expected);
  });

  it('sees no difference between release labels only and no labels at all', () => {
    const { config: inner, ...rest } = config();
    const onlyRelease = { ...rest, config: { ...inner, Labels: {} } };
    const none = { ...rest, config: { Env: inner.Env } };
    expect(configDifference(json(onlyRelease), json(none))).toBeUndefined();
  });
});

describe('image index and platforms', () => {
  it('lists exactly the given manifests with their platforms; its digest is that of its bytes', () => {
    const index = imageIndex([
      {
        platform: { os: 'linux', architecture: 'amd64' },
        manifest: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha('1'),
          size: 10,
        },
      },
      {
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        manifest: {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: sha('2'),
          size: 20,
        },
      },
    ]);
    expect(index.digest).toBe(sha(index.body));
    expect(JSON.parse(index.body.toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha('1'),
          size: 10,
          platform: { architecture: 'amd64', os: 'linux' },
        },
        {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: sha('2'),
          size: 20,
          platform: { architecture: 'arm', os: 'linux', variant: 'v7' },
        },
      ],
    });
  });

  it.each([
    ['linux/arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }, true],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm' }, true],
    ['linux/arm/v6', { os: 'linux', architecture: 'arm' }, false],
    ['linux/amd64', { os: 'linux', architecture: 'arm64' }, false],
  ])('%s is %j: %s', (name, platform, same) => {
    expect(platformKey(parsePlatform(name)) === platformKey(platform)).toBe(same);
  });
});

describe('readLayout refuses a layout that is not what kaniko writes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** A layout with one image (one layer), then `spoil` applied to its files. */
  function layout(
    spoil: (dir: string, digests: { manifest: string; layer: string }) => void,
  ): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    const put = (data: Buffer): { digest: string; size: number } => {
      const digest = sha(data);
      fs.writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), data);
      return { digest, size: data.length };
    };
    const layer = put(Buffer.from('layer bytes'));
    const cfg = put(json(config()));
    const manifest = json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
    const m = put(manifest);
    fs.writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}');
    fs.writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m }],
      }),
    );
    spoil(dir, { manifest: m.digest, layer: layer.digest });
    return dir;
  }

  it('reads a good one', async () => {
    const image = await readLayout(layout(() => undefined));
    expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(image.layers).toHaveLength(1);
  });

  it.each<[string, (dir: string, d: { manifest: string; layer: string }) => void, RegExp]>([
    [
      'no index.json',
      (dir) => fs.rmSync(path.join(dir, 'index.json')),
      /kaniko wrote no index.json/,
    ],
    [
      'not a layout',
      (dir) => fs.writeFileSync(path.join(dir, 'oci-layout'), '{}'),
      /not an OCI image layout/,
    ],
    [
      'two images',
      (dir) => {
        const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
        index.manifests.push(index.manifests[0]);
        fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
      },
      /lists 2 image manifests/,
    ],
    [
      'a manifest that is not its digest',
      (dir, d) => fs.appendFileSync(path.join(dir, 'blobs', 'sha256', d.manifest.slice(7)), ' '),
      /not the sha256:[a-f0-9]{64} \(\d+ bytes\) that index.json names/,
    ],
    [
      'a missing layer',
      (dir, d) => fs.rmSync(path.join(dir, 'blobs', 'sha256', d.layer.slice(7))),
      /is missing from .* or has the wrong size/,
    ],
  ])('%s', async (_, spoil, message) => {
    await expect(readLayout(layout(spoil))).rejects.toThrow(message);
  });
});
