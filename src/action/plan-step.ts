/**
 * The plan: detect → versions. All of the plan action, and the first half of the main action.
 * Kept apart from the build stages so the plan action loads none of their code.
 */
import * as core from '@actions/core';
import type { BuildReason, BuildTarget, Inputs } from '../contract.js';
import { detectDirectories, type Detection } from '../detect/detect.js';
import { errorMessage } from '../lib/errors.js';
import { plain } from '../lib/untrusted.js';
import { writePlanOutputs } from '../report/outputs.js';
import { writePlanSummary } from '../report/plan-summary.js';
import { planVersions, type VersionPlan } from '../versions/plan.js';
import { readEvent } from './event.js';
import { getInputs } from './inputs.js';

export function workspace(): string {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}

export interface Planned extends VersionPlan {
  /** How the directories were found (the compared range), for the log and summary. */
  description: string;
  /** Directories that were not built and why (deleted, lost their Dockerfile). */
  notices: string[];
}

/** Why each detected directory is built. */
function reasonOf(inputs: Inputs): BuildReason {
  if (inputs.directories.length > 0) return 'requested';
  return inputs.buildAll ? 'build-all' : 'changed';
}

/** What is to be built, in which wave. */
function targetsOf(detection: Detection, inputs: Inputs): BuildTarget[] {
  const reason = reasonOf(inputs);
  return detection.directories.map((directory) => ({ directory, reason, wave: 0 }));
}

/** detect + versions: what the plan action does, and the first half of the main action. */
export async function plan(inputs: Inputs): Promise<Planned> {
  const detection = await core.group('Detect changed image directories', async () => {
    const found = await detectDirectories(inputs, workspace(), readEvent());
    core.info(
      `${found.description}: ${found.directories.length} image director${found.directories.length === 1 ? 'y' : 'ies'} to build.`,
    );
    for (const d of found.directories) core.info(`  ${plain(d)}`);
    return found;
  });
  const targets = targetsOf(detection, inputs);
  if (targets.length === 0)
    return {
      plans: [],
      failures: [],
      description: detection.description,
      notices: detection.notices,
    };
  const versions = await core.group('Versions', async () => {
    const planned = await planVersions(targets, inputs);
    for (const p of planned.plans) {
      core.info(
        `${plain(p.directory)}: ${p.ref.reference} ${p.previous ? `${p.previous} → ` : ''}${p.version}`,
      );
    }
    return planned;
  });
  return { ...versions, description: detection.description, notices: detection.notices };
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
