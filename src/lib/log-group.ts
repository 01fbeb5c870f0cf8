/**
 * One folded log group per directory. Live: the group opens at once and every line is printed
 * as it comes (one build at a time). Buffered: the lines are kept and the whole group is printed
 * in one go when the build ends, so the groups of parallel builds never interleave.
 *
 * The executor's lines pass through `safeLine`: a `RUN echo '::…'` in a Dockerfile cannot
 * issue workflow commands (set outputs, add masks, end the group early).
 */
import * as core from '@actions/core';
import { safeLines } from './untrusted.js';

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
  /** Text of the action's own (untrusted values in it are quoted by the caller). */
  note(text: string): void;
  /** A line printed by the executor: never read as a workflow command. */
  output(text: string): void;
  /** Ends the group; a buffered group is printed now. Idempotent. */
  close(): void;
}

export function openGroup(title: string, live: boolean, sink: LogSink = coreSink): GroupLog {
  const entries: string[] = [];
  let closed = false;
  const add = (text: string): void => {
    if (closed) return;
    // The action's own notes hold untrusted values too (names, registry errors, kaniko's
    // error lines), so every line is made safe, whoever wrote it.
    for (const line of safeLines(text)) {
      if (live) sink.info(line);
      else entries.push(line);
    }
  };

  if (live) sink.startGroup(title);
  return {
    note: add,
    output: add,
    close: () => {
      if (closed) return;
      closed = true;
      if (!live) {
        sink.startGroup(title);
        for (const line of entries) sink.info(line);
      }
      sink.endGroup();
    },
  };
}
