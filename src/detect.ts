/** Stage 1, detect: which image directories the event changed. */
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';

/** The workflow event, as the runner describes it. */
export interface GitHubEvent {
  /** `GITHUB_EVENT_NAME`, e.g. `push`, `pull_request`. */
  name: string;
  /** The parsed `GITHUB_EVENT_PATH` payload (`{}` when there is none). */
  payload: Record<string, unknown>;
}

export interface Detection {
  /** Image directories to build: sorted, de-duplicated, relative to the repository root. */
  directories: string[];
  /** How they were found, for the log and summary (e.g. the compared range). */
  description: string;
}

export async function detectDirectories(
  _inputs: Pick<Inputs, 'patterns' | 'dockerfile' | 'directories' | 'buildAll' | 'base' | 'head'>,
  _workspace: string,
  _event: GitHubEvent,
): Promise<Detection> {
  throw new NotImplementedError('detect');
}
