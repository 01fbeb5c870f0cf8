/**
 * The action's inputs, read once and validated into one typed object.
 *
 * Every rule lives in `parseInputs`, a pure function over a reader, so tests drive it with
 * plain objects and the bundled action with `INPUT_*` variables. A bad value throws an
 * `InputError` naming the input, the value and what is accepted, before anything else runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '@actions/core';
import { Defaults, DOCKER_HUB_ALIASES, Input, type InputName } from '../contract.js';

export type Bump = 'patch' | 'minor' | 'major';
export type RuntimeChoice = 'auto' | 'sandbox';
export type Mode = 'main' | 'plan';

export interface Inputs {
  patterns: string[];
  dockerfile: string;
  directories: string[];
  buildAll: boolean;
  base: string;
  head: string;
  /** `host[:port]`, lower-cased; every Docker Hub alias becomes `docker.io`. */
  registry: string;
  namespace: string;
  username: string;
  password: string;
  /** Explicit version for every image, or `''` to look it up. */
  version: string;
  defaultVersion: string;
  bump: Bump;
  latest: boolean;
  push: boolean;
  /** `KEY=VALUE` entries. */
  buildArgs: string[];
  target: string;
  /** `KEY=VALUE` entries. */
  labels: string[];
  cache: boolean;
  cacheRepo: string;
  extraArgs: string[];
  executorImage: string;
  runtime: RuntimeChoice;
  parallel: number;
  /** `host[:port]` entries, lower-cased; Docker Hub aliases normalised to `docker.io`. */
  insecureRegistries: string[];
  /** PEM text of extra CA certificates, `''` when none. */
  caCertificates: string;
  /** Base URL without a trailing slash. */
  hubApiUrl: string;
  failFast: boolean;
  summary: boolean;
}

/** A bad input value. Its message names the input, the value and what is accepted. */
export class InputError extends Error {
  constructor(
    readonly input: InputName,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

export type InputReader = (name: InputName) => string;

export interface ParseContext {
  mode: Mode;
  /** Where relative `ca-certificates` paths are resolved; they must stay inside it. */
  workspace: string;
}

const MAX_PARALLEL = 32;
const HOST_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST_PORT = new RegExp(
  `^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?$`,
);
/** OCI distribution tag grammar. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A `<prefix>MAJOR.MINOR.PATCH` version with a non-digit prefix and no leading zeros. */
export const PREFIXED_VERSION = /^([^0-9]*)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** One path component of an OCI repository name. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const DIGEST_REF = /@sha256:[a-f0-9]{64}$/;

const show = (value: string): string => JSON.stringify(value);

/**
 * Splits a list input on newlines and on commas that are not inside `{…}` (so the glob
 * `airflow-{api,worker}` stays one pattern). Entries are trimmed; blank entries dropped.
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Splits a line-based input (values may hold commas). Blank lines are dropped. */
export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseBoolean(name: InputName, raw: string, fallback: boolean): boolean {
  const value = raw.trim();
  if (value === '') return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InputError(name, `${show(value)} is not a boolean; use 'true' or 'false'.`);
}

function oneOf<T extends string>(
  name: InputName,
  raw: string,
  fallback: T,
  allowed: readonly T[],
): T {
  const value = raw.trim() === '' ? fallback : raw.trim();
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === undefined) {
    throw new InputError(
      name,
      `${show(value)} is not accepted; use one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
    );
  }
  return found;
}

/** Normalises `host[:port]`; Docker Hub's aliases become `docker.io`. */
export function normaliseRegistry(name: InputName, raw: string): string {
  const value = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InputError(
      name,
      `${show(value)} is a URL; give only host[:port] (e.g. 'ghcr.io' or 'localhost:5000').`,
    );
  }
  const match = HOST_PORT.exec(value);
  const port = match?.[1];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new InputError(
      name,
      `${show(value)} is not host[:port] (e.g. 'docker.io', 'ghcr.io', 'localhost:5000').`,
    );
  }
  const lower = value.toLowerCase();
  return (DOCKER_HUB_ALIASES as readonly string[]).includes(lower) ? 'docker.io' : lower;
}

export function isDockerHub(registry: string): boolean {
  return (DOCKER_HUB_ALIASES as readonly string[]).includes(registry.toLowerCase());
}

function parseNamespace(raw: string, registry: string): string {
  const value = raw.trim().replace(/^\/+|\/+$/g, '');
  if (value === '') return '';
  const parts = value.split('/');
  if (isDockerHub(registry) && parts.length > 1) {
    throw new InputError(
      Input.Namespace,
      `${show(value)} has a '/'; on Docker Hub the namespace is one user or organisation name.`,
    );
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      throw new InputError(
        Input.Namespace,
        `${show(value)} is not a valid repository path: each '/'-separated part must be lower-case letters and digits, joined by '.', '_', '__' or '-'.`,
      );
    }
  }
  return value;
}

function parseKeyValues(name: InputName, raw: string, key: RegExp, what: string): string[] {
  const lines = splitLines(raw);
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError(
        name,
        `line ${show(line)} is not KEY=VALUE; write one ${what} per line, e.g. 'KEY=value'.`,
      );
    }
    const k = line.slice(0, eq);
    if (!key.test(k)) {
      throw new InputError(
        name,
        `line ${show(line)} has the key ${show(k)}, which is not a valid ${what} name.`,
      );
    }
  }
  return lines;
}

function parseVersion(raw: string): string {
  const value = raw.trim();
  if (value === '') return '';
  if (!TAG.test(value)) {
    throw new InputError(
      Input.Version,
      `${show(value)} is not a valid image tag: up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'.`,
    );
  }
  if (value === 'latest') {
    throw new InputError(
      Input.Version,
      `'latest' is pushed by the 'latest' input; give a version such as 'v1.2.3'.`,
    );
  }
  return value;
}

function parseDefaultVersion(raw: string): string {
  const value = raw.trim() === '' ? Defaults.defaultVersion : raw.trim();
  if (!PREFIXED_VERSION.test(value) || !TAG.test(value)) {
    throw new InputError(
      Input.DefaultVersion,
      `${show(value)} is not <prefix>MAJOR.MINOR.PATCH (e.g. 'v1.0.0' or '0.1.0'; no leading zeros, a prefix without digits).`,
    );
  }
  return value;
}

function parseParallel(raw: string): number {
  const value = raw.trim() === '' ? Defaults.parallel : raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL) {
    throw new InputError(
      Input.Parallel,
      `${show(value)} is not a whole number from 1 to ${MAX_PARALLEL}.`,
    );
  }
  return Number(value);
}

function parseHubApiUrl(raw: string): string {
  const value = raw.trim() === '' ? Defaults.hubApiUrl : raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      Input.HubApiUrl,
      `${show(value)} is not a URL; give e.g. 'https://hub.docker.com'.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(Input.HubApiUrl, `${show(value)} is not an http(s) URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      Input.HubApiUrl,
      `${show(value)} must not hold credentials, a query or a fragment.`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function parseExecutorImage(raw: string): string {
  const value = raw.trim() === '' ? Defaults.executorImage : raw.trim();
  const accepted = `'registry/repository:tag' or 'registry/repository@sha256:<64 hex digits>' (e.g. '${Defaults.executorImage}')`;
  const slash = value.indexOf('/');
  const host = slash > 0 ? value.slice(0, slash) : '';
  if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    throw new InputError(
      Input.ExecutorImage,
      `${show(value)} does not start with a registry host; use ${accepted}.`,
    );
  }
  normaliseRegistry(Input.ExecutorImage, host);
  const rest = value.slice(slash + 1);
  let repository: string;
  if (rest.includes('@')) {
    if (!DIGEST_REF.test(value)) {
      throw new InputError(
        Input.ExecutorImage,
        `${show(value)} has a malformed digest; use ${accepted}.`,
      );
    }
    repository = rest.slice(0, rest.indexOf('@'));
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon <= 0 || !TAG.test(rest.slice(colon + 1))) {
      throw new InputError(
        Input.ExecutorImage,
        `${show(value)} has no valid tag or digest; use ${accepted}.`,
      );
    }
    repository = rest.slice(0, colon);
  }
  if (!repository.split('/').every((p) => PATH_COMPONENT.test(p))) {
    throw new InputError(
      Input.ExecutorImage,
      `${show(value)} has an invalid repository name; use ${accepted}.`,
    );
  }
  return value;
}

function parseCaCertificates(raw: string, workspace: string): string {
  const value = raw.trim();
  if (value === '') return '';
  const isPem = (text: string): boolean =>
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
  if (value.includes('-----BEGIN')) {
    if (!isPem(value)) {
      throw new InputError(
        Input.CaCertificates,
        'the text holds no complete PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
      );
    }
    return value + '\n';
  }
  const root = path.resolve(workspace);
  const file = path.resolve(root, value);
  if (file !== root && !file.startsWith(root + path.sep)) {
    throw new InputError(
      Input.CaCertificates,
      `${show(value)} is outside the workspace; give PEM text or a path inside the repository.`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      Input.CaCertificates,
      `${show(value)} is neither PEM text nor a readable file in the workspace (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
  if (!isPem(text)) {
    throw new InputError(Input.CaCertificates, `the file ${show(value)} holds no PEM certificate.`);
  }
  return text.endsWith('\n') ? text : text + '\n';
}

function parsePatterns(raw: string): string[] {
  const list = splitList(raw.trim() === '' ? Defaults.patterns : raw);
  for (const p of list) {
    if (p.startsWith('/') || p.split('/').includes('..')) {
      throw new InputError(
        Input.Patterns,
        `${show(p)} is not relative to the repository root; write patterns such as 'airflow-*' or 'images/**'.`,
      );
    }
  }
  return list;
}

function parseRelativePath(name: InputName, value: string, what: string): string {
  const normal = path.posix.normalize(value.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (
    value.startsWith('/') ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal === '' ||
    normal === '.'
  ) {
    throw new InputError(name, `${show(value)} is not a ${what} relative to the repository root.`);
  }
  return normal;
}

/** Validates every input; throws an `InputError` for the first bad one. */
export function parseInputs(read: InputReader, ctx: ParseContext): Inputs {
  const get = (name: InputName): string => read(name) ?? '';

  const username = get(Input.Username).trim();
  const password = get(Input.Password);
  if (password !== '' && username === '') {
    throw new InputError(
      Input.Password,
      `is set but 'username' is empty; give both, or neither to use an existing docker login.`,
    );
  }
  if (username !== '' && password === '') {
    throw new InputError(
      Input.Username,
      `${show(username)} is set but 'password' is empty; give both, or neither to use an existing docker login.`,
    );
  }

  const registry = normaliseRegistry(
    Input.Registry,
    get(Input.Registry).trim() || Defaults.registry,
  );
  const version = parseVersion(get(Input.Version));
  const namespaceRaw = get(Input.Namespace).trim() || username.toLowerCase();
  const namespace = parseNamespace(namespaceRaw, registry);
  if (namespace === '' && (ctx.mode === 'main' || version === '')) {
    throw new InputError(
      Input.Namespace,
      `is empty and there is no 'username' to default to; set 'namespace' to the user or organisation that owns the images.`,
    );
  }

  const dockerfile = parseRelativePath(
    Input.Dockerfile,
    get(Input.Dockerfile).trim() || Defaults.dockerfile,
    'path',
  );
  const directories = splitList(get(Input.Directories)).map((d) =>
    parseRelativePath(Input.Directories, d, 'directory'),
  );

  const target = get(Input.Target).trim();
  if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError(Input.Target, `${show(target)} is not a build stage name.`);
  }
  const cacheRepo = get(Input.CacheRepo).trim();
  if (cacheRepo !== '' && /\s/.test(cacheRepo)) {
    throw new InputError(Input.CacheRepo, `${show(cacheRepo)} is not a repository reference.`);
  }

  const inputs: Inputs = {
    patterns: parsePatterns(get(Input.Patterns)),
    dockerfile,
    directories: [...new Set(directories)].sort(),
    buildAll: parseBoolean(Input.BuildAll, get(Input.BuildAll), false),
    base: get(Input.Base).trim(),
    head: get(Input.Head).trim(),
    registry,
    namespace,
    username,
    password,
    version,
    defaultVersion: parseDefaultVersion(get(Input.DefaultVersion)),
    bump: oneOf<Bump>(Input.Bump, get(Input.Bump), Defaults.bump, ['patch', 'minor', 'major']),
    latest: parseBoolean(Input.Latest, get(Input.Latest), true),
    push: parseBoolean(Input.Push, get(Input.Push), true),
    buildArgs: parseKeyValues(
      Input.BuildArgs,
      get(Input.BuildArgs),
      BUILD_ARG_KEY,
      'build argument',
    ),
    target,
    labels: parseKeyValues(Input.Labels, get(Input.Labels), LABEL_KEY, 'label'),
    cache: parseBoolean(Input.Cache, get(Input.Cache), false),
    cacheRepo,
    extraArgs: splitLines(get(Input.ExtraArgs)),
    executorImage: parseExecutorImage(get(Input.ExecutorImage)),
    runtime: oneOf<RuntimeChoice>(Input.Runtime, get(Input.Runtime), Defaults.runtime, [
      'auto',
      'sandbox',
    ]),
    parallel: parseParallel(get(Input.Parallel)),
    insecureRegistries: [
      ...new Set(
        splitList(get(Input.InsecureRegistries)).map((h) =>
          normaliseRegistry(Input.InsecureRegistries, h),
        ),
      ),
    ],
    caCertificates: parseCaCertificates(get(Input.CaCertificates), ctx.workspace),
    hubApiUrl: parseHubApiUrl(get(Input.HubApiUrl)),
    failFast: parseBoolean(Input.FailFast, get(Input.FailFast), false),
    summary: parseBoolean(Input.Summary, get(Input.Summary), true),
  };

  for (const arg of inputs.extraArgs) {
    if (!arg.startsWith('--')) {
      throw new InputError(
        Input.ExtraArgs,
        `line ${show(arg)} is not an executor flag; write one '--flag=value' per line.`,
      );
    }
  }
  return inputs;
}

/** The base64 `user:password` string docker config files hold. */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/**
 * Reads the inputs of this step from the runner. The password and the base64 `user:password`
 * are masked before anything else happens, so no later log line can reveal them, and removed
 * from the environment that child processes inherit.
 */
export function getInputs(mode: Mode): Inputs {
  const password = core.getInput(Input.Password);
  const username = core.getInput(Input.Username).trim();
  if (password !== '') {
    core.setSecret(password);
    if (username !== '') core.setSecret(basicAuth(username, password));
  }
  const inputs = parseInputs((name) => core.getInput(name), {
    mode,
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  // The runner hands inputs over as environment variables, which every child process would
  // inherit (git, sudo, …). The password is read now; from here on only kaniko's credentials
  // file holds it.
  delete process.env[`INPUT_${Input.Password.toUpperCase()}`];
  return inputs;
}
