/**
 * The OCI image index of a multi-platform release, and the platform names it is matched by.
 * Pure functions: no network, no file system.
 */
import { MediaType, sha256Digest, type Descriptor, type Platform } from '../lib/oci.js';

/** The default variant of an architecture, as OCI runtimes read an empty one. */
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7', amd64: 'v1' };

/** A platform as `os/arch/variant`, the default variant filled in, for comparisons. */
export function platformKey(platform: Platform): string {
  const variant = platform.variant || DEFAULT_VARIANT[platform.architecture] || '';
  return [platform.os, platform.architecture, variant].join('/');
}

/** `linux/arm64` (input syntax) as a platform. */
export function parsePlatform(name: string): Platform {
  const [os = '', architecture = '', variant] = name.split('/');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

interface IndexEntry {
  platform: Platform;
  manifest: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;
}

interface ImageIndex {
  mediaType: string;
  digest: string;
  body: Buffer;
}

/** One OCI image index listing exactly these manifests, in this order. */
export function imageIndex(entries: readonly IndexEntry[]): ImageIndex {
  const manifests = entries.map(({ platform, manifest }) => ({
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.size,
    platform: {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
    },
  }));
  const body = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }),
  );
  return {
    mediaType: MediaType.OciIndex,
    digest: sha256Digest(body),
    body,
  };
}
