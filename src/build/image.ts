/**
 * Stage 5, build, for one directory: (with `push`) check that `<image>:<version>` does not
 * exist yet, run the executor once for all its tags in the runtime, read the digest it wrote, and
 * (with `push`) check that the registry now serves that digest for every tag pushed. Failures
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
import { SHA256_DIGEST } from '../lib/names.js';
import { openGroup, type LogSink } from '../lib/log-group.js';
import { plain } from '../lib/untrusted.js';
import type { BuildStatuses } from '../report/commit-status.js';
import type { Runtime } from '../runtime/types.js';
import { imageWebUrl } from '../versions/image-ref.js';
import { imageTags } from '../versions/tag-templates.js';
import { argsForLog, kanikoArgs, type BuildMetadata, type SandboxPaths } from './kaniko-args.js';
import { resultOf } from './result.js';

/** Answers "which digest does the registry serve for `<image>:<tag>`?" (null: no such tag). */
export interface TagDigests {
  digestOf(ref: ImageRef, tag: string): Promise<string | null>;
}

export interface BuildContext {
  inputs: Inputs;
  workspace: string;
  executor: InstalledExecutor;
  runtime: Runtime;
  credentials: CredentialsFile;
  /** The registry lookups; default: the registry clients made from the inputs. */
  registry?: TagDigests;
  /** The commit built; default: `git rev-parse HEAD` in the workspace, else `GITHUB_SHA`. */
  revision?: string;
  /** The `created` label's time; default: now, once for the whole run. */
  created?: Date;
  /** Paths inside the sandbox; default: the runtime's. */
  sandboxPaths?: SandboxPaths;
  /** The runner's environment (proxies, `GITHUB_*`, `RUNNER_TEMP`); default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where the groups are printed; default: the runner's log. */
  log?: LogSink;
  /** Told when each directory's build starts and ends (commit statuses); default: nobody. */
  statuses?: BuildStatuses;
}

/** How many of the executor's last lines are kept to explain a failure. */
const TAIL_LINES = 40;
/** How many of them go into the result's `error`. */
const ERROR_LINES = 5;

/** A directory's failure: `message` goes into the result, `hint` only into the annotation. */
class BuildFailure extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BuildFailure';
  }
}

/** The lines that explain a failed run: kaniko's error lines, else the last lines printed. */
export function errorLines(tail: readonly string[], max = ERROR_LINES): string[] {
  const lines = tail.map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /^(ERRO|FATA|PANI)\b|\berror\b|\bfatal\b|\bfailed\b/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-max);
}

/** The commit checked out in the workspace, else `GITHUB_SHA`, else `''`. */
export async function headRevision(workspace: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await new Git(workspace, env).headCommit()) || (env.GITHUB_SHA ?? '');
}

export interface Shared {
  ctx: BuildContext;
  registry: TagDigests;
  meta: BuildMetadata;
  paths: SandboxPaths;
  proxies: Record<string, string>;
  /**
   * Where the output directories are made: the runtime's work dir (which the post step deletes,
   * also after a cancelled run), else RUNNER_TEMP.
   */
  temp: string;
  live: boolean;
  sink: LogSink;
}

async function digestOf(
  registry: TagDigests,
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

async function readDigest(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`Cannot read kaniko's digest file ${file}`, { cause: error });
  }
  const digest = text.trim();
  if (!SHA256_DIGEST.test(digest)) {
    throw new BuildFailure(
      `kaniko's digest file holds ${JSON.stringify(digest.slice(0, 80))}, not a sha256 digest`,
      'Check that the executor image is a kaniko executor.',
    );
  }
  return digest;
}

/**
 * kaniko's context (relative to the workspace) and the Dockerfile inside it: the image's
 * directory, or with `context` that directory, which must hold the image's directory.
 */
export function buildContext(
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

/** Builds one directory; throws a `BuildFailure` (or any error) when it fails. */
async function buildOne(
  plan: ImagePlan,
  shared: Shared,
  log: ReturnType<typeof openGroup>,
  onTags: (tags: string[]) => void,
): Promise<Pick<ImageResult, 'status' | 'digest'> & Partial<ImageResult>> {
  const { ctx, registry } = shared;
  const { inputs } = ctx;
  const image = plan.ref.reference;
  const { context, dockerfile } = buildContext(plan.directory, inputs);
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

  const outputDir = await fs.mkdtemp(path.join(shared.temp, 'output-'));
  try {
    const args = kanikoArgs(
      { ...plan, tags },
      { ...inputs, dockerfile },
      shared.meta,
      shared.paths,
      shared.proxies,
    );
    log.note(`Executor arguments: ${JSON.stringify(argsForLog(args))}`);
    const tail: string[] = [];
    const started = Date.now();
    const outcome = await ctx.runtime.run({
      executor: ctx.executor,
      args,
      env: shared.proxies,
      context: path.resolve(ctx.workspace, context),
      dockerConfig: ctx.credentials.configPath,
      outputDir,
      onLine: (line) => {
        log.output(line);
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
      },
    });
    const took = Date.now() - started;
    if (outcome.exitCode !== 0) {
      const killed = outcome.killed;
      const how =
        outcome.exitCode === null
          ? `kaniko was stopped by ${outcome.signal ?? 'a signal'}${killed ? ` (${killed})` : ''}`
          : `kaniko exited with code ${outcome.exitCode}`;
      log.note(`${how} after ${took} ms.`);
      const lines = errorLines(tail);
      throw new BuildFailure(
        lines.length > 0 ? `${how}: ${lines.join('\n')}` : how,
        `Read kaniko's output in the log group of ${plain(plan.directory)}.`,
      );
    }
    log.note(`kaniko exited with code 0 after ${took} ms.`);

    const digest = await readDigest(path.join(outputDir, 'digest'));
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
    const env = ctx.env ?? process.env;
    const webUrl = imageWebUrl(plan.ref, {
      repository: env.GITHUB_REPOSITORY,
      serverUrl: env.GITHUB_SERVER_URL,
    });
    return { status: 'pushed', digest, webUrl };
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
