/**
 * A small real base image for builds that run `RUN` steps: a static busybox binary with a
 * symlink for each of its applets, pushed as an OCI image, or as an OCI index when several
 * platforms are given.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { tarArchive, type TarEntry as RawTarEntry } from './executor-layers.js';
import {
  MEDIA_TYPES,
  makeLayer,
  pushOciImage,
  putManifest,
  sha256Digest,
  type Descriptor,
  type Layer,
  type TarEntry,
} from './oci-image.js';
import type { LocalRegistry } from './registry.js';

const execFileAsync = promisify(execFile);

/** Debian's busybox-static (installed by scripts/setup.sh): the amd64 default. */
export const HOST_BUSYBOX = '/bin/busybox';

/**
 * Debian's arm64 busybox-static, which scripts/setup.sh extracts into test/.cache/
 * (`STANDIN_ARM64_BUSYBOX` points elsewhere); `''` when it is not there.
 */
export const ARM64_BUSYBOX = ((): string => {
  const file =
    process.env.STANDIN_ARM64_BUSYBOX ||
    path.resolve(import.meta.dirname, '..', '.cache', 'busybox-arm64');
  return existsSync(file) ? file : '';
})();

const BINFMT_AARCH64 = '/proc/sys/fs/binfmt_misc/qemu-aarch64';

/**
 * Whether arm64 RUN steps can run here: an arm64 machine, or an {@link ARM64_BUSYBOX} and QEMU
 * registered in binfmt_misc with the F flag (so the interpreter is found inside a chroot).
 */
export const CAN_RUN_ARM64: boolean =
  process.arch === 'arm64' ||
  (ARM64_BUSYBOX !== '' &&
    existsSync(BINFMT_AARCH64) &&
    /^flags:.*F/m.test(readFileSync(BINFMT_AARCH64, 'utf8')));

export type BusyboxPlatform = 'linux/amd64' | 'linux/arm64';

export interface BusyboxImageOptions {
  /**
   * One entry per platform, each with the path of a static busybox binary for it (for arm64,
   * e.g. one extracted from `apt-get download busybox-static:arm64`). Default: linux/amd64
   * with {@link HOST_BUSYBOX}. Several entries make an OCI index.
   */
  platforms?: { platform: BusyboxPlatform; busybox: string }[];
  /** Layers added on top of the busybox layer, the same for every platform. */
  extraLayers?: TarEntry[][];
  /** Fields merged into the config's `config` (e.g. `{ Labels: {…} }`). */
  config?: Record<string, unknown>;
}

/**
 * linux/amd64 and linux/arm64, for {@link pushBusyboxImage}: the arm64 image has
 * {@link ARM64_BUSYBOX}, or the host's busybox when there is none (enough where no RUN step
 * runs, and right on an arm64 machine).
 */
export const TWO_PLATFORMS: BusyboxImageOptions = {
  platforms: [
    { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
    { platform: 'linux/arm64', busybox: ARM64_BUSYBOX || HOST_BUSYBOX },
  ],
};

export interface BusyboxImage {
  /** What `repo:tag` points to: the image manifest, or the index for several platforms. */
  digest: string;
  /** Platform (`linux/amd64`, `linux/arm64/v8`) → its image manifest's digest. */
  manifests: Record<string, string>;
  /** Platform → the digests of its layers, busybox layer first. */
  layerDigests: Record<string, string[]>;
}

export const BUSYBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const PLATFORMS = {
  'linux/amd64': { os: 'linux', architecture: 'amd64' },
  'linux/arm64': { os: 'linux', architecture: 'arm64', variant: 'v8' },
} as const;

let applets: Promise<string[]> | undefined;

/** The applet names of the host's busybox (`busybox --list`), used for every architecture. */
export function busyboxApplets(): Promise<string[]> {
  applets ??= execFileAsync(HOST_BUSYBOX, ['--list']).then(
    ({ stdout }) =>
      stdout
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'busybox' && !s.includes('/')),
    (cause: unknown) => {
      applets = undefined;
      throw new Error(`${HOST_BUSYBOX} --list failed: is busybox-static installed?`, { cause });
    },
  );
  return applets;
}

const layers = new Map<string, Promise<Layer>>();

/** The busybox layer for one binary: /bin/busybox, applet symlinks, /tmp, /root, /etc. */
export function busyboxLayer(busybox: string): Promise<Layer> {
  let layer = layers.get(busybox);
  if (!layer) {
    layer = (async () => {
      const [binary, names] = await Promise.all([readFile(busybox), busyboxApplets()]);
      // Written byte by byte (executor-layers.ts), so that /tmp keeps its sticky 1777 mode.
      const entries: RawTarEntry[] = [
        { type: 'dir', path: 'bin/' },
        { type: 'file', path: 'bin/busybox', content: binary, mode: 0o755 },
        ...names.map((n): RawTarEntry => ({
          type: 'symlink',
          path: `bin/${n}`,
          target: 'busybox',
        })),
        { type: 'dir', path: 'etc/' },
        { type: 'file', path: 'etc/group', content: 'root:x:0:\n' },
        { type: 'file', path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
        { type: 'dir', path: 'root/', mode: 0o700 },
        { type: 'dir', path: 'tmp/', mode: 0o1777 },
      ];
      const tar = tarArchive(entries);
      const data = gzipSync(tar);
      return {
        data,
        tar,
        mediaType: MEDIA_TYPES.ociLayerGzip,
        diffId: sha256Digest(tar),
        digest: sha256Digest(data),
        size: data.length,
      };
    })();
    layers.set(busybox, layer);
    layer.catch(() => layers.delete(busybox));
  }
  return layer;
}

/**
 * Pushes a busybox image to `repo:tag` and returns its digests. The config has
 * `Env: [PATH=…]` and `Cmd: ["sh"]`.
 */
export async function pushBusyboxImage(
  reg: LocalRegistry,
  repo: string,
  tag: string,
  options: BusyboxImageOptions = {},
): Promise<BusyboxImage> {
  const platforms = options.platforms ?? [{ platform: 'linux/amd64', busybox: HOST_BUSYBOX }];
  if (platforms.length === 0) throw new Error('pushBusyboxImage: no platform');
  const extra = await Promise.all((options.extraLayers ?? []).map((entries) => makeLayer(entries)));
  const result: BusyboxImage = { digest: '', manifests: {}, layerDigests: {} };
  const entries: Descriptor[] = [];
  for (const { platform, busybox } of platforms) {
    const p = PLATFORMS[platform];
    const imageLayers = [await busyboxLayer(busybox), ...extra];
    const config = {
      ...p,
      created: '2020-01-01T00:00:00Z',
      config: { Env: [`PATH=${BUSYBOX_PATH}`], Cmd: ['sh'], ...options.config },
      history: imageLayers.map((_, i) => ({
        created: '2020-01-01T00:00:00Z',
        created_by: i === 0 ? 'ADD busybox / # test support' : `extra layer ${i}`,
      })),
    };
    const single = platforms.length === 1;
    const image = await pushOciImage(reg, repo, single ? tag : '', imageLayers, config);
    const name = [p.os, p.architecture, 'variant' in p ? p.variant : undefined]
      .filter(Boolean)
      .join('/');
    result.manifests[name] = image.digest;
    result.layerDigests[name] = image.layerDigests;
    result.digest = image.digest;
    entries.push({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform: p,
    });
  }
  if (platforms.length > 1) {
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: entries }),
    );
    result.digest = await putManifest(reg, repo, tag, index, MEDIA_TYPES.ociIndex);
  }
  return result;
}
