/**
 * Stage 1, detect: which image directories the event changed.
 *
 * The range comes from the event (`event.ts`, resolved by `range.ts`). A push whose commits are
 * both in the clone takes two git processes, whatever the size of the repository: one diff of
 * the range and one lookup of the directories that enclose a changed path (`mapping.ts`). The
 * tree is walked only where a rule needs every image directory (`build-all`, a first push) or
 * to tell a typo in `patterns` from "nothing changed" (`image-directories.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { Input, InputError, type Inputs } from '../contract.js';
import { directoryProblems } from './named.js';
import { rangeRequest, type GitHubEvent } from './event.js';
import { pushRange, RangeResolver, short, type Range } from './range.js';
import { Git, type RangeChanges } from '../lib/git.js';
import { sortUnique } from '../lib/names.js';
import { anyImageDirectory, imageDirectoriesAt, type ImageDirectory } from './image-directories.js';
import { headFacts, mapChangedPaths, type GoneDirectory } from './mapping.js';
import { compilePatterns, type ImageRule } from './patterns.js';
import { quote as show } from '../lib/untrusted.js';
import { plural } from '../lib/names.js';

export interface Detection {
  /**
   * Image directories to build, sorted by bytes: those holding a changed path, every one
   * (`build-all`, a first push), or the named ones. With `context` and a range of changes,
   * `[]`: the build graph maps `changedPaths` to images by what their Dockerfiles read.
   */
  directories: string[];
  /** With `context`: the paths the range changed (either side of a rename). */
  changedPaths?: string[];
  /**
   * When every image directory at head was read (`build-all`, a first push): each with its
   * Dockerfile's text, so the build graph need not list the tree again.
   */
  images?: ImageDirectory[];
  /** The commit the image directories were read at; `''` for named directories (workspace). */
  head: string;
  /** How they were found, for the log and summary (e.g. the compared range). */
  description: string;
  /** Said with `core.notice` (e.g. directories that were deleted or lost their Dockerfile). */
  notices: string[];
  /** Said with `core.warning` (e.g. a force push whose `before` could not be had). */
  warnings: string[];
}

export type DetectInputs = Pick<
  Inputs,
  'patterns' | 'dockerfile' | 'directories' | 'buildAll' | 'base' | 'head'
> &
  Partial<Pick<Inputs, 'context'>>;

/** The warning for patterns that match no image directory at all: likely a typo. */
export function nothingMatchesWarning(
  rule: Pick<ImageRule, 'patterns' | 'dockerfile'>,
  head: string,
): string {
  const patterns = rule.patterns.map((p) => show(p)).join(', ');
  return `No directory at ${short(head)} matches 'patterns' (${patterns}) and holds ${show(rule.dockerfile)}, so there is nothing to build. Check 'patterns' and 'dockerfile' for a typo.`;
}

/** The `directories` input: no detection, but every directory must be there with its Dockerfile. */
function namedDirectories(inputs: DetectInputs, workspace: string): Detection {
  const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace);
  if (problems.length > 0) throw new InputError(Input.Directories, `${problems.join('; ')}.`);
  const directories = sortUnique(inputs.directories);
  return {
    directories,
    head: '',
    description: `'directories' input: ${plural(directories.length, 'directory', 'directories')}, no change detection`,
    notices: [],
    warnings: [],
  };
}

/** Fails unless the workspace is the top of a git repository, with a message that says so. */
async function checkRepository(git: Git, workspace: string): Promise<void> {
  if (fs.existsSync(path.join(workspace, '.git'))) return;
  let topLevel: string;
  try {
    topLevel = (await git.repository()).topLevel;
  } catch (error) {
    throw new Error(
      `The workspace ${workspace} is not a git repository; check the repository out (actions/checkout) before this step.`,
      { cause: error },
    );
  }
  if (fs.realpathSync(topLevel) !== fs.realpathSync(workspace)) {
    throw new Error(
      `The workspace ${workspace} is inside the repository ${topLevel}, not its top; image directories are relative to the repository root, so run the action there.`,
    );
  }
}

function goneNotice(gone: readonly GoneDirectory[], dockerfile: string): string {
  const named = gone.map((g) =>
    g.reason === 'deleted'
      ? `${show(g.directory)} (deleted)`
      : `${show(g.directory)} (its ${dockerfile} was removed)`,
  );
  return `Not built, no longer ${gone.length === 1 ? 'an image directory' : 'image directories'} at head: ${named.join(', ')}.`;
}

/** Detects the image directories to build; also says notices and warnings on the runner. */
export async function detectDirectories(
  inputs: DetectInputs,
  workspace: string,
  event: GitHubEvent,
  git: Git = new Git(workspace),
): Promise<Detection> {
  const detection = await detect(inputs, workspace, event, git);
  for (const w of detection.warnings) core.warning(w);
  for (const n of detection.notices) core.notice(n);
  return detection;
}

/** `detectDirectories` without saying anything on the runner. */
export async function detect(
  inputs: DetectInputs,
  workspace: string,
  event: GitHubEvent,
  git: Git = new Git(workspace),
): Promise<Detection> {
  if (inputs.directories.length > 0) return namedDirectories(inputs, workspace);
  const rule: ImageRule = {
    patterns: inputs.patterns,
    matches: compilePatterns(inputs.patterns),
    dockerfile: inputs.dockerfile,
  };
  await checkRepository(git, workspace);

  const resolver = new RangeResolver(git);
  let range: Range | undefined;
  let changes: RangeChanges | undefined;
  if (inputs.buildAll) {
    const head = await resolver.head(inputs.head);
    range = {
      kind: 'all',
      head,
      description: `build-all: every matching directory at ${short(head)}`,
    };
  } else {
    const request = rangeRequest(event, inputs.base, inputs.head);
    if (request.kind === 'push') {
      // The common case, a push whose commits are both here: the diff is all it takes.
      // Anything missing goes the long way, which fetches or falls back.
      changes = await git.changes(request.before, request.after).catch(() => undefined);
      if (changes) range = pushRange(request);
    }
    range ??= await resolver.resolve(request);
  }
  const warnings = resolver.warnings;
  if (range.kind === 'none') {
    return { directories: [], head: '', description: range.description, notices: [], warnings };
  }

  const head = range.head;
  if (range.kind === 'all') {
    const images = await imageDirectoriesAt(git, head, rule, { text: true });
    const directories = images.map((d) => d.directory);
    if (directories.length === 0) warnings.push(nothingMatchesWarning(rule, head));
    return { directories, images, head, description: range.description, notices: [], warnings };
  }

  changes ??= await git.changes(range.base, head);
  const changed = changes.paths;
  const context = (inputs.context ?? '') !== '';
  const facts = await headFacts(git, changes, rule, context ? 'gone' : undefined);
  const mapping = mapChangedPaths(changed, facts, inputs.dockerfile, rule.matches);
  const directories = context ? [] : mapping.directories;
  if (!context && directories.length === 0 && !(await anyImageDirectory(git, head, rule))) {
    warnings.push(nothingMatchesWarning(rule, head));
  }
  return {
    directories,
    ...(context ? { changedPaths: changed } : {}),
    head,
    description: `${range.description}, ${plural(changed.length, 'changed path', 'changed paths')}`,
    notices: mapping.gone.length > 0 ? [goneNotice(mapping.gone, inputs.dockerfile)] : [],
    warnings,
  };
}
