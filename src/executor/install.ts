/**
 * Stage 4, install: the kaniko executor's root filesystem, downloaded, verified and cached.
 *
 * The executor image is read over the distribution API: the index (checked against the pinned
 * digest when there is one), the manifest for the runner's platform, then the config and the
 * layers, each verified against its descriptor before use. The layers are applied in order
 * into a root file system, which `@actions/tool-cache` keeps under the platform manifest's
 * digest and the architecture: a later run resolves the index, finds the digest in the cache,
 * and downloads no blob at all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
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
  type ImageConfig,
  type Platform,
} from '../lib/oci.js';
import { mapAll } from '../lib/pool.js';
import { Registries, type RegistryInputs } from '../registry/clients.js';
import { MANIFEST_TYPES, type Manifest, type RegistryClient } from '../registry/oci-client.js';
import { downloadBlob, fetchBlob } from './download.js';
import {
  cacheArch,
  cacheVersion,
  parseExecutorReference,
  type ExecutorReference,
} from './reference.js';
import { unpackLayers } from './unpack.js';

/** The tool-cache name of the unpacked executor images. */
export const TOOL_NAME = 'kaniko-executor';
/** Inside a cached version: the root file system, and what the sandbox needs to know of it. */
const ROOTFS_DIR = 'rootfs';
const METADATA_FILE = 'image.json';
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
}

/** What the cache keeps next to the root file system. */
interface CachedMetadata {
  image: string;
  manifestDigest: string;
  platform: string;
  config: ImageConfig;
}

export interface InstallOptions {
  /** The registry clients to use (default: made from the inputs, closed afterwards). */
  registries?: Registries;
  /** The platform to install for (default: the runner's). */
  platform?: Platform;
  /** Progress lines (default: `core.info`). */
  log?: (line: string) => void;
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
  const registries = options.registries ?? new Registries(inputs);
  // The executor image is pulled with the user's login for its registry, anonymously otherwise.
  const client = registries.client(ref.apiHost);
  const failure = (step: string, error: unknown): Error =>
    new Error(
      `Could not install the kaniko executor ${ref.image} (${platformName(platform)}): ${step}: ${errorMessage(error)}`,
      { cause: error },
    );
  try {
    const target = await resolvePlatformManifest(client, ref, platform, failure);
    const version = cacheVersion(target.digest);
    const arch = cacheArch(platform);
    const found = readCache(tc.find(TOOL_NAME, version, arch));
    if (found) {
      log(`Found ${ref.image} (${platformName(platform)}, ${target.digest}) in the tool cache.`);
      return installed(found.dir, found.metadata, true);
    }
    return await download(client, ref, platform, target, log, failure);
  } finally {
    if (!options.registries) await registries.close();
  }
}

type Failure = (step: string, error: unknown) => Error;

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

function readCache(dir: string): { dir: string; metadata: CachedMetadata } | undefined {
  if (!dir) return undefined;
  try {
    const metadata = JSON.parse(
      fs.readFileSync(path.join(dir, METADATA_FILE), 'utf8'),
    ) as CachedMetadata;
    if (!fs.statSync(path.join(dir, ROOTFS_DIR)).isDirectory()) return undefined;
    return { dir, metadata };
  } catch {
    // An incomplete or foreign entry: download again, which replaces it.
    return undefined;
  }
}

function installed(dir: string, metadata: CachedMetadata, cached: boolean): InstalledExecutor {
  const { config } = metadata;
  return {
    rootfs: path.join(dir, ROOTFS_DIR),
    digest: metadata.manifestDigest,
    env: config.env,
    entrypoint: config.entrypoint.length > 0 ? config.entrypoint : config.cmd,
    image: metadata.image,
    platform: metadata.platform,
    cached,
  };
}

async function download(
  client: RegistryClient,
  ref: ExecutorReference,
  platform: Platform,
  target: Descriptor & { manifest?: Manifest },
  log: (line: string) => void,
  failure: Failure,
): Promise<InstalledExecutor> {
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
      async () =>
        parseImageConfig(
          await fetchBlob(client, ref.repository, configDescriptor, path.join(blobs, 'config')),
        ),
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
    const tool = path.join(staging, 'tool');
    const rootfs = path.join(tool, ROOTFS_DIR);
    fs.mkdirSync(rootfs, { recursive: true, mode: 0o755 });
    fs.chmodSync(rootfs, 0o755);
    await step('unpacking the layers', failure, () =>
      unpackLayers(rootfs, files, { onWarning: (m) => log(`  ${m}`) }),
    );
    const metadata: CachedMetadata = {
      image: ref.image,
      manifestDigest: manifest.digest,
      platform: platformName(platform),
      config,
    };
    fs.writeFileSync(path.join(tool, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
    const dir = await step('storing it in the tool cache', failure, () =>
      tc.cacheDir(tool, TOOL_NAME, cacheVersion(manifest.digest), cacheArch(platform)),
    );
    return installed(dir, metadata, false);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
