/**
 * Stage 5, build, for one directory: (with `push`) check that `<image>:<version>` does not
 * exist yet, run the executor once for all its tags in the runtime, read the digest it wrote, and
 * (with `push`) check that the registry now serves that digest for every tag pushed. With
 * `platforms` or `skip-unchanged`, `release-flow.ts` builds and releases instead. Failures
 * become the directory's result, annotated with what to do.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as core from '@actions/core';
import type { ImagePlan, ImageRef, ImageResult, Inputs } from '../contract.js';
import type { CredentialsFile } from '../credentials/docker-config.js';
import type { InstalledExecutor } from '../executor/install.js';
import { errorMessage } from '../lib/errors.js';
import { Git } from '../lib/git.js';
import { openGroup, type LogSink } from '../lib/log-group.js';
import { plain } from '../lib/untrusted.js';
import type { ReleaseRegistries } from '../release/release.js';
import type { BuildStatuses } from '../report/commit-status.js';
import type { Runtime } from '../runtime/types.js';
import { imageWebUrl } from '../versions/image-ref.js';
import { imageTags } from '../versions/tag-templates.js';
import { BuildFailure, readDigest, runExecutor, type ExecutorRun } from './executor-run.js';
import { digestFileIn, kanikoArgs, type BaseMirror, type ContainerPaths } from './kaniko-args.js';
import { buildAndRelease, releasedByAction, type SharedBuildState } from './release-flow.js';
import { resultOf } from './result.js';

export interface BuildContext {
  inputs: Inputs;
  workspace: string;
  executor: InstalledExecutor;
  runtime: Runtime;
  credentials: CredentialsFile;
  /** The registry clients (lookups and the release); default: made from the inputs. */
  registry?: ReleaseRegistries;
  /** The commit built; default: `git rev-parse HEAD` in the workspace, else `GITHUB_SHA`. */
  revision?: string;
  /** The `created` label's time; default: now, once for the whole run. */
  created?: Date;
  /** Paths inside the container; default: the runtime's. */
  containerPaths?: ContainerPaths;
  /** The runner's environment (proxies, `GITHUB_*`, `RUNNER_TEMP`); default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where the groups are printed; default: the runner's log. */
  log?: LogSink;
  /** Told when each directory's build starts and ends (commit statuses); default: nobody. */
  statuses?: BuildStatuses;
  /** The job's base-image cache (`base-cache.ts`); none: kaniko pulls bases itself. */
  baseMirror?: BaseMirror;
}

/** The page of a pushed image, where one is known. */
function webUrlOf(plan: ImagePlan, ctx: BuildContext): string {
  const env = ctx.env ?? process.env;
  return imageWebUrl(plan.ref, {
    repository: env.GITHUB_REPOSITORY,
    serverUrl: env.GITHUB_SERVER_URL,
  });
}

/**
 * kaniko's context (relative to the workspace) and the Dockerfile inside it: the image's
 * directory, or with `context` that directory, which must hold the image's directory.
 */
function buildContext(
  directory: string,
  inputs: Pick<Inputs, 'context' | 'dockerfile'>,
): { context: string; dockerfile: string } {
  if (inputs.context === '') return { context: directory, dockerfile: inputs.dockerfile };
  const inside = path.posix.relative(inputs.context, directory);
  if (inside === '') return { context: directory, dockerfile: inputs.dockerfile };
  if (inside === '..' || inside.startsWith('../') || path.posix.isAbsolute(inside)) {
    throw new BuildFailure(
      `the image directory ${plain(directory)} is outside the build context ${plain(inputs.context)}, so kaniko cannot read its ${plain(inputs.dockerfile)}`,
      `Set 'context' to a directory that holds every image directory (e.g. '.'), or leave ${plain(directory)} out of 'patterns'.`,
    );
  }
  return { context: inputs.context, dockerfile: `${inside}/${inputs.dockerfile}` };
}

/** What every kaniko run of a directory gets, but its output directory. */
function executorRun(
  plan: ImagePlan,
  shared: Shared,
  context: string,
): Omit<ExecutorRun, 'outputDir'> {
  const { ctx } = shared;
  return {
    runtime: ctx.runtime,
    executor: ctx.executor,
    context: path.resolve(ctx.workspace, context),
    dockerConfig: ctx.credentials.configPath,
    env: shared.proxies,
    directory: plan.directory,
  };
}

/** The commit checked out in the workspace, else `GITHUB_SHA`, else `''`. */
export async function headRevision(workspace: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await new Git(workspace, env).headCommit()) || (env.GITHUB_SHA ?? '');
}

export interface Shared extends SharedBuildState {
  ctx: BuildContext;
  live: boolean;
  sink: LogSink;
}

async function digestOf(
  registry: ReleaseRegistries,
  ref: ImageRef,
  tag: string,
  when: string,
): Promise<string | null> {
  try {
    return await registry.digestOf(ref, tag);
  } catch (error) {
    throw new BuildFailure(
      `cannot look up ${ref.reference}:${tag} ${when}: ${errorMessage(error)}`,
      'Check the registry, the credentials and the network, then re-run the job.',
      { cause: error },
    );
  }
}

/** Builds one directory; throws a `BuildFailure` (or any error) when it fails. */
async function buildOne(
  plan: ImagePlan,
  shared: Shared,
  log: ReturnType<typeof openGroup>,
  onTags: (tags: string[]) => void,
): Promise<Pick<ImageResult, 'status' | 'digest'> & Partial<ImageResult>> {
  const { ctx, registry } = shared;
  const image = plan.ref.reference;
  const { context, dockerfile } = buildContext(plan.directory, ctx.inputs);
  // From here on the Dockerfile is named as kaniko finds it: inside the context.
  const inputs = { ...ctx.inputs, dockerfile };
  let tags: string[];
  try {
    const { revision: sha, branch } = shared.meta;
    tags = imageTags(plan.version, inputs.latest, inputs.tags, { sha, branch });
  } catch (error) {
    throw new BuildFailure(
      errorMessage(error),
      'Change the `tags` input, or run the release where the value it needs is known.',
    );
  }
  onTags(tags);

  if (inputs.push) {
    const existing = await digestOf(registry, plan.ref, plan.version, 'before the build');
    if (existing !== null) {
      throw new BuildFailure(
        `${image}:${plan.version} already exists; another run may have pushed it`,
        'A released version is never overwritten. Re-run the workflow so the next version is picked, or give a new `version`.',
      );
    }
  }

  if (releasedByAction(inputs)) {
    // kaniko builds each platform into a layout; the action compares, pushes and tags.
    const run = executorRun(plan, shared, context);
    const released = await buildAndRelease({ ...plan, tags }, { ...shared, inputs, run }, log);
    // An unchanged image links to what is released already.
    return released.status === 'built' ? released : { ...released, webUrl: webUrlOf(plan, ctx) };
  }

  const outputDir = await fs.mkdtemp(path.join(shared.temp, 'output-'));
  try {
    const args = kanikoArgs(
      { ...plan, tags },
      inputs,
      shared.meta,
      shared.paths,
      shared.proxies,
      undefined,
      shared.mirror,
    );
    await runExecutor(args, { ...executorRun(plan, shared, context), outputDir }, log);

    const digest = await readDigest(digestFileIn(outputDir));
    if (!inputs.push) return { status: 'built', digest };
    if (digest === '') {
      throw new BuildFailure(
        'kaniko wrote no digest file, so the pushed image cannot be verified',
        'Check that the executor image is a kaniko executor and that `extra-args` does not change `--digest-file`.',
      );
    }
    for (const tag of tags) {
      const served = await digestOf(registry, plan.ref, tag, 'after the push');
      if (served !== digest) {
        throw new BuildFailure(
          `the registry serves ${served ?? 'nothing'} for ${image}:${tag}, but kaniko pushed ${digest}`,
          'Another run may have pushed the same tag at the same moment; check the tags of the image in the registry before re-running.',
        );
      }
    }
    log.note(`Pushed ${image} as ${tags.join(', ')} (${digest}).`);
    return { status: 'pushed', digest, webUrl: webUrlOf(plan, ctx) };
  } finally {
    await fs.rm(outputDir, { recursive: true, force: true });
  }
}

export async function runOne(
  plan: ImagePlan,
  shared: Shared,
  index: number,
  total: number,
): Promise<ImageResult> {
  const { inputs } = shared.ctx;
  const result = resultOf(plan, inputs.latest);
  const directory = plain(plan.directory);
  const title = `Build ${directory} → ${plan.ref.reference}:${plan.version} (${index + 1}/${total})`;
  if (!shared.live) shared.sink.info(`Started ${directory} (${index + 1}/${total}).`);
  const log = openGroup(title, shared.live, shared.sink);
  shared.ctx.statuses?.started(plan);
  const started = Date.now();
  let hint = '';
  try {
    Object.assign(result, await buildOne(plan, shared, log, (tags) => (result.tags = tags)));
  } catch (error) {
    result.status = 'failed';
    result.error = errorMessage(error);
    hint =
      error instanceof BuildFailure
        ? error.hint
        : 'This is unexpected; re-run the job with debug logging.';
    log.note(`Failed: ${result.error}`);
  } finally {
    result.durationMs = Date.now() - started;
    log.note(`${directory}: ${result.status} in ${result.durationMs} ms.`);
    log.close();
  }
  if (result.status === 'failed') {
    core.error(`${directory}: ${result.error}\n${hint}`, {
      title: `kaniko-release: ${directory} failed`,
    });
  }
  shared.ctx.statuses?.finished(result);
  return result;
}
