/**
 * One folded log group per directory. Live: the group opens at once and every line is printed
 * as it comes (one build at a time). Buffered: the lines are kept and the whole group is printed
 * in one go when the build ends, so the groups of parallel builds never interleave.
 *
 * The executor's lines are printed between `::stop-commands::` markers: a `RUN echo '::…'` in
 * a Dockerfile cannot issue workflow commands (set outputs, add masks, end the group early).
 */
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';

/** Where the groups are written; `@actions/core` on the runner, a plain array in tests. */
export interface LogSink {
  startGroup(title: string): void;
  endGroup(): void;
  info(line: string): void;
}

export const coreSink: LogSink = {
  startGroup: (title) => core.startGroup(title),
  endGroup: () => core.endGroup(),
  info: (line) => core.info(line),
};

export interface GroupLog {
  /** A line of the action's own (not subject to the command stop). */
  note(text: string): void;
  /** A line printed by the executor: never read as a workflow command. */
  output(text: string): void;
  /** Ends the group; a buffered group is printed now. Idempotent. */
  close(): void;
}

type Entry = { kind: 'note' | 'output'; text: string };

/** Splits text that may hold several lines (or a trailing CR) into lines. */
function linesOf(text: string): string[] {
  return text.replace(/\r?\n$/, '').split(/\r?\n|\r/);
}

export function openGroup(title: string, live: boolean, sink: LogSink = coreSink): GroupLog {
  const token = `kaniko-release-${randomUUID()}`;
  const entries: Entry[] = [];
  let stopped = false;
  let closed = false;

  const write = (entry: Entry): void => {
    if (entry.kind === 'output' && !stopped) {
      sink.info(`::stop-commands::${token}`);
      stopped = true;
    } else if (entry.kind === 'note' && stopped) {
      sink.info(`::${token}::`);
      stopped = false;
    }
    sink.info(entry.text);
  };
  const add = (kind: Entry['kind'], text: string): void => {
    if (closed) return;
    for (const line of linesOf(text)) {
      const entry = { kind, text: line };
      if (live) write(entry);
      else entries.push(entry);
    }
  };

  if (live) sink.startGroup(title);
  return {
    note: (text) => add('note', text),
    output: (text) => add('output', text),
    close: () => {
      if (closed) return;
      closed = true;
      if (!live) {
        sink.startGroup(title);
        for (const entry of entries) write(entry);
      }
      if (stopped) {
        sink.info(`::${token}::`);
        stopped = false;
      }
      sink.endGroup();
    },
  };
}
