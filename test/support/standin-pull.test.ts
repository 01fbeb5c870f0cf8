/**
 * The stand-in executor pulls like kaniko: through --registry-map and --registry-mirror with
 * their fallback, for --custom-platform from an index; and it writes OCI layouts and
 * reproducible images.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_RUN_ARM64, pushBusyboxImage, TWO_PLATFORMS } from './busybox-image.js';
import { layerFiles } from './layer-files.js';
import { readOciLayout } from './oci-layout.js';
import { listTags, type LocalRegistry } from './registry.js';
import {
  COMPILE_TIMEOUT,
  blobGets,
  byPath,
  startStandinFixture,
  type StandinFixture,
} from './standin-fixture.js';

describe('stand-in executor: pulls and outputs', () => {
  let f: StandinFixture;
  let reg: LocalRegistry;
  let mirror: LocalRegistry;
  let work: string;
  let baseRef: string;
  let baseLayers: string[];
  const build: StandinFixture['build'] = (...args) => f.build(...args);
  const pushed: StandinFixture['pushed'] = (...args) => f.pushed(...args);

  beforeAll(async () => {
    f = await startStandinFixture();
    ({ reg, mirror, work, baseRef, baseLayers } = f);
  }, COMPILE_TIMEOUT);
  afterAll(() => f?.stop());

  it('pulls through --registry-map (with a path prefix) and falls back to the original', async () => {
    const onMirror = await pushBusyboxImage(mirror, 'cache/base/busybox', '1');
    const layer = onMirror.layerDigests['linux/amd64']![0]!;
    const [regBefore, mirrorBefore] = [await blobGets(reg, layer), await blobGets(mirror, layer)];
    const mapped = await build('map', { Dockerfile: `FROM ${baseRef}\nRUN true\n` }, [
      '--no-push',
      `--registry-map=${reg.host}=${mirror.host}/cache`,
    ]);
    expect(mapped.code).toBe(0);
    expect(mapped.stderr).toContain(
      `Retrieving image ${mirror.host}/cache/base/busybox:1 from mapped registry ${mirror.host}`,
    );
    expect(mapped.stderr).toContain(
      `resolved to ${mirror.host}/cache/base/busybox@${onMirror.digest}`,
    );
    expect(await blobGets(mirror, layer)).toBe(mirrorBefore + 1);
    expect(await blobGets(reg, layer)).toBe(regBefore);

    // Not on the mirror: a warning, then the original registry.
    await pushBusyboxImage(reg, 'only/here', '1');
    const fallback = await build('map-fallback', { Dockerfile: `FROM ${reg.host}/only/here:1\n` }, [
      '--no-push',
      `--registry-map=${reg.host}=${mirror.host}`,
    ]);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toMatch(
      /WARN\[\d+\] Failed to retrieve image .* from remapped registry/,
    );
    expect(fallback.stderr).toContain(`resolved to ${reg.host}/only/here@`);

    const noFallback = await build(
      'map-no-fallback',
      { Dockerfile: `FROM ${reg.host}/only/here:1\n` },
      [
        '--no-push',
        `--registry-map=${reg.host}=${mirror.host}`,
        '--skip-default-registry-fallback',
      ],
    );
    expect(noFallback.code).toBe(1);
    expect(noFallback.stderr).toContain('image not found on any configured mapped registries');
  });

  it('pulls Docker Hub names through --registry-mirror, as index.docker.io/library/…', async () => {
    const onMirror = await pushBusyboxImage(mirror, 'library/busybox', 'stable');
    const r = await build('mirror', { Dockerfile: 'FROM busybox:stable\nRUN true\n' }, [
      '--no-push',
      `--registry-mirror=${mirror.host}`,
      '--skip-default-registry-fallback',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Retrieving image manifest busybox:stable');
    expect(r.stderr).toContain(
      `standin: base image busybox:stable resolved to ${mirror.host}/library/busybox@${onMirror.digest}`,
    );
  });

  it('fails on an unknown base image with the registry error', async () => {
    const r = await build('unknown', { Dockerfile: `FROM ${reg.host}/base/busybox:nope\n` }, [
      '--no-push',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error building image: retrieving image .*: unable to complete operation after 0 attempts, last error: failed to get image manifest: GET http:\/\/.*: MANIFEST_UNKNOWN/m,
    );
  });

  it('writes an OCI layout for --custom-platform with --no-push, from the index entry for it', async () => {
    // No RUN below: the arm64 binary's architecture does not matter here.
    const multi = await pushBusyboxImage(reg, 'multi/busybox', '1', TWO_PLATFORMS);
    const layoutDir = path.join(work, 'layout-arm64');
    const digestFile = path.join(work, 'layout-arm64.digest');
    const dockerfile = `FROM ${reg.host}/multi/busybox:1\nARG TARGETARCH\nLABEL arch=$TARGETARCH\nCOPY a.txt /\n`;
    const r = await build('layout', { Dockerfile: dockerfile, 'a.txt': 'a\n' }, [
      `--destination=${reg.host}/multi/out:1`,
      '--no-push',
      `--oci-layout-path=${layoutDir}`,
      `--digest-file=${digestFile}`,
      '--custom-platform=linux/arm64',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `resolved to ${reg.host}/multi/busybox@${multi.manifests['linux/arm64/v8']} (from index ${multi.digest})`,
    );
    const layout = await readOciLayout(layoutDir);
    expect(layout.ociLayout.imageLayoutVersion).toBe('1.0.0');
    expect(layout.images).toHaveLength(1);
    const [image] = layout.images;
    expect(image!.descriptor.digest).toBe(await readFile(digestFile, 'utf8'));
    expect(image!.descriptor.platform).toBeUndefined(); // kaniko's index.json has none
    expect(image!.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(image!.config.config.Labels).toEqual({ arch: 'arm64' });
    expect(image!.manifest.layers[0]!.digest).toBe(multi.layerDigests['linux/arm64/v8']![0]);
    expect(await listTags(reg, 'multi/out')).toEqual([]);
  });

  it('builds byte-identical images with --reproducible, different ones without', async () => {
    const files = {
      Dockerfile: `FROM ${baseRef}\nCOPY a.txt /a.txt\nRUN echo x > /x\n`,
      'a.txt': 'a\n',
    };
    const digestOf = async (name: string, ...extra: string[]): Promise<string> => {
      const file = path.join(work, `${name}.digest`);
      const r = await build(name, files, ['--no-push', `--digest-file=${file}`, ...extra]);
      expect(r.code).toBe(0);
      return readFile(file, 'utf8');
    };
    const layout = path.join(work, 'layout-repro');
    const a = await digestOf('repro-a', '--reproducible', `--oci-layout-path=${layout}`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await digestOf('repro-b', '--reproducible')).toBe(a);
    const [image] = (await readOciLayout(layout)).images;
    expect(image!.config.created).toBe('0001-01-01T00:00:00Z');
    expect(new Set(image!.config.history!.map((h) => h.created))).toEqual(
      new Set(['0001-01-01T00:00:00Z']),
    );
    for (const l of image!.layers.slice(baseLayers.length)) {
      for (const f of await layerFiles(l)) expect(f.mtime.getTime()).toBe(0);
    }
    const c = await digestOf('plain-c');
    const d = await digestOf('plain-d');
    expect(c).not.toBe(d);
    expect(c).not.toBe(a);
  });

  (CAN_RUN_ARM64 ? it : it.skip)(
    CAN_RUN_ARM64
      ? 'runs arm64 RUN steps through binfmt_misc'
      : 'runs arm64 RUN steps (skipped: no qemu-aarch64 binfmt_misc registration with the F flag, or no test/.cache/busybox-arm64; run scripts/setup.sh)',
    async () => {
      await pushBusyboxImage(reg, 'arm/busybox', '1', TWO_PLATFORMS);
      const r = await build(
        'arm64',
        { Dockerfile: `FROM ${reg.host}/arm/busybox:1\nRUN uname -m > /arch\n` },
        [`--destination=${reg.host}/arm/app:1`, '--custom-platform=linux/arm64'],
      );
      expect(r.code).toBe(0);
      const img = await pushed('arm/app', '1');
      const files = byPath(await layerFiles(img.layers.at(-2)!));
      expect(files.get('arch')!.content.toString()).toBe('aarch64\n');
      expect(img.config.architecture).toBe('arm64');
    },
  );
});
