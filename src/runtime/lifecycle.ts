/**
 * The containers of this step: each id is recorded (the main step saves the list in its state)
 * before the container is started, so the post step can find it even when this process is
 * killed. While containers run, SIGINT and SIGTERM (a cancelled job) kill and delete them
 * before the process ends.
 */
import type { RuntimeCli } from './cli.js';

/** Receives every id started so far, before the newest one starts. */
export type RecordContainers = (ids: readonly string[]) => void;

const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Containers running now, over every ledger of the process, with the CLI that can delete them. */
const running = new Map<string, RuntimeCli>();

function onEndingSignal(signal: NodeJS.Signals): void {
  for (const [id, cli] of running) cli.deleteSync(id);
  running.clear();
  for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  // The signal again, as if this handler had never been there: the process ends as it would
  // have (or as the remaining listeners — signal-exit's, for one — decide).
  process.kill(process.pid, signal);
}

export class ContainerLedger {
  private readonly started: string[] = [];

  constructor(
    private readonly cli: RuntimeCli,
    private readonly record?: RecordContainers,
  ) {}

  /** Records `id` (and hands the list to `record`) before the container starts. */
  begin(id: string): void {
    this.started.push(id);
    this.record?.([...this.started]);
    if (running.size === 0) for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
    running.set(id, this.cli);
  }

  /** The container is gone (or was never made). */
  end(id: string): void {
    if (!running.delete(id)) return;
    if (running.size === 0)
      for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  }
}
