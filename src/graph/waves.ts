/**
 * Build waves of images built from each other: pure functions over "directory → the
 * directories of its bases". Wave 0 holds the images whose bases are not being built; wave N
 * those whose bases are all in earlier waves. A cycle has no order and is an error naming it.
 */
import { compareBytes } from '../lib/names.js';

/** Images that are built from each other, in a circle. */
export class CycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(
      `The images to build are built from each other in a circle: ${cycle.join(' → ')}. None of them can be built first; pin the tag (or digest) of one of these bases, or build it from another image.`,
    );
    this.name = 'CycleError';
  }
}

/** A cycle of `bases` as `a → b → … → a` (each built from the next), or `undefined`. */
export function findCycle(bases: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const base of [...(bases.get(node) ?? [])].sort(compareBytes)) {
      if (state.get(base) === 'open') return [...stack.slice(stack.indexOf(base)), base];
      if (!state.has(base) && bases.has(base)) {
        const found = visit(base);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...bases.keys()].sort(compareBytes)) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The wave of each image. `bases` holds every image to build; a base that is not one of them
 * (already released, or not an image of this repository) puts no constraint on the wave.
 * Throws a `CycleError` naming the images of a cycle.
 */
export function wavesOf(bases: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const cycle = findCycle(bases);
  if (cycle) throw new CycleError(cycle);
  const waves = new Map<string, number>();
  const waveOf = (node: string): number => {
    const known = waves.get(node);
    if (known !== undefined) return known;
    const own = (bases.get(node) ?? [])
      .filter((b) => bases.has(b))
      .reduce((wave, base) => Math.max(wave, waveOf(base) + 1), 0);
    waves.set(node, own);
    return own;
  };
  for (const node of bases.keys()) waveOf(node);
  return waves;
}

/** How many waves the images fill: one more than the highest wave, 0 for no image. */
export function waveCount(images: readonly { wave: number }[]): number {
  return images.reduce((n, image) => Math.max(n, image.wave + 1), 0);
}
