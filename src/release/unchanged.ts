/**
 * `skip-unchanged`: is what kaniko built the image `<image>:latest` already is? Per platform,
 * the layers (by diff ID) and the config must be the same, apart from the creation time, the
 * history times and the labels that change with every release
 * (`org.opencontainers.image.{created,revision,version}`). The shape counts too: a
 * multi-platform build equals only an index of exactly its platforms, a single-platform build
 * only an image manifest.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  isAttestation,
  parseImageManifest,
  parseIndex,
  platformName,
  sha256Digest,
  type Descriptor,
} from '../lib/oci.js';
import { RegistryError } from '../registry/errors.js';
import { readBounded } from '../registry/http.js';
import { MANIFEST_TYPES, type RegistryClient } from '../registry/oci-client.js';
import { platformKey } from './image-index.js';
import type { BuiltImage } from './layout.js';

/** Labels every release sets anew; they never make an image different. */
const RELEASE_LABELS = [
  'org.opencontainers.image.created',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.version',
];

const MAX_CONFIG = 8 * 1024 * 1024;

/** A built image with the platform name it was asked for (`linux/arm64`). */
export interface NamedImage {
  name: string;
  image: BuiltImage;
}

/** What `latest` is, when the build equals it. */
interface LatestImage {
  /** The manifest's digest, or the index's. */
  digest: string;
  /** Platform name → manifest digest; `{}` for a single-platform image. */
  platforms: Record<string, string>;
}

type Comparison = { same: true; latest: LatestImage } | { same: false; reason: string };

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutReleaseLabels(config: unknown): unknown {
  if (!isRecord(config) || !isRecord(config.Labels)) return config;
  const labels = Object.fromEntries(
    Object.entries(config.Labels).filter(([key]) => !RELEASE_LABELS.includes(key)),
  );
  const { Labels: _labels, ...rest } = config;
  return Object.keys(labels).length > 0 ? { ...rest, Labels: labels } : rest;
}

/** An image config as compared: no `created`, no history times, no release labels. */
function comparableConfig(body: Buffer): Json {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (!isRecord(parsed)) throw new Error('The image config is not a JSON object.');
  const { created: _created, ...config } = parsed;
  if (Array.isArray(config.history)) {
    config.history = config.history.map((entry: unknown) => {
      if (!isRecord(entry)) return entry;
      const { created: _time, ...rest } = entry;
      return rest;
    });
  }
  for (const key of ['config', 'container_config']) {
    if (key in config) config[key] = withoutReleaseLabels(config[key]);
  }
  return config;
}

/** Why two image configs make different images, or `undefined` when they are the same. */
export function configDifference(built: Buffer, current: Buffer): string | undefined {
  const a = comparableConfig(built);
  const b = comparableConfig(current);
  const diffIds = (c: Json): unknown => (isRecord(c.rootfs) ? c.rootfs.diff_ids : undefined);
  if (!isDeepStrictEqual(diffIds(a), diffIds(b))) return 'its layers differ';
  if (isDeepStrictEqual(a, b)) return undefined;
  const keys = new Set<string>();
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [a[key], b[key]];
    if (isDeepStrictEqual(x, y)) continue;
    if (isRecord(x) && isRecord(y)) {
      for (const inner of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (!isDeepStrictEqual(x[inner], y[inner])) keys.add(`${key}.${inner}`);
      }
    } else {
      keys.add(key);
    }
  }
  return `its config differs (${[...keys].sort().join(', ')})`;
}

/** A blob of the registry read whole (bounded) and checked against its digest. */
async function readConfig(client: RegistryClient, repository: string, digest: string) {
  const response = await client.getBlob(repository, digest);
  const body = await readBounded(response, MAX_CONFIG, `${repository}@${digest}`);
  if (sha256Digest(body) !== digest) {
    throw new Error(`The registry sent a config for ${repository}@${digest} with another digest.`);
  }
  return body;
}

/** Compares one built image with one manifest of the registry. */
async function compareImage(
  client: RegistryClient,
  repository: string,
  built: BuiltImage,
  manifest: Descriptor & { body: Buffer },
): Promise<string | undefined> {
  if (manifest.digest === built.manifest.digest) return undefined;
  let config: Descriptor;
  try {
    config = parseImageManifest(manifest.body).config;
  } catch (error) {
    return `its manifest cannot be read (${(error as Error).message})`;
  }
  if (config.digest === built.config.digest) return undefined;
  return configDifference(built.config.body, await readConfig(client, repository, config.digest));
}

/** Compares what was built, platform by platform, with `<repository>:latest`. */
export async function compareWithLatest(
  client: RegistryClient,
  repository: string,
  built: readonly NamedImage[],
  multiPlatform: boolean,
): Promise<Comparison> {
  let latest: Awaited<ReturnType<RegistryClient['getManifest']>>;
  try {
    latest = await client.getManifest(repository, 'latest', MANIFEST_TYPES);
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) {
      return { same: false, reason: 'there is no latest yet' };
    }
    throw error;
  }
  if (!INDEX_TYPES.includes(latest.mediaType)) {
    if (multiPlatform) return { same: false, reason: 'latest is a single-platform image' };
    const [only] = built;
    if (!only) throw new Error('Nothing was built to compare.');
    const reason = await compareImage(client, repository, only.image, {
      mediaType: latest.mediaType,
      digest: latest.digest,
      size: latest.body.length,
      body: latest.body,
    });
    return reason
      ? { same: false, reason }
      : { same: true, latest: { digest: latest.digest, platforms: {} } };
  }
  if (!multiPlatform) return { same: false, reason: 'latest is a multi-platform index' };
  const entries = parseIndex(latest.body).filter((e) => e.platform && !isAttestation(e));
  const offered = new Map(entries.map((e) => [platformKey(e.platform!), e]));
  const wanted = built.map((b) => platformKey(b.image.platform));
  if (
    offered.size !== entries.length ||
    !isDeepStrictEqual([...offered.keys()].sort(), [...wanted].sort())
  ) {
    const names = entries.map((e) => platformName(e.platform!)).join(', ');
    return { same: false, reason: `latest has the platforms ${names || 'none'}` };
  }
  const platforms: Record<string, string> = {};
  for (const { name, image } of built) {
    const entry = offered.get(platformKey(image.platform))!;
    const manifest = await client.getManifest(repository, entry.digest, IMAGE_MANIFEST_TYPES);
    const reason = await compareImage(client, repository, image, { ...entry, body: manifest.body });
    if (reason) return { same: false, reason: `${name}: ${reason}` };
    platforms[name] = entry.digest;
  }
  return { same: true, latest: { digest: latest.digest, platforms } };
}
