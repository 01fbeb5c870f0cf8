/**
 * Stage 2, versions: the next version of every image, from the registry's tags.
 *
 * Images are looked up in parallel (bounded); the pages of one image in order. An explicit
 * `version` makes no request at all. A directory whose name cannot be an image name becomes a
 * failure naming it; any registry failure rejects the whole stage — it never falls back to
 * `default-version`.
 */
import * as core from '@actions/core';
import type { BuildTarget, DirectoryFailure, ImagePlan, Inputs } from '../contract.js';
import { errorMessage } from '../lib/errors.js';
import { mapAll } from '../lib/pool.js';
import { plain } from '../lib/untrusted.js';
import type { RegistryLookups } from '../registry/clients.js';
import { imageName, imageRef } from './image-ref.js';
import { nextVersion, versionPrefix } from './rule.js';

export interface VersionPlan {
  plans: ImagePlan[];
  /** Directories that cannot be built at all (e.g. a name that is no valid image name). */
  failures: DirectoryFailure[];
}

/** How many images are looked up at once. */
export const VERSION_CONCURRENCY = 8;
/** How many ignored tags one warning names. */
const MAX_NAMED = 5;

export interface VersionOptions {
  /** Default: the registries of the inputs, over the action's HTTP layer. */
  lookups?: RegistryLookups;
  /** Default `VERSION_CONCURRENCY`. */
  concurrency?: number;
  /** Where warnings and notes go; default the runner's log. */
  log?: { warning(message: string): void; info(message: string): void };
}

export async function planVersions(
  targets: readonly BuildTarget[],
  inputs: Inputs,
  options: VersionOptions = {},
): Promise<VersionPlan> {
  const log = options.log ?? { warning: core.warning, info: core.info };
  const failures: DirectoryFailure[] = [];
  const images: Image[] = [];
  for (const target of targets) {
    try {
      const name = imageName(target.directory);
      images.push({ ...target, name, ref: imageRef(inputs.registry, inputs.namespace, name) });
    } catch (error) {
      failures.push({ directory: target.directory, error: errorMessage(error) });
    }
  }

  if (inputs.version !== '') {
    return {
      plans: images.map((i) => ({ ...i, version: inputs.version, previous: '' })),
      failures,
    };
  }

  // The registry layer (HTTP client, TLS, proxies) is loaded only when a lookup is needed, so
  // a plan with an explicit version starts as fast as git allows.
  const own = options.lookups
    ? undefined
    : new (await import('../registry/clients.js')).Registries(inputs);
  const lookups = options.lookups ?? own!;
  try {
    return { plans: await lookUp(images, inputs, lookups, options, log), failures };
  } finally {
    await own?.close();
  }
}

type Image = Omit<ImagePlan, 'version' | 'previous'>;

async function lookUp(
  images: readonly Image[],
  inputs: Inputs,
  lookups: RegistryLookups,
  options: VersionOptions,
  log: NonNullable<VersionOptions['log']>,
): Promise<ImagePlan[]> {
  return mapAll(
    images,
    options.concurrency ?? VERSION_CONCURRENCY,
    async (image): Promise<ImagePlan> => {
      let tags: string[] | null;
      try {
        tags = await lookups.listTags(image.ref);
      } catch (error) {
        throw new Error(
          `Cannot read the tags of ${image.ref.reference} (directory ${plain(image.directory)}): ${errorMessage(error)}`,
          { cause: error },
        );
      }
      const decision = nextVersion(tags, inputs.defaultVersion, inputs.bump);
      if (tags === null) {
        const privateHint =
          image.ref.dockerHub && !(inputs.username && inputs.password)
            ? " (Docker Hub answers the same for a private repository read without credentials: set 'username' and 'password' if it is private)"
            : '';
        log.info(
          `${image.ref.reference} does not exist yet${privateHint}; it starts at ${decision.version}.`,
        );
      } else if (decision.previous === '') {
        log.info(
          `${image.ref.reference} has ${tags.length} tag${tags.length === 1 ? '' : 's'} but no version tag like ${inputs.defaultVersion}; it starts at ${decision.version}.`,
        );
      }
      if (decision.ignored.length > 0) {
        const named = decision.ignored.slice(0, MAX_NAMED).join(', ');
        const more =
          decision.ignored.length > MAX_NAMED
            ? ` and ${decision.ignored.length - MAX_NAMED} more`
            : '';
        log.warning(
          `${image.ref.reference}: ignored ${named}${more}, which look${decision.ignored.length === 1 ? 's' : ''} like ${decision.previous ? `a version above ${decision.previous}` : `a version at or above ${inputs.defaultVersion}`} but ${decision.ignored.length === 1 ? 'is' : 'are'} not exactly ${describePattern(inputs.defaultVersion)}; the next version is ${decision.version}.`,
        );
      }
      return { ...image, version: decision.version, previous: decision.previous };
    },
  );
}

function describePattern(defaultVersion: string): string {
  return `${versionPrefix(defaultVersion)}MAJOR.MINOR.PATCH`;
}
