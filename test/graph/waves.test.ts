/** Waves and cycles of images built from each other: pure, table-driven. */
import { describe, expect, it } from 'vitest';
import { CycleError, findCycle, wavesOf } from '../../src/graph/waves.js';

const graph = (entries: Record<string, string[]>): Map<string, string[]> =>
  new Map(Object.entries(entries));

describe('wavesOf', () => {
  it('puts images whose bases are not built in wave 0, the others after all their bases', () => {
    const waves = wavesOf(
      graph({
        base: [],
        'python-base': ['base'],
        api: ['python-base', 'released-elsewhere'],
        worker: ['python-base'],
        cli: ['base', 'api'],
        lone: [],
      }),
    );
    expect(Object.fromEntries(waves)).toEqual({
      base: 0,
      'python-base': 1,
      api: 2,
      worker: 2,
      cli: 3,
      lone: 0,
    });
  });

  it('names the directories of a cycle, and fails', () => {
    const cyclic = graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] });
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => wavesOf(cyclic)).toThrow(CycleError);
    expect(() => wavesOf(cyclic)).toThrow(
      /built from each other in a circle: a → b → c → a\. None of them can be built first/,
    );
    expect(findCycle(graph({ a: ['b'], b: [] }))).toBeUndefined();
  });
});
