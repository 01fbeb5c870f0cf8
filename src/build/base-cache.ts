/**
 * Base images once per job: for the build stage, the action serves a read-only pull-through
 * registry on the loopback (`registry/proxy.ts`) and maps the registries of the job's base
 * images to it (`--registry-map`), so every distinct base blob is downloaded once, verified,
 * and read by every build from one local store. Tags are resolved by the registry on every
 * pull; pushes go to the registry itself as before.
 *
 * A base that cannot be shared is left to kaniko, with a debug line saying why: a `FROM` whose
 * registry is not known before the build (a build arg), a registry the user maps with
 * `extra-args` of their own, a registry whose login the action cannot use. When the cache fails
 * to serve something, kaniko pulls from the registry itself.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as core from '@actions/core';
import { DOCKER_HUB_REGISTRY_HOST, type ImagePlan, type Inputs } from '../contract.js';
import { addLogin, type CredentialsFile, type Logins } from '../credentials/docker-config.js';
import { isDockerHub } from '../lib/docker-hub.js';
import { errorMessage } from '../lib/errors.js';
import { platformName, runnerPlatform } from '../lib/oci.js';
import { plain } from '../lib/untrusted.js';
import { BlobStore, removeStoreDir } from '../registry/blob-store.js';
import type { Registries } from '../registry/clients.js';
import { RegistryProxy } from '../registry/proxy.js';
import type { BaseMirror } from './kaniko-args.js';

/** How kaniko names Docker Hub in a registry map. */
const KANIKO_DOCKER_HUB = 'index.docker.io';

/** A base image of the build: its registry, or why it is not known before the build. */
type BaseImage =
  | { reference: string; registry: string }
  | { reference: string; registry?: undefined; unknown: string };

interface BaseRegistries {
  /** Registries to map to the cache, as kaniko names them, sorted. */
  mapped: string[];
  /** Why a base is left to kaniko, one line each. */
  left: string[];
}

/** The registry as kaniko names it in `--registry-map`. */
export function kanikoRegistry(registry: string): string {
  return isDockerHub(registry) ? KANIKO_DOCKER_HUB : registry.toLowerCase();
}

/** Registries the user maps to mirrors of their own in `extra-args`, as kaniko names them. */
export function userMapped(extraArgs: readonly string[]): Set<string> {
  const mapped = new Set<string>();
  for (const arg of extraArgs) {
    const mirror = /^--registry-mirror=/.exec(arg);
    if (mirror) mapped.add(KANIKO_DOCKER_HUB);
    const map = /^--registry-map=(.*)$/.exec(arg);
    for (const pair of map?.[1]?.split(';') ?? []) {
      const key = pair.split('=')[0]?.trim();
      if (key) mapped.add(kanikoRegistry(key));
    }
  }
  return mapped;
}

/**
 * Which registries of `bases` the cache serves, and which bases are left to kaniko and why.
 * `opaque(registry)`: kaniko has a login there that the action cannot use.
 */
export function baseRegistries(
  bases: readonly BaseImage[],
  extraArgs: readonly string[],
  opaque: (registry: string) => boolean,
): BaseRegistries {
  const own = userMapped(extraArgs);
  const mapped = new Set<string>();
  const left: string[] = [];
  for (const base of bases) {
    const shown = plain(base.reference);
    if (base.registry === undefined) {
      left.push(`${shown}: ${base.unknown}; kaniko pulls it itself`);
      continue;
    }
    const registry = kanikoRegistry(base.registry);
    if (own.has(registry)) {
      left.push(`${shown}: 'extra-args' maps ${registry} to a mirror of your own`);
    } else if (opaque(registry)) {
      left.push(`${shown}: the docker login for ${registry} holds a token only kaniko can use`);
    } else {
      mapped.add(registry);
    }
  }
  return { mapped: [...mapped].sort(), left };
}

/** What the base images of the plans are read with. */
type BaseInputs = Pick<Inputs, 'dockerfile' | 'buildArgs' | 'target' | 'platforms'>;

/**
 * The base images of the images to build, as the build graph reads their Dockerfiles: every
 * `FROM` and `COPY --from=<image>` of the stages kaniko builds, for each platform being built,
 * `ARG` defaults and `build-args` resolved. A Dockerfile that cannot be read has none here (its
 * build fails on its own).
 */
export async function baseImagesOfPlans(
  plans: readonly Pick<ImagePlan, 'directory'>[],
  inputs: BaseInputs,
  workspace: string,
): Promise<BaseImage[]> {
  const graph = await import('../graph/parse.js');
  const platforms =
    inputs.platforms.length > 0 ? inputs.platforms : [platformName(runnerPlatform())];
  const found = new Map<string, BaseImage>();
  for (const { directory } of plans) {
    const file = path.join(directory, inputs.dockerfile);
    let text: string;
    try {
      text = await fs.readFile(path.join(workspace, file), 'utf8');
    } catch {
      continue;
    }
    const model = graph.parseDockerfile(text);
    for (const platform of platforms) {
      const options = { buildArgs: inputs.buildArgs, target: inputs.target, platform };
      for (const base of graph.baseImagesOf(model, options)) {
        const image: BaseImage =
          base.known && base.name
            ? { reference: base.reference, registry: base.name.registry }
            : {
                reference: base.written,
                unknown: `${base.instruction} in ${file} (line ${base.line}) is not known before the build`,
              };
        found.set(`${image.reference} ${'unknown' in image ? image.unknown : ''}`, image);
      }
    }
  }
  return [...found.values()];
}

interface BaseCacheOptions {
  inputs: Pick<Inputs, 'extraArgs'>;
  /** The base images of the images to build. */
  bases: readonly BaseImage[];
  registries: Registries;
  logins: Logins;
  /** kaniko's credentials file: the cache's secret is added to it. */
  credentials: CredentialsFile;
  /** Where the store's directory is made (RUNNER_TEMP). */
  temp: string;
}

export interface BaseCache {
  mirror: BaseMirror;
  /** The store's directory, for the post step should the job end before `stop`. */
  dir: string;
  /** Stops serving, deletes the store, and logs what the cache saved. Never throws. */
  stop(): Promise<void>;
}

const MIB = 1024 * 1024;

/**
 * Starts the cache for the registries of `bases`; `undefined` (kaniko pulls every base itself)
 * when there is none to serve.
 */
export async function startBaseCache(options: BaseCacheOptions): Promise<BaseCache | undefined> {
  const { mapped, left } = baseRegistries(options.bases, options.inputs.extraArgs, (r) =>
    options.logins.opaqueFor(r),
  );
  for (const line of left) core.debug(`Base image ${line}.`);
  if (mapped.length === 0) return undefined;

  const store = await BlobStore.create(options.temp);
  let proxy: RegistryProxy | undefined;
  try {
    proxy = await RegistryProxy.start({
      store,
      upstreams: mapped.map((registry) => ({
        registry,
        client: options.registries.client(
          registry === KANIKO_DOCKER_HUB ? DOCKER_HUB_REGISTRY_HOST : registry,
        ),
      })),
      debug: (message) => core.debug(plain(message)),
    });
    await addLogin(options.credentials, proxy.host, proxy.login);
  } catch (error) {
    await proxy?.close();
    await store.remove();
    throw new Error(`Cannot start the base-image cache: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  core.info(
    `Base images from ${mapped.join(', ')}: each blob downloaded once for the job, by the cache on ${proxy.host}.`,
  );
  const running = proxy;
  return {
    mirror: { host: running.host, mirrors: running.mirrors },
    dir: store.dir,
    async stop() {
      try {
        await running.close();
        await store.remove();
      } catch (error) {
        // The post step deletes what is left; the builds are done either way.
        core.warning(`Could not stop the base-image cache: ${errorMessage(error)}`);
      }
      const { blobs, blobBytes, manifests, manifestsFetched } = running.stats;
      core.info(
        `Base-image cache: ${blobs} blob${blobs === 1 ? '' : 's'} (${(blobBytes / MIB).toFixed(1)} MiB) served to the builds, ` +
          `${store.downloads} (${(store.downloadedBytes / MIB).toFixed(1)} MiB) downloaded; ` +
          `${manifests} manifest${manifests === 1 ? '' : 's'} served, ${manifestsFetched} fetched.`,
      );
    },
  };
}

/** Deletes the store of a job that ended before `stop` (the post step), if it is one. */
export async function removeBaseCache(dir: string, temp: string): Promise<void> {
  await removeStoreDir(dir, temp);
}
