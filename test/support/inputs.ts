/**
 * Inputs for tests, made the way the action makes them: `inputsFrom` runs the real input
 * parsing over a plain object of input values; `detectInputs` and `planOf` build the smaller
 * records the detect and build stages take.
 */
import * as os from 'node:os';
import { parseInputs } from '../../src/action/inputs.js';
import type { BuildReason, ImagePlan, InputName, Inputs, Mode } from '../../src/contract.js';
import type { DetectInputs } from '../../src/detect/detect.js';
import { imageRef } from '../../src/versions/image-ref.js';

export type InputValues = Partial<Record<InputName, string>>;

/** The typed inputs for `values` (every other input empty), validated as the action does. */
export function inputsFrom(
  values: InputValues,
  options: { mode?: Mode; workspace?: string } = {},
): Inputs {
  return parseInputs((name) => values[name] ?? '', {
    mode: options.mode ?? 'main',
    workspace: options.workspace ?? os.tmpdir(),
  });
}

/** What the detect stage reads, with the contract's defaults. */
export function detectInputs(overrides: Partial<DetectInputs> = {}): DetectInputs {
  return {
    patterns: ['*'],
    dockerfile: 'Dockerfile',
    directories: [],
    buildAll: false,
    base: '',
    head: '',
    ...overrides,
  };
}

/** A planned directory: image named after it on `registry`/`namespace`, wave 0. */
export function planOf(
  directory: string,
  overrides: Partial<ImagePlan> & { registry?: string; namespace?: string } = {},
): ImagePlan {
  const { registry = 'docker.io', namespace = 'myorg', ...rest } = overrides;
  const name = directory.toLowerCase().replace(/\//g, '-');
  return {
    directory,
    name,
    ref: imageRef(registry, namespace, name),
    version: 'v1.0.0',
    previous: '',
    reason: 'changed' satisfies BuildReason,
    wave: 0,
    ...rest,
  };
}
