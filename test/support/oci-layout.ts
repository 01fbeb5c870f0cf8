/** Reading an OCI image layout directory (kaniko's --oci-layout-path) in tests. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageConfig } from './layer-files.js';
import { sha256Digest, type Descriptor, type Platform } from './oci-image.js';

/** One image of a layout, every blob checked against its digest and size. */
export interface LayoutImage {
  /** The entry of index.json (kaniko's has no platform). */
  descriptor: Descriptor;
  manifest: {
    mediaType?: string;
    config: Descriptor;
    layers: Descriptor[];
    annotations?: Record<string, string>;
  };
  config: ImageConfig;
  /** The platform the image config names. */
  platform: Platform;
  /** The layer blobs, in manifest order. */
  layers: Buffer[];
}

export interface OciLayout {
  /** The `oci-layout` file. */
  ociLayout: { imageLayoutVersion: string };
  index: { schemaVersion: number; mediaType?: string; manifests: Descriptor[] };
  images: LayoutImage[];
}

/** Reads a blob of the layout and checks it against its descriptor. */
export async function readLayoutBlob(dir: string, desc: Descriptor): Promise<Buffer> {
  const [algorithm, hex] = desc.digest.split(':');
  const data = await readFile(path.join(dir, 'blobs', algorithm ?? '', hex ?? ''));
  if (sha256Digest(data) !== desc.digest) throw new Error(`blob ${desc.digest}: wrong digest`);
  if (data.length !== desc.size) throw new Error(`blob ${desc.digest}: ${data.length} bytes`);
  return data;
}

/** Reads `oci-layout`, `index.json` and every image index.json lists. */
export async function readOciLayout(dir: string): Promise<OciLayout> {
  const ociLayout = JSON.parse(
    await readFile(path.join(dir, 'oci-layout'), 'utf8'),
  ) as OciLayout['ociLayout'];
  const index = JSON.parse(
    await readFile(path.join(dir, 'index.json'), 'utf8'),
  ) as OciLayout['index'];
  const images: LayoutImage[] = [];
  for (const descriptor of index.manifests) {
    const manifest = JSON.parse(
      (await readLayoutBlob(dir, descriptor)).toString('utf8'),
    ) as LayoutImage['manifest'];
    const config = JSON.parse(
      (await readLayoutBlob(dir, manifest.config)).toString('utf8'),
    ) as ImageConfig;
    const layers = await Promise.all(manifest.layers.map((l) => readLayoutBlob(dir, l)));
    const platform: Platform = { os: config.os, architecture: config.architecture };
    if (config.variant) platform.variant = config.variant;
    images.push({ descriptor, manifest, config, platform, layers });
  }
  return { ociLayout, index, images };
}
