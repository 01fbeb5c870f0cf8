/**
 * Stage 4, install: the kaniko executor's root filesystem, downloaded, verified and cached.
 *
 * The executor image is read over the distribution API: the index (checked against the pinned
 * digest when there is one), the manifest for the runner's platform, then the config and the
 * layers, each verified against its descriptor before use. The layers are applied in order
 * into a root file system, which the tool cache keeps under the platform manifest's digest and
 * the architecture (see `cache.ts`: installed whole or not at all, verified before each use):
 * a later run resolves the index, finds the digest in the cache, and downloads no blob at all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import type { Inputs } from '../contract.js';
import { errorMessage } from '../lib/errors.js';
import {
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  parseImageConfig,
  parseImageManifest,
  parseIndex,
  platformName,
  platformRuns,
  runnerPlatform,
  selectManifest,
  type Descriptor,
  type Platform,
} from '../lib/oci.js';
import { mapAll } from '../lib/pool.js';
import { downloadBlob } from '../registry/blob-download.js';
import { Registries, type RegistryInputs } from '../registry/clients.js';
import { MANIFEST_TYPES, type Manifest, type RegistryClient } from '../registry/oci-client.js';
import { findEntry, installEntry, type CacheEntry, type EntryRecord } from './cache.js';
import {
  cacheArch,
  cacheVersion,
  parseExecutorReference,
  type ExecutorReference,
} from './reference.js';
import { unpackLayers } from './unpack.js';

export { TOOL_NAME } from './cache.js';
/** Layers downloaded at the same time. */
const DOWNLOAD_CONCURRENCY = 3;

export interface InstalledExecutor {
  /** The cached root filesystem; never written to. */
  rootfs: string;
  /** Digest of the platform manifest it was made from. */
  digest: string;
  /** The image config's environment, `KEY=VALUE`. */
  env: string[];
  /** The image config's entrypoint, e.g. `['/kaniko/executor']`. */
  entrypoint: string[];
  /** The `executor-image` it came from. */
  image?: string;
  /** `linux/amd64`, … */
  platform?: string;
  /** Whether it was found in the tool cache (nothing downloaded). */
  cached?: boolean;
  /** The root as verified (see `assertUnchanged`); the runtime checks it before each build. */
  fingerprint?: string;
}

export interface InstallOptions {
  /** The registry clients to use (default: made from the inputs, closed afterwards). */
  registries?: Registries;
  /** The platform to install for (default: the runner's). */
  platform?: Platform;
  /** Progress lines (default: `core.info`). */
  log?: (line: string) => void;
  /** A cache entry that does not match its record (default: `core.warning`). */
  warn?: (message: string) => void;
}

type InstallInputs = Pick<Inputs, 'executorImage'> & RegistryInputs;

/** Downloads (or finds in the tool cache) the executor image for this runner. */
export async function installExecutor(
  inputs: InstallInputs,
  options: InstallOptions = {},
): Promise<InstalledExecutor> {
  const ref = parseExecutorReference(inputs.executorImage);
  const platform = options.platform ?? runnerPlatform();
  const log = options.log ?? ((line: string) => core.info(line));
  const warn = options.warn ?? ((message: string) => core.warning(message));
  const registries = options.registries ?? new Registries(inputs);
  // The executor image is pulled with the user's login for its registry, anonymously otherwise.
  const client = registries.client(ref.apiHost);
  const failure = (step: string, error: unknown): Error =>
    new InstallError(
      `Could not install the kaniko executor ${ref.image} (${platformName(platform)}): ${step}: ${errorMessage(error)}`,
      { cause: error },
    );
  try {
    const target = await resolvePlatformManifest(client, ref, platform, failure);
    const key = { version: cacheVersion(target.digest), arch: cacheArch(platform) };
    const cached = await findEntry(key);
    if (cached.found) {
      log(
        `Found ${ref.image} (${platformName(platform)}, ${target.digest}) in the tool cache, verified.`,
      );
      return installed(cached.found, true);
    }
    if (cached.invalid) {
      warn(
        `The cached kaniko executor ${ref.image} (${platformName(platform)}) no longer matches what was installed (${cached.invalid}); it is not run, and is installed again.`,
      );
    }
    const { entry, installed: fresh } = await installEntry(key, (rootfs) =>
      download(client, ref, platform, target, rootfs, log, failure),
    ).catch((error: unknown) => {
      throw error instanceof InstallError ? error : failure('storing it in the tool cache', error);
    });
    if (!fresh) log(`Another job installed ${ref.image} meanwhile; using it.`);
    return installed(entry, !fresh);
  } finally {
    if (!options.registries) await registries.close();
  }
}

type Failure = (step: string, error: unknown) => Error;

/** A failed install, its message naming the image and the step. */
class InstallError extends Error {
  override name = 'InstallError';
}

async function step<T>(name: string, failure: Failure, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw failure(name, error);
  }
}

/**
 * The platform manifest's descriptor: from the index (whose digest is checked against a pinned
 * one), or the image manifest itself. Only the index is fetched here; the manifest is fetched
 * (and checked against this descriptor) only when the cache does not have it.
 */
async function resolvePlatformManifest(
  client: RegistryClient,
  ref: ExecutorReference,
  platform: Platform,
  failure: Failure,
): Promise<Descriptor & { manifest?: Manifest }> {
  const top = await step('reading the image', failure, () =>
    client.getManifest(ref.repository, ref.reference, MANIFEST_TYPES),
  );
  if (ref.digest && top.digest !== ref.digest) {
    throw failure(
      'reading the image',
      new Error(`the registry sent ${top.digest}, not the pinned ${ref.digest}; refusing it`),
    );
  }
  if (INDEX_TYPES.includes(top.mediaType)) {
    return step('choosing the platform', failure, async () =>
      selectManifest(parseIndex(top.body), platform, ref.image),
    );
  }
  if (IMAGE_MANIFEST_TYPES.includes(top.mediaType)) {
    return { mediaType: top.mediaType, digest: top.digest, size: top.body.length, manifest: top };
  }
  throw failure(
    'reading the image',
    new Error(`unexpected media type ${top.mediaType || '(none)'}`),
  );
}

function installed(entry: CacheEntry, cached: boolean): InstalledExecutor {
  const { config } = entry.record;
  return {
    rootfs: entry.rootfs,
    digest: entry.record.manifestDigest,
    env: config.env,
    entrypoint: config.entrypoint.length > 0 ? config.entrypoint : config.cmd,
    image: entry.record.image,
    platform: entry.record.platform,
    cached,
    fingerprint: entry.fingerprint,
  };
}

async function download(
  client: RegistryClient,
  ref: ExecutorReference,
  platform: Platform,
  target: Descriptor & { manifest?: Manifest },
  rootfs: string,
  log: (line: string) => void,
  failure: Failure,
): Promise<Omit<EntryRecord, 'verification'>> {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const staging = fs.mkdtempSync(path.join(fs.realpathSync(base), 'kaniko-executor-'));
  try {
    const manifest =
      target.manifest ??
      (await step('fetching the platform manifest', failure, async () => {
        const m = await client.getManifest(ref.repository, target.digest, IMAGE_MANIFEST_TYPES);
        if (m.body.length !== target.size) {
          throw new Error(
            `the manifest ${target.digest} has ${m.body.length} bytes, not the ${target.size} the index says; refusing it`,
          );
        }
        return m;
      }));
    const { config: configDescriptor, layers } = await step(
      'reading the manifest',
      failure,
      async () => parseImageManifest(manifest.body),
    );
    const blobs = path.join(staging, 'blobs');
    fs.mkdirSync(blobs);
    const config = await step(
      `downloading the config ${configDescriptor.digest}`,
      failure,
      async () => {
        // Read only once its sha256 and size passed, like every blob.
        const file = path.join(blobs, 'config');
        await downloadBlob(client, ref.repository, configDescriptor, file);
        return parseImageConfig(await fs.promises.readFile(file));
      },
    );
    // From an index the platform was chosen already; a lone manifest must fit the runner.
    if (target.manifest && config.platform.os && !platformRuns(config.platform, platform)) {
      throw failure(
        'checking the platform',
        new Error(`the image is for ${platformName(config.platform)}, not for this runner`),
      );
    }
    if (config.entrypoint.length === 0 && config.cmd.length === 0) {
      throw failure('reading the config', new Error('the image has no entrypoint'));
    }
    const total = layers.reduce((sum, l) => sum + l.size, 0);
    log(
      `Downloading ${ref.image} (${platformName(platform)}, ${manifest.digest}): ${layers.length} layer${
        layers.length === 1 ? '' : 's'
      }, ${(total / 1024 / 1024).toFixed(1)} MiB.`,
    );
    const files = layers.map((l, i) => ({
      file: path.join(blobs, `layer-${i}`),
      digest: l.digest,
    }));
    await mapAll(layers, DOWNLOAD_CONCURRENCY, (layer, i) =>
      step(`downloading layer ${i + 1} of ${layers.length} (${layer.digest})`, failure, () =>
        downloadBlob(client, ref.repository, layer, files[i]!.file),
      ),
    );
    await step('unpacking the layers', failure, () =>
      unpackLayers(rootfs, files, { onWarning: (m) => log(`  ${m}`) }),
    );
    return {
      image: ref.image,
      manifestDigest: manifest.digest,
      platform: platformName(platform),
      config,
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
