/**
 * OCI images read as data: media types, descriptors, the runner's platform, the manifest of an
 * index that fits a platform, and the parts of manifests and image configs the action needs.
 * Pure functions: no network, no file system.
 */
import { createHash } from 'node:crypto';
import { SHA256_DIGEST } from './names.js';

/** The `sha256:` digest of content. */
export function sha256Digest(content: Buffer | string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** `sha256:` and the first 12 hex digits, as registries and docker show digests. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An OCI content descriptor, as found in indexes and manifests. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const INDEX_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerList];
export const IMAGE_MANIFEST_TYPES: readonly string[] = [
  MediaType.OciManifest,
  MediaType.DockerManifest,
];

/** Layer media types the install unpacks (compression is found from the bytes). */
const LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
]);

const DIGEST = SHA256_DIGEST;

const ARCHITECTURES: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/**
 * The OCI platform of a Node process: `process.platform`/`process.arch` mapped to OCI names
 * (`x64` → `amd64`), with the ARM variant (`v7` unless Node says otherwise).
 */
export function runnerPlatform(
  nodePlatform: string = process.platform,
  nodeArch: string = process.arch,
  armVersion: string | undefined = armVersionOfNode(),
): Platform {
  const os = nodePlatform === 'win32' ? 'windows' : nodePlatform;
  const architecture = ARCHITECTURES[nodeArch] ?? nodeArch;
  if (architecture === 'arm') return { os, architecture, variant: `v${armVersion ?? '7'}` };
  return { os, architecture };
}

function armVersionOfNode(): string | undefined {
  const variables = (process.config as { variables?: Record<string, unknown> }).variables;
  const value = variables?.arm_version;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** `linux/arm64`, `linux/arm/v7`. */
export function platformName(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== '')
    .join('/');
}

/** Attestation entries (`unknown/unknown`, or annotated as such) are not runnable images. */
export function isAttestation(descriptor: Descriptor): boolean {
  const type = descriptor.annotations?.['vnd.docker.reference.type'];
  if (type === 'attestation-manifest') return true;
  const p = descriptor.platform;
  return p !== undefined && (p.os === 'unknown' || p.architecture === 'unknown');
}

function variantMatches(wanted: Platform, offered: Platform): 'exact' | 'compatible' | 'no' {
  const w = wanted.variant ?? '';
  const o = offered.variant ?? '';
  if (w === o) return 'exact';
  // arm64 images are `v8` whether they say so or not.
  if (wanted.architecture === 'arm64' && (w || 'v8') === (o || 'v8')) return 'exact';
  // An image without a variant is built for the architecture's baseline; so is one for an
  // older ARM version than the runner's.
  if (o === '') return 'compatible';
  if (wanted.architecture === 'arm' && /^v\d$/.test(o) && /^v\d$/.test(w) && o < w) {
    return 'compatible';
  }
  return 'no';
}

/**
 * The manifest of an index that runs on `platform`: attestation entries skipped, an exact
 * variant preferred over a compatible one, the first of equals. Throws, listing what the
 * index offers, when none fits.
 */
export function selectManifest(
  manifests: readonly Descriptor[],
  platform: Platform,
  image: string,
): Descriptor {
  let compatible: Descriptor | undefined;
  for (const m of manifests) {
    if (isAttestation(m) || !m.platform) continue;
    if (!IMAGE_MANIFEST_TYPES.includes(m.mediaType)) continue;
    if (m.platform.os !== platform.os || m.platform.architecture !== platform.architecture) {
      continue;
    }
    const match = variantMatches(platform, m.platform);
    if (match === 'exact') return m;
    if (match === 'compatible' && compatible === undefined) compatible = m;
  }
  if (compatible) return compatible;
  const offered = manifests
    .filter((m) => !isAttestation(m) && m.platform)
    .map((m) => platformName(m.platform as Platform));
  throw new Error(
    `The executor image ${image} has no manifest for ${platformName(platform)}; it offers ${
      offered.length > 0 ? offered.join(', ') : 'no platform'
    }.`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(body: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new Error(`The ${what} is not JSON.`, { cause: error });
  }
  if (!isRecord(value)) throw new Error(`The ${what} is not a JSON object.`);
  return value;
}

function parseDescriptor(value: unknown, what: string): Descriptor {
  if (!isRecord(value)) throw new Error(`A ${what} descriptor is not an object.`);
  const { mediaType, digest, size, platform, annotations } = value;
  if (typeof mediaType !== 'string') throw new Error(`A ${what} descriptor has no mediaType.`);
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new Error(`A ${what} descriptor has no sha256 digest (got ${JSON.stringify(digest)}).`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new Error(`The ${what} descriptor ${digest} has no valid size.`);
  }
  const out: Descriptor = { mediaType, digest, size };
  if (isRecord(platform)) {
    const { os, architecture, variant } = platform;
    if (typeof os === 'string' && typeof architecture === 'string') {
      out.platform = { os, architecture, ...(typeof variant === 'string' ? { variant } : {}) };
    }
  }
  if (isRecord(annotations)) {
    out.annotations = Object.fromEntries(
      Object.entries(annotations).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return out;
}

/** The entries of an OCI index or Docker manifest list. */
export function parseIndex(body: Buffer): Descriptor[] {
  const index = parseJson(body, 'image index');
  if (!Array.isArray(index.manifests)) throw new Error('The image index has no manifests.');
  return index.manifests.map((m) => parseDescriptor(m, 'index'));
}

export interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
}

/** The config and layers of an image manifest; layer types the install cannot unpack throw. */
export function parseImageManifest(body: Buffer): ImageManifest {
  const manifest = parseJson(body, 'image manifest');
  const config = parseDescriptor(manifest.config, 'config');
  if (!Array.isArray(manifest.layers)) throw new Error('The image manifest has no layers.');
  const layers = manifest.layers.map((l) => parseDescriptor(l, 'layer'));
  for (const layer of layers) {
    if (!LAYER_TYPES.has(layer.mediaType)) {
      throw new Error(
        `The layer ${layer.digest} has the media type ${layer.mediaType}, which the install cannot unpack.`,
      );
    }
  }
  return { config, layers };
}

/** What the runtime needs from the image config. */
export interface ImageConfig {
  platform: Platform;
  /** `KEY=VALUE`. */
  env: string[];
  entrypoint: string[];
  /** `cmd` of the config: default arguments, used only when the runtime is given none. */
  cmd: string[];
  workingDir: string;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseImageConfig(body: Buffer): ImageConfig {
  const config = parseJson(body, 'image config');
  const inner = isRecord(config.config) ? config.config : {};
  const os = typeof config.os === 'string' ? config.os : '';
  const architecture = typeof config.architecture === 'string' ? config.architecture : '';
  const variant = typeof config.variant === 'string' ? config.variant : undefined;
  return {
    platform: { os, architecture, ...(variant ? { variant } : {}) },
    env: stringArray(inner.Env),
    entrypoint: stringArray(inner.Entrypoint),
    cmd: stringArray(inner.Cmd),
    workingDir: typeof inner.WorkingDir === 'string' ? inner.WorkingDir : '',
  };
}

/** Whether an image config's platform runs on the runner's (single-manifest images). */
export function platformRuns(image: Platform, runner: Platform): boolean {
  if (image.os !== runner.os || image.architecture !== runner.architecture) return false;
  return variantMatches(runner, image) !== 'no';
}
