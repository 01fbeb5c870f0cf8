/**
 * The main action's orchestration: plan (detect → build graph → versions) → runtime → auth →
 * install → base-image cache → build, wave by wave → outputs, summary and commit statuses. Data flows one way; outputs and the summary are written for whatever was
 * done, also when a stage fails, before the step is failed. The post step cleans up.
 */
import * as core from '@actions/core';
import { baseImagesOfPlans, startBaseCache, type BaseCache } from '../build/base-cache.js';
import { headRevision } from '../build/image.js';
import { buildImages } from '../build/images.js';
import { failedResult, resultOf, SKIPPED_BY_FAIL_FAST } from '../build/result.js';
import { State, type ImagePlan, type ImageResult, type Inputs } from '../contract.js';
import {
  Logins,
  runnerTemp,
  writeCredentials,
  type CredentialsFile,
} from '../credentials/docker-config.js';
import { installExecutor } from '../executor/install.js';
import { errorMessage } from '../lib/errors.js';
import { plain } from '../lib/untrusted.js';
import { Registries } from '../registry/clients.js';
import { commitStatusesFor, statusCommit } from '../report/commit-status.js';
import { compareStrings, writeImagesOutput, writePlanOutputs } from '../report/outputs.js';
import { writeSummary } from '../report/summary.js';
import { selectRuntime } from '../runtime/select.js';
import { workspace } from './event.js';
import { getInputs } from './inputs.js';
import { plan, type Planned } from './plan-step.js';

function failureMessage(results: readonly ImageResult[]): string {
  const failed = results.filter((r) => r.status === 'failed');
  return `${failed.length} of ${results.length} image director${results.length === 1 ? 'y' : 'ies'} failed: ${failed
    .map((r) => `${plain(r.directory)} (${r.error})`)
    .join('; ')}`;
}

/**
 * The base-image cache for the build stage; without it (none to serve, or it cannot start)
 * kaniko pulls every base itself, as it would anyway.
 */
async function baseCacheFor(
  plans: readonly ImagePlan[],
  inputs: Inputs,
  registries: Registries,
  logins: Logins,
  credentials: CredentialsFile,
): Promise<BaseCache | undefined> {
  try {
    const cache = await startBaseCache({
      inputs,
      bases: await baseImagesOfPlans(plans, inputs, workspace()),
      registries,
      logins,
      credentials,
      temp: runnerTemp(),
    });
    if (cache) core.saveState(State.BaseCacheDir, cache.dir);
    return cache;
  } catch (error) {
    core.warning(`${errorMessage(error)}; every build pulls its base images itself.`);
    return undefined;
  }
}

/** The main action: the whole pipeline. */
export async function runMain(): Promise<void> {
  const inputs = getInputs('main');
  let planned: Planned;
  try {
    planned = await plan(inputs);
  } catch (error) {
    // Nothing can be built without a plan; the outputs still say so, the summary says why.
    writePlanOutputs([]);
    writeImagesOutput([]);
    if (inputs.summary)
      await writeSummary([], { failure: `No image was built: ${errorMessage(error)}` });
    throw error;
  }
  writePlanOutputs(planned.plans);

  // The commit built: the labels' revision, `{{sha}}`, and where the commit statuses go.
  const anything = planned.plans.length + planned.failures.length > 0;
  const revision = anything ? await headRevision(workspace(), process.env) : '';
  const statuses = anything
    ? await commitStatusesFor(inputs, statusCommit(planned.event, revision))
    : undefined;
  const results: ImageResult[] = planned.failures.map(failedResult);
  let stageError: unknown;
  try {
    if (inputs.failFast && planned.failures.length > 0) {
      for (const p of planned.plans)
        results.push(resultOf(p, inputs.latest, 'skipped', SKIPPED_BY_FAIL_FAST));
    } else if (planned.plans.length > 0) {
      // Each container's id is in the state before it starts, so the post step finds it
      // even when this process is killed.
      const runtime = await selectRuntime(inputs, {
        record: (ids) => core.saveState(State.Containers, JSON.stringify(ids)),
      });
      core.saveState(State.WorkDir, runtime.workDir);
      core.info(
        `Builds run in ${runtime.name} containers (${runtime.version ?? 'version unknown'}).`,
      );
      const logins = new Logins(inputs);
      const credentials = await writeCredentials(logins);
      core.saveState(State.CredentialsDir, credentials.dir);
      const registries = new Registries(inputs, undefined, logins);
      try {
        const executor = await core.group('Install the kaniko executor', () =>
          installExecutor(inputs, { registries }),
        );
        const baseCache = await baseCacheFor(
          planned.plans,
          inputs,
          registries,
          logins,
          credentials,
        );
        try {
          results.push(
            ...(await buildImages(planned.plans, {
              inputs,
              workspace: workspace(),
              executor,
              runtime,
              credentials,
              registry: registries,
              revision,
              statuses,
              baseMirror: baseCache?.mirror,
            })),
          );
        } finally {
          await baseCache?.stop();
        }
      } finally {
        await registries.close();
      }
    }
  } catch (error) {
    stageError = error;
    const done = new Set(results.map((r) => r.directory));
    const message = errorMessage(error);
    for (const p of planned.plans) {
      if (!done.has(p.directory)) results.push(resultOf(p, inputs.latest, 'failed', message));
    }
  } finally {
    results.sort((a, b) => compareStrings(a.directory, b.directory));
    writeImagesOutput(results);
    if (inputs.summary) {
      await writeSummary(results, {
        heading: planned.description,
        notes: planned.notices,
        versionGiven: inputs.version !== '',
      });
    }
    // Directories that never reached their build get their last status here; waits for all.
    await statuses?.settle(results);
  }
  if (stageError !== undefined) throw stageError;
  if (results.some((r) => r.status === 'failed')) throw new Error(failureMessage(results));
}
