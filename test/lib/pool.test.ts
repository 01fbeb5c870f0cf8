import { describe, expect, it } from 'vitest';
import { mapAll, mapBounded } from '../../src/lib/pool.js';

describe('mapBounded', () => {
  it('starts no new work after a failure and rejects with it', async () => {
    const started: number[] = [];
    const error = await mapBounded([0, 1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      started.push(i);
      await new Promise((resolve) => setImmediate(resolve));
      if (i === 1) throw new Error('boom');
      return i;
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom');
    expect(started.length).toBeLessThan(8);
  });

  it('runs every item when failures do not stop it, and stops starting when asked', async () => {
    const started: number[] = [];
    let stop = false;
    const results = await mapBounded(
      [0, 1, 2, 3, 4, 5],
      2,
      async (i) => {
        started.push(i);
        await new Promise((resolve) => setImmediate(resolve));
        if (i === 2) stop = true;
        return i * 10;
      },
      { stopOnError: false, shouldStop: () => stop },
    );
    expect(started).toEqual([0, 1, 2, 3]);
    expect(results).toEqual([0, 10, 20, 30, undefined, undefined]);
  });

  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapAll([5, 4, 3, 2, 1, 0], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([5, 4, 3, 2, 1, 0]);
  });
});
