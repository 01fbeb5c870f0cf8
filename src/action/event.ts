/** The workflow event and the workspace, from the runner's environment. */
import * as fs from 'node:fs';
import type { GitHubEvent } from '../detect/event.js';

export function readEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return { name, payload: {} };
  try {
    const payload: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      name,
      payload: payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {},
    };
  } catch (error) {
    throw new Error(`Cannot read the event payload ${file}`, { cause: error });
  }
}

/** The repository's checkout: GITHUB_WORKSPACE, else the working directory. */
export function workspace(): string {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}
