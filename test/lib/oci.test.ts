import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { cacheArch, cacheVersion, parseExecutorReference } from '../../src/executor/reference.js';
import {
  parseImageConfig,
  parseImageManifest,
  parseIndex,
  platformRuns,
  runnerPlatform,
  selectManifest,
  type Descriptor,
} from '../../src/lib/oci.js';

const hex = (c: string): string => c.repeat(64);
const OCI = 'application/vnd.oci.image.manifest.v1+json';

function entry(
  digestChar: string,
  platform?: Descriptor['platform'],
  annotations?: Record<string, string>,
): Descriptor {
  return {
    mediaType: OCI,
    digest: `sha256:${hex(digestChar)}`,
    size: 100,
    ...(platform ? { platform } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

describe('parseExecutorReference', () => {
  it.each([
    [
      'ghcr.io/osscontainertools/kaniko:v1.28.0',
      {
        registry: 'ghcr.io',
        apiHost: 'ghcr.io',
        repository: 'osscontainertools/kaniko',
        reference: 'v1.28.0',
      },
    ],
    [
      `localhost:5000/tools/kaniko@sha256:${hex('a')}`,
      {
        registry: 'localhost:5000',
        apiHost: 'localhost:5000',
        repository: 'tools/kaniko',
        reference: `sha256:${hex('a')}`,
        digest: `sha256:${hex('a')}`,
      },
    ],
    [
      'docker.io/kaniko:v1',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'library/kaniko',
        reference: 'v1',
      },
    ],
    [
      'index.docker.io/martizih/kaniko:v1.2.3',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'martizih/kaniko',
        reference: 'v1.2.3',
      },
    ],
  ])('splits %s', (image, expected) => {
    expect(parseExecutorReference(image)).toEqual({ image, ...expected });
  });
});

describe('runnerPlatform', () => {
  it.each([
    ['linux', 'x64', undefined, { os: 'linux', architecture: 'amd64' }],
    ['linux', 'arm64', undefined, { os: 'linux', architecture: 'arm64' }],
    ['linux', 'arm', '6', { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['linux', 'arm', undefined, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux', 'ppc64', undefined, { os: 'linux', architecture: 'ppc64le' }],
    ['win32', 'x64', undefined, { os: 'windows', architecture: 'amd64' }],
  ])('maps %s/%s (arm %s) to OCI names', (os, arch, armVersion, expected) => {
    expect(runnerPlatform(os, arch, armVersion)).toEqual(expected);
  });
});

describe('selectManifest', () => {
  const index: Descriptor[] = [
    entry('1', { os: 'linux', architecture: 'amd64' }),
    entry('2', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    entry('3', { os: 'linux', architecture: 'arm', variant: 'v6' }),
    entry('4', { os: 'linux', architecture: 'arm', variant: 'v7' }),
    entry(
      '5',
      { os: 'unknown', architecture: 'unknown' },
      {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': `sha256:${hex('1')}`,
      },
    ),
  ];

  it.each([
    [{ os: 'linux', architecture: 'amd64' }, '1'],
    [{ os: 'linux', architecture: 'arm64' }, '2'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, '4'],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, '3'],
  ])('picks the manifest for %j', (platform, digestChar) => {
    expect(selectManifest(index, platform, 'img').digest).toBe(`sha256:${hex(digestChar)}`);
  });

  it('skips attestation entries, even ones that name a real platform', () => {
    const attestationFirst = [
      entry(
        '9',
        { os: 'linux', architecture: 'amd64' },
        { 'vnd.docker.reference.type': 'attestation-manifest' },
      ),
      ...index,
    ];
    expect(
      selectManifest(attestationFirst, { os: 'linux', architecture: 'amd64' }, 'img').digest,
    ).toBe(`sha256:${hex('1')}`);
  });

  it('takes an entry without a variant, or an older ARM version, when nothing fits exactly', () => {
    const plain = [entry('6', { os: 'linux', architecture: 'arm64' })];
    expect(selectManifest(plain, { os: 'linux', architecture: 'arm64' }, 'img').digest).toBe(
      `sha256:${hex('6')}`,
    );
    const v6only = [entry('3', { os: 'linux', architecture: 'arm', variant: 'v6' })];
    expect(
      selectManifest(v6only, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'img').digest,
    ).toBe(`sha256:${hex('3')}`);
    expect(() =>
      selectManifest(
        [entry('4', { os: 'linux', architecture: 'arm', variant: 'v7' })],
        { os: 'linux', architecture: 'arm', variant: 'v6' },
        'img',
      ),
    ).toThrow(/no manifest for linux\/arm\/v6/);
  });

  it('says what the index offers when nothing fits', () => {
    expect(() =>
      selectManifest(index, { os: 'linux', architecture: 's390x' }, 'reg/kaniko:v1'),
    ).toThrow(
      'The executor image reg/kaniko:v1 has no manifest for linux/s390x; it offers linux/amd64, linux/arm64/v8, linux/arm/v6, linux/arm/v7.',
    );
  });
});

describe('manifests and configs', () => {
  it('reads an index and refuses entries without a sha256 digest or size', () => {
    const body = (manifests: unknown[]): Buffer => Buffer.from(JSON.stringify({ manifests }));
    expect(parseIndex(body([entry('1', { os: 'linux', architecture: 'amd64' })]))).toHaveLength(1);
    expect(() => parseIndex(body([{ mediaType: OCI, digest: 'md5:x', size: 1 }]))).toThrow(
      /sha256/,
    );
    expect(() => parseIndex(body([{ mediaType: OCI, digest: `sha256:${hex('1')}` }]))).toThrow(
      /size/,
    );
    expect(() => parseIndex(Buffer.from('{'))).toThrow(/not JSON/);
  });

  it('reads a manifest and refuses layers it cannot unpack', () => {
    const config = {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: `sha256:${hex('c')}`,
      size: 10,
    };
    const layer = (mediaType: string): unknown => ({
      mediaType,
      digest: `sha256:${hex('d')}`,
      size: 20,
    });
    const ok = parseImageManifest(
      Buffer.from(
        JSON.stringify({ config, layers: [layer('application/vnd.oci.image.layer.v1.tar+zstd')] }),
      ),
    );
    expect(ok.layers[0]?.digest).toBe(`sha256:${hex('d')}`);
    expect(() =>
      parseImageManifest(
        Buffer.from(
          JSON.stringify({
            config,
            layers: [layer('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip')],
          }),
        ),
      ),
    ).toThrow(/foreign.diff.tar.gzip, which the install cannot unpack/);
  });

  it('reads what the runtime needs from the image config', () => {
    const config = parseImageConfig(
      Buffer.from(
        JSON.stringify({
          os: 'linux',
          architecture: 'arm64',
          variant: 'v8',
          config: {
            Env: ['PATH=/kaniko'],
            Entrypoint: ['/kaniko/executor'],
            WorkingDir: '/workspace',
          },
        }),
      ),
    );
    expect(config).toEqual({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      env: ['PATH=/kaniko'],
      entrypoint: ['/kaniko/executor'],
      cmd: [],
      workingDir: '/workspace',
    });
    expect(platformRuns(config.platform, { os: 'linux', architecture: 'arm64' })).toBe(true);
    expect(platformRuns(config.platform, { os: 'linux', architecture: 'amd64' })).toBe(false);
  });
});

describe('tool-cache keys', () => {
  it('makes a semver version unique to the manifest digest', () => {
    const version = cacheVersion(`sha256:${'0a'.repeat(32)}`);
    expect(version).toBe(`0.0.0-sha256-${'0a'.repeat(32)}`);
    expect(semver.valid(version)).toBe(version);
    expect(semver.clean(version)).toBe(version);
    expect(() => cacheVersion('sha256:short')).toThrow(/not a sha256 digest/);
  });

  it('names the architecture with its variant', () => {
    expect(cacheArch({ os: 'linux', architecture: 'amd64' })).toBe('amd64');
    expect(cacheArch({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('arm-v7');
  });
});
