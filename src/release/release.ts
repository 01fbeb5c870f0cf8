/**
 * The release of what kaniko built into OCI layouts, by the action's own registry client:
 * (with `skip-unchanged`) compared with `<image>:latest`; then each platform's image pushed by
 * digest, without a tag; then one OCI image index listing exactly the built platforms (or, for a
 * single-platform build, the image manifest itself) put under every tag of the release, the
 * version first; then every tag checked to serve that digest.
 */
import type { ImageRef } from '../contract.js';
import { mapAll } from '../lib/pool.js';
import type { RegistryLookups } from '../registry/clients.js';
import type { RegistryClient } from '../registry/oci-client.js';
import type { BlobOutcome, RegistryPusher } from '../registry/push.js';
import { prefixOf } from '../versions/rule.js';
import { currentVersion } from './current-version.js';
import { imageIndex } from './image-index.js';
import { blobPath } from './layout.js';
import { compareWithLatest, type NamedImage } from './unchanged.js';

/** Blobs uploaded at once, across the platforms of one image. */
const BLOB_CONCURRENCY = 4;

/** The registry clients a release needs (the run's `Registries`). */
export interface ReleaseRegistries extends RegistryLookups {
  client(apiHost: string): RegistryClient;
  pusher(apiHost: string): RegistryPusher;
}

export interface ReleaseRequest {
  ref: ImageRef;
  /** The version planned, and the one it bumped (`''` when none). */
  version: string;
  previous: string;
  /** Every tag of the release, the version first. */
  tags: readonly string[];
  /** One per platform, in the order of the `platforms` input. */
  images: readonly NamedImage[];
  /** Release an index (the `platforms` input is set), even of one platform. */
  multiPlatform: boolean;
  skipUnchanged: boolean;
  push: boolean;
  /** Repositories of the same registry that may hold the base layers, to mount from. */
  mountFrom?: readonly string[];
}

export interface Released {
  status: 'pushed' | 'built' | 'unchanged';
  version: string;
  previous: string;
  /** The tags pushed (or that would have been); none for an unchanged image. */
  tags: string[];
  /** The index's digest, or the manifest's for a single-platform build. */
  digest: string;
  /** Platform name → manifest digest; `{}` for a single-platform build. */
  platforms: Record<string, string>;
}

/** Why a release cannot go on: `message` for the result, `hint` for the annotation. */
export class ReleaseError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ReleaseError';
  }
}

/** `12.3 MiB`, `4.0 KiB`. */
function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${mib.toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Pushes every platform's blobs (each blob once) and manifest by digest. */
async function pushImages(
  pusher: RegistryPusher,
  repository: string,
  request: ReleaseRequest,
  note: (text: string) => void,
): Promise<void> {
  const blobs = new Map<string, { digest: string; size: number; path: string }>();
  for (const { image } of request.images) {
    for (const d of [image.config, ...image.layers]) {
      if (!blobs.has(d.digest)) {
        blobs.set(d.digest, {
          digest: d.digest,
          size: d.size,
          path: blobPath(image.dir, d.digest),
        });
      }
    }
  }
  const outcomes = await mapAll([...blobs.values()], BLOB_CONCURRENCY, (blob) =>
    pusher.pushBlob(repository, blob, request.mountFrom),
  );
  const count = (o: BlobOutcome): number => outcomes.filter((x) => x === o).length;
  const sent = [...blobs.values()]
    .filter((_, i) => outcomes[i] === 'uploaded')
    .reduce((n, b) => n + b.size, 0);
  note(
    `Blobs: ${count('uploaded')} uploaded (${formatSize(sent)}), ${count('mounted')} mounted, ${count('exists')} already there.`,
  );
  for (const { name, image } of request.images) {
    const { digest, body, mediaType } = image.manifest;
    await pusher.putManifest(repository, digest, body, mediaType);
    note(`Pushed ${name} by digest: ${request.ref.reference}@${digest}`);
  }
}

/** Compares, pushes and tags; throws a `ReleaseError` (or a registry error) when it cannot. */
export async function releaseBuilt(
  registries: ReleaseRegistries,
  request: ReleaseRequest,
  note: (text: string) => void,
): Promise<Released> {
  const { ref, images } = request;
  const [first] = images;
  if (!first) throw new Error('Nothing was built to release.');
  const client = registries.client(ref.apiHost);

  if (request.skipUnchanged) {
    const comparison = await compareWithLatest(
      client,
      ref.repository,
      images,
      request.multiPlatform,
    );
    if (comparison.same) {
      const { digest, platforms } = comparison.latest;
      const version = await currentVersion(
        registries,
        ref,
        digest,
        request.previous,
        prefixOf(request.version),
      );
      note(
        `Unchanged: the build equals ${ref.reference}:latest (${version || 'no version tag'}, ${digest}); nothing pushed, ${request.version} not used.`,
      );
      return { status: 'unchanged', version, previous: version, tags: [], digest, platforms };
    }
    note(`Changed: ${comparison.reason}.`);
  }

  const index = request.multiPlatform
    ? imageIndex(
        images.map(({ image }) => ({ platform: image.platform, manifest: image.manifest })),
      )
    : undefined;
  const release = index ?? first.image.manifest;
  const platforms = index
    ? Object.fromEntries(images.map(({ name, image }) => [name, image.manifest.digest]))
    : {};
  const released = {
    version: request.version,
    previous: request.previous,
    tags: [...request.tags],
    digest: release.digest,
    platforms,
  };
  if (!request.push) return { status: 'built', ...released };

  const pusher = registries.pusher(ref.apiHost);
  await pushImages(pusher, ref.repository, request, note);

  // The version was free before the build; it must still be, right before it is taken.
  if ((await registries.digestOf(ref, request.version)) !== null) {
    throw new ReleaseError(
      `${ref.reference}:${request.version} already exists; another run may have pushed it`,
      'A released version is never overwritten. Re-run the workflow so the next version is picked, or give a new `version`.',
    );
  }
  for (const tag of request.tags) {
    await pusher.putManifest(ref.repository, tag, release.body, release.mediaType);
  }
  for (const tag of request.tags) {
    const served = await registries.digestOf(ref, tag);
    if (served !== release.digest) {
      throw new ReleaseError(
        `the registry serves ${served ?? 'nothing'} for ${ref.reference}:${tag}, but the action pushed ${release.digest}`,
        'Another run may have pushed the same tag at the same moment; check the tags of the image in the registry before re-running.',
      );
    }
  }
  note(
    `Pushed ${ref.reference} as ${request.tags.join(', ')} (${index ? `index of ${images.map((i) => i.name).join(', ')}, ` : ''}${release.digest}).`,
  );
  return { status: 'pushed', ...released };
}
