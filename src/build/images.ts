/**
 * Stage 5, build: every planned directory, `parallel` at a time, each with its own result
 * whatever happened to the others (`fail-fast` stops starting new ones after a failure).
 */
import type { ImagePlan, ImageResult } from '../contract.js';
import { runnerTemp } from '../credentials/docker-config.js';
import { coreSink } from '../lib/log-group.js';
import { mapBounded } from '../lib/pool.js';
import { Registries } from '../registry/clients.js';
import { SANDBOX_CONTEXT, SANDBOX_OUTPUT } from '../runtime/types.js';
import { headRevision, runOne, type BuildContext, type Shared, type TagDigests } from './image.js';
import { proxyEnv, sourceUrl, type SandboxPaths } from './kaniko-args.js';
import { resultOf, SKIPPED_BY_FAIL_FAST } from './result.js';
import { branchOf } from '../versions/tag-templates.js';

export type { BuildContext, TagDigests } from './image.js';

/** Where the runtime binds the context and the output directory. */
export const DEFAULT_SANDBOX_PATHS: SandboxPaths = {
  context: SANDBOX_CONTEXT,
  outputDir: SANDBOX_OUTPUT,
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Builds every planned directory; never throws for one directory's failure. */
export async function buildImages(
  plans: readonly ImagePlan[],
  ctx: BuildContext,
): Promise<ImageResult[]> {
  if (plans.length === 0) return [];
  const env = ctx.env ?? process.env;
  if (ctx.registry) return buildAll(plans, ctx, env, ctx.registry);
  const registries = new Registries(ctx.inputs);
  try {
    return await buildAll(plans, ctx, env, registries);
  } finally {
    await registries.close();
  }
}

async function buildAll(
  plans: readonly ImagePlan[],
  ctx: BuildContext,
  env: NodeJS.ProcessEnv,
  registry: TagDigests,
): Promise<ImageResult[]> {
  const { inputs } = ctx;
  const shared: Shared = {
    ctx,
    registry,
    meta: {
      source: sourceUrl(env),
      revision: ctx.revision ?? (await headRevision(ctx.workspace, env)),
      created: (ctx.created ?? new Date()).toISOString(),
      branch: branchOf(env),
    },
    paths: ctx.sandboxPaths ?? DEFAULT_SANDBOX_PATHS,
    proxies: proxyEnv(env),
    mirror: ctx.baseMirror,
    temp: ctx.runtime.workDir || runnerTemp(env),
    live: inputs.parallel <= 1 || plans.length === 1,
    sink: ctx.log ?? coreSink,
  };

  const workers = Math.max(1, Math.min(inputs.parallel, plans.length));
  shared.sink.info(
    `Building ${plural(plans.length, 'directory', 'directories')}${workers > 1 ? `, ${workers} at once` : ''}${inputs.push ? '' : ' without pushing'}.`,
  );
  let stop = false;
  const results = await mapBounded(
    plans,
    workers,
    async (plan, index) => {
      const result = await runOne(plan, shared, index, plans.length);
      if (result.status === 'failed' && inputs.failFast) stop = true;
      return result;
    },
    { stopOnError: false, shouldStop: () => stop },
  );

  return plans.map((plan, i) => {
    const done = results[i];
    if (done) return done;
    return {
      ...resultOf(plan, inputs.latest),
      status: 'skipped',
      error: SKIPPED_BY_FAIL_FAST,
    };
  });
}
