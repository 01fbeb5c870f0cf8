import type { LogSink } from '../../src/lib/log-group.js';

/** A log sink that keeps every line, with groups written as the runner's commands. */
export function recordingSink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    startGroup: (title) => lines.push(`::group::${title}`),
    endGroup: () => lines.push('::endgroup::'),
    info: (line) => lines.push(line),
  };
}
