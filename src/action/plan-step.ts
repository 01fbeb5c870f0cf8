/**
 * The plan: detect → build graph → versions. All of the plan action, and the first half of the
 * main action. Kept apart from the build stages so the plan action loads none of their code.
 */
import * as core from '@actions/core';
import type { BuildTarget, Inputs } from '../contract.js';
import { detectDirectories } from '../detect/detect.js';
import type { GitHubEvent } from '../detect/event.js';
import { planGraph } from '../graph/targets.js';
import { errorMessage } from '../lib/errors.js';
import { Git } from '../lib/git.js';
import { platformName, runnerPlatform } from '../lib/oci.js';
import { plain } from '../lib/untrusted.js';
import { writePlanOutputs } from '../report/outputs.js';
import { writePlanSummary } from '../report/plan-summary.js';
import { imageName, imageRef } from '../versions/image-ref.js';
import { planVersions, type VersionPlan } from '../versions/plan.js';
import { readEvent, workspace } from './event.js';
import { getInputs } from './inputs.js';
import { waveCount } from '../graph/waves.js';

export interface Planned extends VersionPlan {
  /** How the directories were found (the compared range), for the log and summary. */
  description: string;
  /** Directories that were not built and why (deleted, lost their Dockerfile). */
  notices: string[];
  /** The workflow event, read once for the run. */
  event: GitHubEvent;
}

/** The image reference of a directory, `undefined` when its name can be no image name. */
function referenceOf(inputs: Inputs): (directory: string) => string | undefined {
  return (directory) => {
    try {
      return imageRef(inputs.registry, inputs.namespace, imageName(directory)).reference;
    } catch {
      return undefined; // the versions stage fails that directory, naming it
    }
  };
}

function describeTarget(t: BuildTarget, waves: number): string {
  const wave = waves > 1 ? `, wave ${t.wave + 1} of ${waves}` : '';
  return `  ${plain(t.directory)} (${plain(t.reason)}${wave})`;
}

/** Detects what changed and builds the graph: the images to build, why, and in which wave. */
async function detectTargets(
  inputs: Inputs,
): Promise<{ targets: BuildTarget[]; description: string; notices: string[]; event: GitHubEvent }> {
  const root = workspace();
  const git = new Git(root);
  const event = readEvent();
  const found = await detectDirectories(inputs, root, event, git);
  const graph = await planGraph(found, inputs, {
    git,
    workspace: root,
    referenceOf: referenceOf(inputs),
    platform: platformName(runnerPlatform()),
  });
  core.debug(`Dockerfiles parsed: ${graph.parsed.length} (${graph.parsed.map(plain).join(', ')})`);
  for (const w of graph.warnings) core.warning(w);
  for (const n of graph.notices) core.notice(n);
  const { targets } = graph;
  const waves = waveCount(targets);
  core.info(
    `${found.description}: ${targets.length} image director${targets.length === 1 ? 'y' : 'ies'} to build${waves > 1 ? ` in ${waves} waves` : ''}.`,
  );
  for (const t of targets) core.info(describeTarget(t, waves));
  return { targets, description: found.description, notices: found.notices, event };
}

/** detect + graph + versions: the plan action, and the first half of the main action. */
export async function plan(inputs: Inputs): Promise<Planned> {
  const detection = await core.group('Detect changed image directories', () =>
    detectTargets(inputs),
  );
  const { targets, description, notices, event } = detection;
  if (targets.length === 0) return { plans: [], failures: [], description, notices, event };
  const versions = await core.group('Versions', async () => {
    const planned = await planVersions(targets, inputs);
    for (const p of planned.plans) {
      core.info(
        `${plain(p.directory)}: ${p.ref.reference} ${p.previous ? `${p.previous} → ` : ''}${p.version}`,
      );
    }
    return planned;
  });
  return { ...versions, description, notices, event };
}

/**
 * The plan action: detect + versions, outputs `changed`, `directories`, `matrix`, `waves`, and
 * a job summary of what would be built (or why there is no plan).
 */
export async function runPlan(): Promise<void> {
  const inputs = getInputs('plan');
  let planned: Planned;
  try {
    planned = await plan(inputs);
  } catch (error) {
    if (inputs.summary) await writePlanSummary([], { failure: `No plan: ${errorMessage(error)}` });
    throw error;
  }
  if (inputs.summary) {
    await writePlanSummary(planned.plans, {
      heading: planned.description,
      failures: planned.failures,
      notes: planned.notices,
      versionGiven: inputs.version !== '',
    });
  }
  // A failed plan sets no outputs: an empty matrix would claim that nothing changed.
  if (planned.failures.length > 0) {
    throw new Error(planned.failures.map((f) => `${plain(f.directory)}: ${f.error}`).join('\n'));
  }
  writePlanOutputs(planned.plans);
}
