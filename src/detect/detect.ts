/**
 * Stage 1, detect: which image directories the event changed.
 *
 * The range comes from the event (`detect-event.ts`, resolved by `detect-range.ts`); then
 * two git processes answer everything, whatever the number of directories: one diff of the
 * range and one listing of head's tree. Paths map to image directories in `path-mapping.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { Input, InputError, type Inputs } from '../contract.js';
import { directoryProblems } from './named.js';
import { rangeRequest, type GitHubEvent, type RangeRequest } from './event.js';
import { pushRange, RangeResolver, short, type Range } from './range.js';
import { Git } from '../lib/git.js';
import { sortUnique } from '../lib/names.js';
import { findImageDirectories, mapChangedPaths, TreeListing } from './mapping.js';
import { compilePatterns, type DirectoryMatcher } from './patterns.js';
import { quote as show } from '../lib/untrusted.js';

export interface Detection {
  /** Image directories to build: sorted by bytes, de-duplicated, relative to the repository root. */
  directories: string[];
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
>;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The `directories` input: no detection, but every directory must be there with its Dockerfile. */
function namedDirectories(inputs: DetectInputs, workspace: string): Detection {
  const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace);
  if (problems.length > 0) throw new InputError(Input.Directories, `${problems.join('; ')}.`);
  const directories = sortUnique(inputs.directories);
  return {
    directories,
    description: `'directories' input: ${plural(directories.length, 'directory', 'directories')}, no change detection`,
    notices: [],
    warnings: [],
  };
}

/** The head commit id an event names, when it names one. */
function knownHead(request: RangeRequest): string | undefined {
  switch (request.kind) {
    case 'push':
    case 'new-ref':
      return request.after;
    case 'pull-request':
      return request.head;
    default:
      return undefined;
  }
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

function goneNotice(gone: ReturnType<typeof mapChangedPaths>['gone'], dockerfile: string): string {
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
): Promise<Detection> {
  const detection = await detect(inputs, workspace, event);
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
  const matches = compilePatterns(inputs.patterns);
  await checkRepository(git, workspace);

  const resolver = new RangeResolver(git);
  let range: Range;
  let early: { head: string; tree: Promise<Buffer | undefined> } | undefined;
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
      // The common case, a push whose commits are both here: the diff and the tree listing
      // are all it takes. Anything missing goes the long way, which fetches or falls back.
      const both = await Promise.all([
        git.listTree(request.after),
        git.changedPaths(request.before, request.after),
      ]).catch(() => undefined);
      if (both) return mapRange(inputs, matches, pushRange(request), both[0], both[1], []);
    }
    // The event names the head commit: list its tree while the range is being resolved.
    const head = knownHead(request);
    if (head !== undefined) early = { head, tree: git.listTree(head).catch(() => undefined) };
    range = await resolver.resolve(request);
  }
  if (range.kind === 'none') {
    return {
      directories: [],
      description: range.description,
      notices: [],
      warnings: resolver.warnings,
    };
  }

  const head = range.head;
  const [tree, changed] = await Promise.all([
    (early?.head === head ? early.tree : Promise.resolve(undefined)).then(
      (listed) => listed ?? git.listTree(head),
    ),
    range.kind === 'diff' ? git.changedPaths(range.base, head) : undefined,
  ]);
  return mapRange(inputs, matches, range, tree, changed, resolver.warnings);
}

/** The image directories of a range, from head's tree and the changed paths (all: none). */
function mapRange(
  inputs: DetectInputs,
  matches: DirectoryMatcher,
  range: Exclude<Range, { kind: 'none' }>,
  treeBytes: Buffer,
  changed: string[] | undefined,
  warnings: string[],
): Detection {
  const tree = new TreeListing(treeBytes);
  const imageDirectories = findImageDirectories(tree, inputs.dockerfile, matches);
  if (changed === undefined) {
    return {
      directories: sortUnique(imageDirectories),
      description: range.description,
      notices: [],
      warnings,
    };
  }
  const mapping = mapChangedPaths(changed, tree, imageDirectories, inputs.dockerfile, matches);
  return {
    directories: mapping.directories,
    description: `${range.description}, ${plural(changed.length, 'changed path', 'changed paths')}`,
    notices: mapping.gone.length > 0 ? [goneNotice(mapping.gone, inputs.dockerfile)] : [],
    warnings,
  };
}
