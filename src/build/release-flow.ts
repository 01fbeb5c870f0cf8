/**
 * With `platforms` or `skip-unchanged`, kaniko does not push. One run per platform
 * (`--custom-platform` with `platforms`; the runner's platform otherwise) writes the image into
 * an OCI layout in the run's output directory (`--no-push`, `--oci-layout-path`, and
 * `--reproducible` with `skip-unchanged`); then `release/` compares, pushes by digest, assembles
 * the index and tags it. When `RUN` steps run on the target platforms, a platform the runner's CPU
 * cannot run needs QEMU registered with binfmt_misc: checked for every platform before the first
 * run.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ImagePlan, Inputs } from '../contract.js';
import { errorMessage } from '../lib/errors.js';
import type { GroupLog } from '../lib/log-group.js';
import { runnerPlatform } from '../lib/oci.js';
import { RegistryError } from '../registry/errors.js';
import { HttpError } from '../registry/http.js';
import { parsePlatform, platformKey } from '../release/image-index.js';
import { builtPlatform, readLayout } from '../release/layout.js';
import {
  releaseBuilt,
  ReleaseError,
  type Released,
  type ReleaseRegistries,
} from '../release/release.js';
import type { NamedImage } from '../release/unchanged.js';
import { BINFMT_DIR, emulationProblem, readRegistrations } from '../runtime/binfmt.js';
import { BuildFailure, readDigest, runExecutor, type ExecutorRun } from './executor-run.js';
import {
  digestFileIn,
  kanikoArgs,
  layoutPathIn,
  type BaseMirror,
  type BuildMetadata,
  type ContainerPaths,
} from './kaniko-args.js';

/** Whether the action releases what kaniko builds (instead of kaniko pushing it). */
export function releasedByAction(inputs: Pick<Inputs, 'platforms' | 'skipUnchanged'>): boolean {
  return inputs.platforms.length > 0 || inputs.skipUnchanged;
}

/** The build loop's state that every directory's builds share. */
export interface SharedBuildState {
  /** The run's registry clients. */
  registry: ReleaseRegistries;
  meta: BuildMetadata;
  paths: ContainerPaths;
  proxies: Record<string, string>;
  /** The job's base-image cache, named to every kaniko run; none: kaniko pulls bases itself. */
  mirror?: BaseMirror;
  /**
   * Where the output directories are made: the runtime's work dir (which the post step deletes,
   * also after a cancelled run), else RUNNER_TEMP.
   */
  temp: string;
}

/** What the flow needs: the shared state, the inputs, and the directory's run. */
interface FlowContext extends SharedBuildState {
  inputs: Inputs;
  /** Every run of the directory, but its output directory. */
  run: Omit<ExecutorRun, 'outputDir'>;
}

/** Refuses the directory when a platform can be neither run natively nor emulated. */
async function checkEmulation(platforms: readonly string[]): Promise<void> {
  const runner = runnerPlatform();
  const registrations = await readRegistrations(BINFMT_DIR);
  const problems = platforms
    .map((name) => emulationProblem(parsePlatform(name), name, runner, registrations))
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new BuildFailure(
      problems.join('\n'),
      'Nothing was built. Register the emulation on the runner (see above), move the `RUN` steps into a stage on `$BUILDPLATFORM` (cross-compiling), or drop the platform from `platforms`.',
    );
  }
}

/** One kaniko run for one platform; the image it wrote into its layout. */
async function buildPlatform(
  plan: ImagePlan & { tags: string[] },
  name: string | undefined,
  flow: FlowContext,
  outputDir: string,
  log: GroupLog,
): Promise<NamedImage> {
  const { inputs } = flow;
  const layout = { platform: name, reproducible: inputs.skipUnchanged };
  const args = kanikoArgs(plan, inputs, flow.meta, flow.paths, flow.proxies, layout, flow.mirror);
  await runExecutor(args, { ...flow.run, outputDir }, log);
  let image;
  try {
    image = await readLayout(layoutPathIn(outputDir));
  } catch (error) {
    throw new BuildFailure(
      `kaniko's OCI layout cannot be read: ${errorMessage(error)}`,
      'Check that the executor image is a kaniko executor and that `extra-args` does not change `--oci-layout-path`.',
      { cause: error },
    );
  }
  const written = await readDigest(digestFileIn(outputDir));
  if (written !== '' && written !== image.manifest.digest) {
    throw new BuildFailure(
      `kaniko's digest file says ${written}, its OCI layout ${image.manifest.digest}`,
      'Check that `extra-args` does not change `--digest-file` or `--oci-layout-path`.',
    );
  }
  const built = builtPlatform(image);
  if (name !== undefined && platformKey(parsePlatform(name)) !== platformKey(image.platform)) {
    throw new BuildFailure(
      `kaniko built ${built} where ${name} was asked`,
      'Check that `extra-args` does not set `--custom-platform`.',
    );
  }
  log.note(`Built ${name ?? built}: ${image.manifest.digest}`);
  return { name: name ?? built, image };
}

/**
 * The directory's Dockerfile, where kaniko finds it (`inputs.dockerfile` is relative to the
 * build context); `''` when it cannot be read (kaniko will say why).
 */
function readDockerfile(flow: FlowContext): Promise<string> {
  const file = path.join(flow.run.context, flow.inputs.dockerfile);
  return fs.readFile(file, 'utf8').catch(() => '');
}

/** The registry error, or another failure of the release, as the directory's failure. */
function asFailure(error: unknown): unknown {
  if (error instanceof ReleaseError)
    return new BuildFailure(error.message, error.hint, { cause: error });
  if (error instanceof RegistryError || error instanceof HttpError) {
    return new BuildFailure(
      `the release failed: ${errorMessage(error)}`,
      'Check the registry, the credentials (they need write access) and the network, then re-run the job.',
      { cause: error },
    );
  }
  return error;
}

/** Builds every platform of one directory into layouts, then releases them. */
export async function buildAndRelease(
  plan: ImagePlan & { tags: string[] },
  flow: FlowContext,
  log: GroupLog,
): Promise<Released> {
  const { inputs } = flow;
  const multiPlatform = inputs.platforms.length > 0;
  const names: (string | undefined)[] = multiPlatform ? inputs.platforms : [undefined];
  // The parser is loaded only by the release flow, on first use.
  const { baseRepositoriesOn, parseDockerfile, runsOnTargetPlatform } =
    await import('../graph/parse.js');
  const model = parseDockerfile(await readDockerfile(flow));
  // An unreadable Dockerfile counts as running programs: kaniko will say what is wrong.
  if (multiPlatform && (model.stages.length === 0 || runsOnTargetPlatform(model)))
    await checkEmulation(inputs.platforms);

  const outputDirs: string[] = [];
  try {
    const images: NamedImage[] = [];
    for (const [i, name] of names.entries()) {
      if (name) log.note(`Platform ${name} (${i + 1}/${names.length}):`);
      const outputDir = await fs.mkdtemp(path.join(flow.temp, 'output-'));
      outputDirs.push(outputDir);
      images.push(await buildPlatform(plan, name, flow, outputDir, log));
    }
    return await releaseBuilt(
      flow.registry,
      {
        ref: plan.ref,
        version: plan.version,
        previous: plan.previous,
        tags: plan.tags,
        images,
        multiPlatform,
        skipUnchanged: inputs.skipUnchanged,
        push: inputs.push,
        // The repositories of the image's registry that its base images come from.
        mountFrom: baseRepositoriesOn(model, plan.ref.registry, {
          buildArgs: inputs.buildArgs,
          target: inputs.target,
        }).filter((r) => r !== plan.ref.repository),
      },
      (text) => log.note(text),
    );
  } catch (error) {
    throw asFailure(error);
  } finally {
    for (const dir of outputDirs) await fs.rm(dir, { recursive: true, force: true });
  }
}
