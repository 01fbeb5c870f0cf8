/** The step's outputs: what it tells the workflow, exactly in the contract's shapes. */
import * as core from '@actions/core';
import { Output, type ImageOutput, type ImagePlan, type ImageResult } from '../contract.js';
import { waveCount } from '../graph/waves.js';

interface MatrixEntry {
  directory: string;
  version: string;
  previous: string;
  wave: number;
}

/** Byte-wise order, the same on every machine (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `matrix` output: no registry, namespace or user name, so no secret can blank it. */
export function matrixOf(plans: readonly ImagePlan[]): { include: MatrixEntry[] } {
  return {
    include: plans.map((p) => ({
      directory: p.directory,
      version: p.version,
      previous: p.previous,
      wave: p.wave,
    })),
  };
}

/** The `waves` output: one matrix per wave, in order; `[]` when nothing is to be built. */
function wavesOf(plans: readonly ImagePlan[]): { include: MatrixEntry[] }[] {
  const count = waveCount(plans);
  return Array.from({ length: count }, (_, wave) => matrixOf(plans.filter((p) => p.wave === wave)));
}

/** Sets `changed`, `directories`, `matrix` and `waves` for the planned directories. */
export function writePlanOutputs(plans: readonly ImagePlan[]): void {
  const sorted = [...plans].sort((a, b) => compareStrings(a.directory, b.directory));
  core.setOutput(Output.Changed, sorted.length > 0 ? 'true' : 'false');
  core.setOutput(Output.Directories, JSON.stringify(sorted.map((p) => p.directory)));
  core.setOutput(Output.Matrix, JSON.stringify(matrixOf(sorted)));
  core.setOutput(Output.Waves, JSON.stringify(wavesOf(sorted)));
}

/** The objects of the `images` output, one per directory. */
export function imagesOf(results: readonly ImageResult[]): ImageOutput[] {
  return results.map((r) => ({
    directory: r.directory,
    image: r.image,
    version: r.version,
    previous: r.previous,
    tags: r.tags,
    digest: r.digest,
    platforms: r.platforms,
    reason: r.reason,
    status: r.status,
    error: r.error,
  }));
}

export function writeImagesOutput(results: readonly ImageResult[]): void {
  core.setOutput(Output.Images, JSON.stringify(imagesOf(results)));
}
