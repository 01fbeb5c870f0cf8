/**
 * The image kaniko wrote with `--oci-layout-path`: an OCI image layout (`oci-layout`,
 * `index.json`, `blobs/sha256/…`) holding one image manifest. The manifest and the config are
 * read (small, bounded, checked against their digests); the layers stay on disk, checked by
 * size, and are streamed from there when pushed.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SHA256_DIGEST } from '../lib/names.js';
import {
  IMAGE_MANIFEST_TYPES,
  parseImageManifest,
  parseIndex,
  platformName,
  sha256Digest,
  type Descriptor,
  type Platform,
} from '../lib/oci.js';

/** Manifests, indexes and configs are small; anything larger is not what kaniko writes. */
const MAX_JSON_BLOB = 8 * 1024 * 1024;

/** One built image, as read from its layout. */
export interface BuiltImage {
  /** The layout directory on the runner. */
  dir: string;
  /** The image manifest: its descriptor (media type, digest, size) and bytes. */
  manifest: Descriptor & { body: Buffer };
  config: Descriptor & { body: Buffer };
  layers: Descriptor[];
  /** The platform the image config names. */
  platform: Platform;
}

/** Where a blob of a layout lies. */
export function blobPath(dir: string, digest: string): string {
  if (!SHA256_DIGEST.test(digest)) throw new Error(`${JSON.stringify(digest)} is not a digest.`);
  return path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

async function readJsonFile(file: string, what: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch((cause: unknown) => {
    throw new Error(`kaniko wrote no ${what} (${file}).`, { cause });
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_JSON_BLOB) throw new Error(`The ${what} ${file} is larger than expected.`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** A blob of the layout read whole, checked against its descriptor. */
async function readBlob(dir: string, descriptor: Descriptor, what: string): Promise<Buffer> {
  const body = await readJsonFile(blobPath(dir, descriptor.digest), what);
  const digest = sha256Digest(body);
  if (digest !== descriptor.digest || body.length !== descriptor.size) {
    throw new Error(
      `The ${what} in ${dir} is not the ${descriptor.digest} (${descriptor.size} bytes) that index.json names.`,
    );
  }
  return body;
}

/** The platform of an image config (`os`, `architecture`, `variant`). */
function configPlatform(body: Buffer, dir: string): Platform {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new Error(`The image config in ${dir} is not JSON.`, { cause });
  }
  const { os, architecture, variant } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture) {
    throw new Error(`The image config in ${dir} names no os and architecture.`);
  }
  return { os, architecture, ...(typeof variant === 'string' && variant ? { variant } : {}) };
}

/** Reads the one image of the layout at `dir`. */
export async function readLayout(dir: string): Promise<BuiltImage> {
  const marker = await readJsonFile(path.join(dir, 'oci-layout'), 'oci-layout file');
  if (!/"imageLayoutVersion"\s*:\s*"1\./.test(marker.toString('utf8'))) {
    throw new Error(`${dir} is not an OCI image layout of version 1.`);
  }
  const entries = parseIndex(await readJsonFile(path.join(dir, 'index.json'), 'index.json'));
  const images = entries.filter((e) => IMAGE_MANIFEST_TYPES.includes(e.mediaType));
  if (images.length !== 1) {
    throw new Error(
      `The layout ${dir} lists ${images.length} image manifests; kaniko writes exactly one.`,
    );
  }
  const entry = images[0]!;
  const manifestBody = await readBlob(dir, entry, 'image manifest');
  const { config, layers } = parseImageManifest(manifestBody);
  const configBody = await readBlob(dir, config, 'image config');
  for (const layer of layers) {
    const stat = await fs.stat(blobPath(dir, layer.digest)).catch(() => undefined);
    if (!stat?.isFile() || stat.size !== layer.size) {
      throw new Error(`The layer ${layer.digest} is missing from ${dir} or has the wrong size.`);
    }
  }
  return {
    dir,
    manifest: {
      mediaType: entry.mediaType,
      digest: entry.digest,
      size: entry.size,
      body: manifestBody,
    },
    config: { ...config, body: configBody },
    layers,
    platform: configPlatform(configBody, dir),
  };
}

/** `os/arch[/variant]` of a built image. */
export function builtPlatform(image: BuiltImage): string {
  return platformName(image.platform);
}
