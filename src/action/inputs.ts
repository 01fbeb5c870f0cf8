/**
 * The action's inputs, read once and validated into one typed object.
 *
 * `parseInputs` reads the values through a reader and has no side effects, so tests drive it
 * with plain objects and the bundled action with `INPUT_*` variables. Every rule runs, and every bad value is reported together in
 * one `InputErrors` — each naming the input, the value and what is accepted — before anything
 * is read from git or a registry.
 */
import * as fs from 'node:fs';
import * as core from '@actions/core';
import {
  Defaults,
  Input,
  InputError,
  InputErrors,
  type Bump,
  type InputName,
  type Inputs,
  type Mode,
} from '../contract.js';
import { directoryProblems, isContextDirectory } from '../detect/named.js';
import { compilePatterns } from '../detect/patterns.js';
import { basicAuth } from '../lib/docker-hub.js';
import { sortUnique } from '../lib/names.js';
import { checkTagTemplate } from '../versions/tag-templates.js';
import { versionPrefix } from '../versions/rule.js';
import { workspace } from './event.js';
import {
  parseCacheRepo,
  parseCpus,
  parseExtraArgs,
  parseMemory,
  parsePlatforms,
  parseRuntime,
  parseTarget,
} from './build-input-rules.js';
import {
  BUILD_ARG_KEY,
  LABEL_KEY,
  normaliseRegistry,
  oneOf,
  parseBoolean,
  parseCaCertificates,
  parseDefaultVersion,
  parseExecutorImage,
  parseHubApiUrl,
  parseKeyValues,
  parseNamespace,
  parseParallel,
  parseRelativePath,
  parseVersion,
  splitLines,
  splitList,
} from './input-rules.js';
import { quote } from '../lib/untrusted.js';

export { splitList, splitLines } from './input-rules.js';

export type InputReader = (name: InputName) => string;

export interface ParseContext {
  mode: Mode;
  /** Where relative paths (`ca-certificates`, `context`, `directories`) are resolved. */
  workspace: string;
  /** Also check that `context` and `directories` exist in the workspace (the runner does). */
  checkPaths?: boolean;
}

/** Runs every rule; returns what parsed (fallbacks where a rule failed) and every failure. */
export function collectInputs(
  read: InputReader,
  ctx: ParseContext,
): { inputs: Inputs; errors: InputError[] } {
  const errors: InputError[] = [];
  const get = (name: InputName): string => read(name) ?? '';
  function rule<T>(fallback: T, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(error);
      return fallback;
    }
  }
  const bool = (name: InputName, fallback: string): boolean =>
    rule(fallback === 'true', () => parseBoolean(name, get(name), fallback));

  const username = get(Input.Username).trim();
  const password = get(Input.Password);
  if (password !== '' && username === '') {
    errors.push(
      new InputError(
        Input.Password,
        `is set but 'username' is empty; give both, or neither to use an existing docker login.`,
      ),
    );
  }
  if (username !== '' && password === '') {
    errors.push(
      new InputError(
        Input.Username,
        `${quote(username)} is set but 'password' is empty; give both, or neither to use an existing docker login.`,
      ),
    );
  }
  const registry = rule(Defaults.registry as string, () =>
    normaliseRegistry(Input.Registry, get(Input.Registry).trim() || Defaults.registry),
  );
  const version = rule('', () => parseVersion(get(Input.Version)));
  const namespace = rule('', () =>
    parseNamespace(get(Input.Namespace).trim() || username.toLowerCase(), registry),
  );
  if (namespace === '' && (ctx.mode === 'main' || version === '')) {
    if (!errors.some((e) => e.input === Input.Namespace)) {
      errors.push(
        new InputError(
          Input.Namespace,
          `is empty and there is no 'username' to default to; set 'namespace' to the user or organisation that owns the images.`,
        ),
      );
    }
  }
  const patterns = rule([Defaults.patterns as string], () => {
    const list = splitList(
      get(Input.Patterns).trim() === '' ? Defaults.patterns : get(Input.Patterns),
    );
    for (const p of list) {
      if (p.startsWith('/') || p.split('/').includes('..')) {
        throw new InputError(
          Input.Patterns,
          `${quote(p)} is not relative to the repository root; write patterns such as 'airflow-*' or 'images/**'.`,
        );
      }
    }
    compilePatterns(list);
    return list;
  });
  const dockerfile = rule(Defaults.dockerfile as string, () =>
    parseRelativePath(
      Input.Dockerfile,
      get(Input.Dockerfile).trim() || Defaults.dockerfile,
      'path',
    ),
  );
  const directories = rule([] as string[], () =>
    sortUnique(
      splitList(get(Input.Directories)).map((d) =>
        parseRelativePath(Input.Directories, d, 'directory'),
      ),
    ),
  );
  const context = rule('', () => {
    const raw = get(Input.Context).trim();
    return raw === '' ? '' : parseRelativePath(Input.Context, raw, 'directory', true);
  });
  const defaultVersion = rule(Defaults.defaultVersion as string, () =>
    parseDefaultVersion(get(Input.DefaultVersion)),
  );
  const tags = splitLines(get(Input.Tags));
  const prefix = versionPrefix(version || defaultVersion);
  tags.forEach((template, i) => {
    const problem = checkTagTemplate(template, prefix);
    if (problem) {
      errors.push(new InputError(Input.Tags, `line ${i + 1} ${quote(template)}: ${problem}.`));
    }
  });
  const commitStatus = bool(Input.CommitStatus, Defaults.commitStatus);
  const githubToken = get(Input.GithubToken).trim();
  if (commitStatus && githubToken === '') {
    errors.push(
      new InputError(
        Input.GithubToken,
        `is empty, but 'commit-status' is true; leave 'github-token' at its default (\${{ github.token }}) or give a token that may write commit statuses.`,
      ),
    );
  }

  const inputs: Inputs = {
    patterns,
    dockerfile,
    directories,
    context,
    buildAll: bool(Input.BuildAll, Defaults.buildAll),
    base: get(Input.Base).trim(),
    head: get(Input.Head).trim(),
    registry,
    namespace,
    username,
    password,
    version,
    defaultVersion,
    bump: rule<Bump>('patch', () =>
      oneOf<Bump>(Input.Bump, get(Input.Bump), Defaults.bump, ['patch', 'minor', 'major']),
    ),
    latest: bool(Input.Latest, Defaults.latest),
    tags,
    platforms: rule([] as string[], () => parsePlatforms(get(Input.Platforms))),
    skipUnchanged: bool(Input.SkipUnchanged, Defaults.skipUnchanged),
    push: bool(Input.Push, Defaults.push),
    buildArgs: rule([] as string[], () =>
      parseKeyValues(Input.BuildArgs, get(Input.BuildArgs), BUILD_ARG_KEY, 'build argument'),
    ),
    target: rule('', () => parseTarget(get(Input.Target))),
    labels: rule([] as string[], () =>
      parseKeyValues(Input.Labels, get(Input.Labels), LABEL_KEY, 'label'),
    ),
    cache: bool(Input.Cache, Defaults.cache),
    cacheRepo: rule('', () => parseCacheRepo(get(Input.CacheRepo))),
    extraArgs: rule([] as string[], () => parseExtraArgs(get(Input.ExtraArgs))),
    executorImage: rule(Defaults.executorImage as string, () =>
      parseExecutorImage(get(Input.ExecutorImage)),
    ),
    runtime: rule(Defaults.runtime as string, () => parseRuntime(get(Input.Runtime))),
    memoryBytes: rule(0, () => parseMemory(get(Input.Memory))),
    cpus: rule(0, () => parseCpus(get(Input.Cpus))),
    parallel: rule(1, () => parseParallel(get(Input.Parallel))),
    insecureRegistries: rule([] as string[], () => [
      ...new Set(
        splitList(get(Input.InsecureRegistries)).map((h) =>
          normaliseRegistry(Input.InsecureRegistries, h),
        ),
      ),
    ]),
    caCertificates: rule('', () => parseCaCertificates(get(Input.CaCertificates), ctx.workspace)),
    hubApiUrl: rule(Defaults.hubApiUrl as string, () => parseHubApiUrl(get(Input.HubApiUrl))),
    failFast: bool(Input.FailFast, Defaults.failFast),
    summary: bool(Input.Summary, Defaults.summary),
    commitStatus,
    githubToken,
  };
  if (ctx.checkPaths) errors.push(...checkPaths(inputs, ctx.workspace, errors));
  return { inputs, errors };
}

/** Validates every input; throws one `InputErrors` listing every bad one. */
export function parseInputs(read: InputReader, ctx: ParseContext): Inputs {
  const { inputs, errors } = collectInputs(read, ctx);
  if (errors.length > 0) throw new InputErrors(errors);
  return inputs;
}

/** `context` and the named `directories` must exist in the workspace, with the Dockerfile. */
function checkPaths(inputs: Inputs, workspace: string, earlier: InputError[]): InputError[] {
  const errors: InputError[] = [];
  const failed = (name: InputName): boolean => earlier.some((e) => e.input === name);
  if (!fs.existsSync(workspace)) return errors; // the detect stage says what is missing
  if (inputs.context !== '' && !failed(Input.Context)) {
    if (!isContextDirectory(inputs.context, workspace)) {
      errors.push(
        new InputError(
          Input.Context,
          `${quote(inputs.context)} is not a directory of the workspace; give a directory relative to the repository root, e.g. '.'.`,
        ),
      );
    }
  }
  if (inputs.directories.length > 0 && !failed(Input.Directories) && !failed(Input.Dockerfile)) {
    const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace);
    if (problems.length > 0) {
      errors.push(new InputError(Input.Directories, `${problems.join('; ')}.`));
    }
  }
  return errors;
}

/**
 * Reads the inputs of this step from the runner. The password, the base64 `user:password` and
 * the GitHub token are masked before anything else happens, so no later log line can reveal
 * them, and removed from the environment that child processes inherit.
 */
export function getInputs(mode: Mode): Inputs {
  const password = core.getInput(Input.Password);
  const username = core.getInput(Input.Username).trim();
  if (password !== '') {
    core.setSecret(password);
    if (username !== '') core.setSecret(basicAuth(username, password));
  }
  const token = core.getInput(Input.GithubToken).trim();
  if (token !== '') core.setSecret(token);
  const inputs = parseInputs((name) => core.getInput(name), {
    mode,
    workspace: workspace(),
    checkPaths: true,
  });
  // The runner hands inputs over as environment variables, which every child process would
  // inherit (git, sudo, the runtime, …). From here on only the typed inputs hold them.
  for (const name of [Input.Password, Input.GithubToken]) {
    delete process.env[`INPUT_${name.toUpperCase()}`];
  }
  return inputs;
}
