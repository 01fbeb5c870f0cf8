/**
 * Stage 5, build: every planned directory, wave by wave, `parallel` at a time within a wave,
 * each with its own result whatever happened to the others. A wave starts once every image of
 * the earlier waves was pushed, so an image reads the base just released; an image whose base
 * failed is not built (`fail-fast` stops starting new ones after any failure).
 */
import * as core from '@actions/core';
import type { ImagePlan, ImageResult } from '../contract.js';
import { runnerTemp } from '../credentials/docker-config.js';
import { coreSink } from '../lib/log-group.js';
import { mapBounded } from '../lib/pool.js';
import { Registries } from '../registry/clients.js';
import type { ReleaseRegistries } from '../release/release.js';
import { CONTAINER_CONTEXT, CONTAINER_OUTPUT } from '../runtime/types.js';
import { headRevision, runOne, type BuildContext, type Shared } from './image.js';
import { proxyEnv, sourceUrl, type ContainerPaths } from './kaniko-args.js';
import { baseFailed, resultOf, SKIPPED_BY_FAIL_FAST } from './result.js';
import { plain } from '../lib/untrusted.js';
import { branchOf } from '../versions/tag-templates.js';
import { plural } from '../lib/names.js';
import { waveCount } from '../graph/waves.js';

export type { BuildContext } from './image.js';

/** Where the runtime binds the context and the output directory. */
const DEFAULT_CONTAINER_PATHS: ContainerPaths = {
  context: CONTAINER_CONTEXT,
  outputDir: CONTAINER_OUTPUT,
};

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
  registry: ReleaseRegistries,
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
    paths: ctx.containerPaths ?? DEFAULT_CONTAINER_PATHS,
    proxies: proxyEnv(env),
    mirror: ctx.baseMirror,
    temp: ctx.runtime.workDir || runnerTemp(env),
    live: inputs.parallel <= 1 || plans.length === 1,
    sink: ctx.log ?? coreSink,
  };

  const workers = Math.max(1, Math.min(inputs.parallel, plans.length));
  const waves = waveCount(plans);
  shared.sink.info(
    `Building ${plural(plans.length, 'directory', 'directories')}${waves > 1 ? ` in ${waves} waves` : ''}${workers > 1 ? `, ${workers} at once` : ''}${inputs.push ? '' : ' without pushing'}.`,
  );
  const dependents = plans.filter((p) => (p.bases ?? []).length > 0);
  if (!inputs.push && dependents.length > 0) {
    core.notice(
      `Nothing is pushed ('push' is false), so ${dependents.map((p) => plain(p.directory)).join(', ')} ${dependents.length === 1 ? 'was' : 'were'} built on the base image the registry holds, not on the base built in this run.`,
    );
  }

  const results = new Map<string, ImageResult>();
  /** For an image skipped because a base failed: the image that failed. */
  const failedUnder = new Map<string, string>();
  let stop = false;
  let started = 0;
  for (let wave = 0; wave < waves; wave++) {
    const ready: ImagePlan[] = [];
    for (const plan of plans.filter((p) => p.wave === wave)) {
      const failed = failedBase(plan, results, failedUnder);
      if (stop) {
        results.set(plan.directory, resultOf(plan, inputs.latest, 'skipped', SKIPPED_BY_FAIL_FAST));
      } else if (failed !== undefined) {
        failedUnder.set(plan.directory, failed);
        results.set(plan.directory, resultOf(plan, inputs.latest, 'skipped', baseFailed(failed)));
      } else {
        ready.push(plan);
      }
    }
    if (ready.length === 0) continue;
    if (waves > 1)
      shared.sink.info(
        `Wave ${wave + 1} of ${waves}: ${ready.map((p) => plain(p.directory)).join(', ')}.`,
      );
    const first = started;
    started += ready.length;
    const done = await mapBounded(
      ready,
      workers,
      async (plan, index) => {
        const result = await runOne(plan, shared, first + index, plans.length);
        if (result.status === 'failed' && inputs.failFast) stop = true;
        return result;
      },
      { stopOnError: false, shouldStop: () => stop },
    );
    ready.forEach((plan, i) => {
      results.set(
        plan.directory,
        done[i] ?? resultOf(plan, inputs.latest, 'skipped', SKIPPED_BY_FAIL_FAST),
      );
    });
  }
  return plans.map((plan) => results.get(plan.directory)!);
}

/**
 * The base (direct, or further down) whose build failed, when one did: `plan` cannot be built
 * on what this run released. Bases are in earlier waves, so their results are known.
 */
function failedBase(
  plan: ImagePlan,
  results: ReadonlyMap<string, ImageResult>,
  failedUnder: ReadonlyMap<string, string>,
): string | undefined {
  for (const base of plan.bases ?? []) {
    if (results.get(base)?.status === 'failed') return base;
    const below = failedUnder.get(base);
    if (below !== undefined) return below;
  }
  return undefined;
}
