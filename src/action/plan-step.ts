/**
 * The plan: detect → versions. All of the plan action, and the first half of the main action.
 * Kept apart from the build stages so the plan action loads none of their code.
 */
import * as core from '@actions/core';
import { detectDirectories } from '../detect/detect.js';
import { readEvent } from './event.js';
import { getInputs, type Inputs } from './inputs.js';
import { writePlanOutputs } from '../report/outputs.js';
import { planVersions, type VersionPlan } from '../versions/plan.js';

export function workspace(): string {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}

export interface Planned extends VersionPlan {
  /** How the directories were found (the compared range), for the log and summary. */
  description: string;
  /** Directories that were not built and why (deleted, lost their Dockerfile). */
  notices: string[];
}

/** detect + versions: what the plan action does, and the first half of the main action. */
export async function plan(inputs: Inputs): Promise<Planned> {
  const detection = await core.group('Detect changed image directories', async () => {
    const found = await detectDirectories(inputs, workspace(), readEvent());
    core.info(
      `${found.description}: ${found.directories.length} image director${found.directories.length === 1 ? 'y' : 'ies'} to build.`,
    );
    for (const d of found.directories) core.info(`  ${d}`);
    return found;
  });
  if (detection.directories.length === 0)
    return {
      plans: [],
      failures: [],
      description: detection.description,
      notices: detection.notices,
    };
  const versions = await core.group('Versions', async () => {
    const planned = await planVersions(detection.directories, inputs);
    for (const p of planned.plans) {
      core.info(
        `${p.directory}: ${p.ref.reference} ${p.previous ? `${p.previous} → ` : ''}${p.version}`,
      );
    }
    return planned;
  });
  return { ...versions, description: detection.description, notices: detection.notices };
}

/** The plan action: detect + versions, outputs `changed`, `directories`, `matrix`. */
export async function runPlan(): Promise<void> {
  const inputs = getInputs('plan');
  // A failed plan sets no outputs: an empty matrix would claim that nothing changed.
  const planned = await plan(inputs);
  writePlanOutputs(planned.plans);
  if (planned.failures.length > 0) {
    throw new Error(planned.failures.map((f) => `${f.directory}: ${f.error}`).join('\n'));
  }
}
