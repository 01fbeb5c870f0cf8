import { createHash } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import type { Descriptor } from '../../src/lib/oci.js';
import type { LocalRegistry } from './registry.js';

/** Media types of OCI and Docker images. */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  inToto: 'application/vnd.in-toto+json',
} as const;

/** The Accept header for manifests: indexes and images, OCI and Docker. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

export type { Descriptor, Platform } from '../../src/lib/oci.js';

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** One entry of a layer made by {@link makeLayer}. Parent directories must be listed too. */
export interface TarEntry {
  /** Relative path, without a leading `/`. */
  path: string;
  type?: 'file' | 'dir' | 'symlink';
  /** File content (type `file`). */
  content?: string | Uint8Array;
  /** Permission bits; default 0o644 for files, 0o755 for directories. */
  mode?: number;
  /** Symlink target (type `symlink`). */
  target?: string;
}

/** A layer blob as pushed, with what the image config needs to know about it. */
export interface LayerBlob {
  /** The bytes pushed (gzip-compressed tar for ordinary layers). */
  data: Buffer;
  /** Default: OCI gzip layer. */
  mediaType?: string;
  /** sha256 of the uncompressed tar; computed from `data` when missing. */
  diffId?: string;
  annotations?: Record<string, string>;
}

/** A gzip tar layer made by {@link makeLayer}. */
export interface Layer extends LayerBlob {
  diffId: string;
  digest: string;
  size: number;
  /** The uncompressed tar. */
  tar: Buffer;
}

/** Fixed modification time of every entry, so that layers are reproducible. */
const LAYER_MTIME = new Date('2020-01-01T00:00:00Z');

/**
 * Builds a gzip tar layer with the `tar` package: the entries are staged in a temp dir and
 * archived in the given order, owned by root, with a fixed mtime (same input, same digest).
 */
export async function makeLayer(entries: TarEntry[]): Promise<Layer> {
  const stage = await mkdtemp(path.join(tmpdir(), 'oci-layer-'));
  try {
    for (const entry of entries) {
      const file = path.join(stage, entry.path);
      await mkdir(path.dirname(file), { recursive: true });
      const type = entry.type ?? 'file';
      if (type === 'dir') {
        await mkdir(file, { recursive: true });
        await chmod(file, entry.mode ?? 0o755);
      } else if (type === 'symlink') {
        await symlink(entry.target ?? '', file);
      } else {
        await writeFile(file, entry.content ?? '');
        await chmod(file, entry.mode ?? 0o644);
      }
    }
    const chunks: Buffer[] = [];
    const pack = tar.create(
      { cwd: stage, portable: true, noDirRecurse: true, mtime: LAYER_MTIME, gzip: false },
      entries.map((e) => e.path),
    );
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
    const tarBytes = Buffer.concat(chunks);
    const data = gzipSync(tarBytes);
    return {
      data,
      tar: tarBytes,
      mediaType: MEDIA_TYPES.ociLayerGzip,
      diffId: sha256Digest(tarBytes),
      digest: sha256Digest(data),
      size: data.length,
    };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

function isGzip(data: Uint8Array): boolean {
  return data[0] === 0x1f && data[1] === 0x8b;
}

async function check(res: Response, what: string, ...ok: number[]): Promise<Response> {
  if (ok.includes(res.status)) return res;
  throw new Error(`${what}: ${res.status} ${res.statusText}: ${await res.text()}`);
}

/** Uploads a blob (POST, then one PUT) unless the repository has it. Returns its digest. */
export async function uploadBlob(
  reg: LocalRegistry,
  repo: string,
  data: Uint8Array,
): Promise<string> {
  const digest = sha256Digest(data);
  const head = await fetch(`${reg.url}/v2/${repo}/blobs/${digest}`, {
    method: 'HEAD',
    headers: reg.authHeader(),
  });
  if (head.status === 200) return digest;
  const post = await check(
    await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, {
      method: 'POST',
      headers: reg.authHeader(),
    }),
    `POST upload to ${repo}`,
    202,
  );
  await post.arrayBuffer();
  const location = new URL(post.headers.get('location') ?? '', reg.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...reg.authHeader(), 'Content-Type': 'application/octet-stream' },
    body: data,
  });
  await (await check(put, `PUT blob ${digest} to ${repo}`, 201)).arrayBuffer();
  return digest;
}

/** Puts a manifest or index under `ref` (a tag or its digest). Returns its digest. */
export async function putManifest(
  reg: LocalRegistry,
  repo: string,
  ref: string,
  body: Uint8Array,
  mediaType: string,
): Promise<string> {
  const digest = sha256Digest(body);
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${ref || digest}`, {
    method: 'PUT',
    headers: { ...reg.authHeader(), 'Content-Type': mediaType },
    body,
  });
  await (await check(res, `PUT manifest ${repo}:${ref || digest}`, 201)).arrayBuffer();
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== digest) {
    throw new Error(`registry stored ${repo}:${ref} as ${stored}, expected ${digest}`);
  }
  return digest;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  body: Buffer;
  json: Record<string, unknown>;
}

/** GETs a manifest or index by tag or digest; `digest` is the sha256 of the bytes received. */
export async function getManifest(
  reg: LocalRegistry,
  repo: string,
  ref: string,
): Promise<FetchedManifest> {
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${ref}`, {
    headers: { ...reg.authHeader(), Accept: MANIFEST_ACCEPT },
  });
  await check(res, `GET manifest ${repo}:${ref}`, 200);
  const body = Buffer.from(await res.arrayBuffer());
  return {
    mediaType: res.headers.get('content-type') ?? '',
    digest: sha256Digest(body),
    body,
    json: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
  };
}

/** GETs a blob's bytes as the registry serves them (not checked against the digest). */
export async function getBlob(reg: LocalRegistry, repo: string, digest: string): Promise<Buffer> {
  const res = await fetch(`${reg.url}/v2/${repo}/blobs/${digest}`, { headers: reg.authHeader() });
  await check(res, `GET blob ${repo}@${digest}`, 200);
  return Buffer.from(await res.arrayBuffer());
}

/** What {@link pushOciImage} pushed. */
export interface PushedImage {
  /** Manifest digest. */
  digest: string;
  mediaType: string;
  /** Manifest size in bytes. */
  size: number;
  /** The manifest's exact bytes. */
  manifest: Buffer;
  configDigest: string;
  layerDigests: string[];
}

/**
 * Pushes a single-platform OCI image: the layers (gzip blobs, or {@link LayerBlob}s), the config
 * (its `rootfs` is filled in from the layers when missing), then the manifest under `tag`
 * (or by digest only when `tag` is empty).
 */
export async function pushOciImage(
  reg: LocalRegistry,
  repo: string,
  tag: string,
  layers: Array<Buffer | LayerBlob>,
  config: Record<string, unknown>,
  options: { annotations?: Record<string, string> } = {},
): Promise<PushedImage> {
  const blobs: LayerBlob[] = layers.map((l) => (Buffer.isBuffer(l) ? { data: l } : l));
  const descriptors: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const layer of blobs) {
    const digest = await uploadBlob(reg, repo, layer.data);
    descriptors.push({
      mediaType: layer.mediaType ?? MEDIA_TYPES.ociLayerGzip,
      digest,
      size: layer.data.length,
      ...(layer.annotations ? { annotations: layer.annotations } : {}),
    });
    diffIds.push(
      layer.diffId ?? sha256Digest(isGzip(layer.data) ? gunzipSync(layer.data) : layer.data),
    );
  }
  const fullConfig = { ...config, rootfs: config.rootfs ?? { type: 'layers', diff_ids: diffIds } };
  const configBytes = Buffer.from(JSON.stringify(fullConfig));
  const configDigest = await uploadBlob(reg, repo, configBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: configBytes.length },
      layers: descriptors,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    }),
  );
  const digest = await putManifest(reg, repo, tag, manifest, MEDIA_TYPES.ociManifest);
  return {
    digest,
    mediaType: MEDIA_TYPES.ociManifest,
    size: manifest.length,
    manifest,
    configDigest,
    layerDigests: descriptors.map((d) => d.digest),
  };
}

/** Path of a blob's bytes in the registry's filesystem storage. */
export function blobDataPath(reg: LocalRegistry, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return path.join(reg.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}

/**
 * Makes the registry serve wrong bytes under the right digest, by overwriting the blob's data
 * file. Without `replacement`, a gzip blob keeps its size and stays valid gzip of the same
 * content (only the OS byte of its header changes), so only a digest check can notice; any
 * other blob gets its last byte flipped.
 */
export async function tamperBlob(
  reg: LocalRegistry,
  repo: string,
  digest: string,
  replacement?: Uint8Array,
): Promise<void> {
  const hex = digest.replace(/^sha256:/, '');
  const repoDir = path.join(reg.dataDir, 'docker/registry/v2/repositories', repo);
  const links = [
    path.join(repoDir, '_layers/sha256', hex, 'link'),
    path.join(repoDir, '_manifests/revisions/sha256', hex, 'link'),
  ];
  const linked = await Promise.any(links.map((l) => access(l))).then(
    () => true,
    () => false,
  );
  if (!linked) throw new Error(`${repo} has no blob ${digest}`);
  const file = blobDataPath(reg, digest);
  const original = await readFile(file);
  let bytes: Uint8Array;
  if (replacement) {
    bytes = replacement;
  } else {
    const copy = Buffer.from(original);
    const at = isGzip(copy) && copy.length > 10 ? 9 : copy.length - 1;
    copy[at] = (copy[at] ?? 0) === 0xff ? 0x03 : 0xff;
    bytes = copy;
  }
  if (sha256Digest(bytes) === digest) throw new Error('the replacement has the same digest');
  await writeFile(file, bytes);
}
