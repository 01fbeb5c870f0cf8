/** The one bounded-concurrency helper: every stage that runs work side by side uses it. */

export interface PoolOptions {
  /**
   * After a failure, start nothing new; once the running work has ended, throw the first
   * failure. Default true. With false every item runs and `work` must not throw.
   */
  stopOnError?: boolean;
  /** Consulted before each new item starts; returning true starts no more items. */
  shouldStop?: () => boolean;
}

/**
 * Runs `work` over `items` with at most `limit` at once. Results are in the order of `items`;
 * an item that never started (stopped early) leaves `undefined` in its place.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  options: PoolOptions = {},
): Promise<(R | undefined)[]> {
  const stopOnError = options.stopOnError ?? true;
  const results = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length && !(options.shouldStop?.() ?? false)) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        if (stopOnError) failed = true;
        throw error;
      }
    }
  };
  const count = Math.max(1, Math.min(limit, items.length));
  const settled = await Promise.allSettled(Array.from({ length: count }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}

/** `mapBounded` for work that must all finish: every result is there. */
export async function mapAll<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return (await mapBounded(items, limit, work)) as R[];
}
