/**
 * The rule of each input value: parsers without side effects that return the typed value or
 * throw an `InputError` naming the input, the value and what is accepted (only
 * `ca-certificates` reads a file, of the workspace). `inputs.ts` runs them all and reports
 * every failure together.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Defaults, Input, InputError, type InputName } from '../contract.js';
import { isDockerHub } from '../lib/docker-hub.js';
import { PATH_COMPONENT, SHA256_DIGEST, TAG } from '../lib/names.js';
import { PREFIXED_VERSION } from '../versions/rule.js';
import { quote } from '../lib/untrusted.js';

export const MAX_PARALLEL = 32;
const HOST_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST_PORT = new RegExp(
  `^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?$`,
);
export const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

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

export function parseBoolean(name: InputName, raw: string, fallback: string): boolean {
  const value = raw.trim() === '' ? fallback : raw.trim();
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InputError(name, `${quote(value)} is not a boolean; use 'true' or 'false'.`);
}

export function oneOf<T extends string>(
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
      `${quote(value)} is not accepted; use one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
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
      `${quote(value)} is a URL; give only host[:port] (e.g. 'ghcr.io' or 'localhost:5000').`,
    );
  }
  const match = HOST_PORT.exec(value);
  const port = match?.[1];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new InputError(
      name,
      `${quote(value)} is not host[:port] (e.g. 'docker.io', 'ghcr.io', 'localhost:5000').`,
    );
  }
  const lower = value.toLowerCase();
  return isDockerHub(lower) ? 'docker.io' : lower;
}

export function parseNamespace(raw: string, registry: string): string {
  const value = raw.trim().replace(/^\/+|\/+$/g, '');
  if (value === '') return '';
  const parts = value.split('/');
  if (isDockerHub(registry) && parts.length > 1) {
    throw new InputError(
      Input.Namespace,
      `${quote(value)} has a '/'; on Docker Hub the namespace is one user or organisation name.`,
    );
  }
  if (!parts.every((part) => PATH_COMPONENT.test(part))) {
    throw new InputError(
      Input.Namespace,
      `${quote(value)} is not a valid repository path: each '/'-separated part must be lower-case letters and digits, joined by '.', '_', '__' or '-'.`,
    );
  }
  return value;
}

export function parseKeyValues(name: InputName, raw: string, key: RegExp, what: string): string[] {
  const lines = splitLines(raw);
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError(
        name,
        `line ${quote(line)} is not KEY=VALUE; write one ${what} per line, e.g. 'KEY=value'.`,
      );
    }
    const k = line.slice(0, eq);
    if (!key.test(k)) {
      throw new InputError(
        name,
        `line ${quote(line)} has the key ${quote(k)}, which is not a valid ${what} name.`,
      );
    }
  }
  return lines;
}

/** `version`: `<prefix>MAJOR.MINOR.PATCH` (as `default-version`), never `latest`. */
export function parseVersion(raw: string): string {
  const value = raw.trim();
  if (value === '') return '';
  if (value === 'latest') {
    throw new InputError(
      Input.Version,
      `'latest' is pushed by the 'latest' input; give a version such as 'v1.2.3'.`,
    );
  }
  if (!PREFIXED_VERSION.test(value) || !TAG.test(value)) {
    throw new InputError(
      Input.Version,
      `${quote(value)} is not <prefix>MAJOR.MINOR.PATCH (e.g. 'v1.2.3' or '1.2.3'; three numbers without leading zeros, a prefix without digits), which is what the version rule counts.`,
    );
  }
  return value;
}

export function parseDefaultVersion(raw: string): string {
  const value = raw.trim() === '' ? Defaults.defaultVersion : raw.trim();
  if (!PREFIXED_VERSION.test(value) || !TAG.test(value)) {
    throw new InputError(
      Input.DefaultVersion,
      `${quote(value)} is not <prefix>MAJOR.MINOR.PATCH (e.g. 'v1.0.0' or '0.1.0'; no leading zeros, a prefix without digits).`,
    );
  }
  return value;
}

export function parseParallel(raw: string): number {
  const value = raw.trim() === '' ? Defaults.parallel : raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL) {
    throw new InputError(
      Input.Parallel,
      `${quote(value)} is not a whole number from 1 to ${MAX_PARALLEL}.`,
    );
  }
  return Number(value);
}

export function parseHubApiUrl(raw: string): string {
  const value = raw.trim() === '' ? Defaults.hubApiUrl : raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      Input.HubApiUrl,
      `${quote(value)} is not a URL; give e.g. 'https://hub.docker.com'.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(Input.HubApiUrl, `${quote(value)} is not an http(s) URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      Input.HubApiUrl,
      `${quote(value)} must not hold credentials, a query or a fragment.`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

export function parseExecutorImage(raw: string): string {
  const value = raw.trim() === '' ? Defaults.executorImage : raw.trim();
  const accepted = `'registry/repository:tag', 'registry/repository@sha256:<64 hex digits>' or both (e.g. '${Defaults.executorImage}')`;
  const slash = value.indexOf('/');
  const host = slash > 0 ? value.slice(0, slash) : '';
  if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} does not start with a registry host; use ${accepted}.`,
    );
  }
  normaliseRegistry(Input.ExecutorImage, host);
  let rest = value.slice(slash + 1);
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!SHA256_DIGEST.test(rest.slice(at + 1))) {
      throw new InputError(
        Input.ExecutorImage,
        `${quote(value)} has a malformed digest; use ${accepted}.`,
      );
    }
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  let repository = rest;
  if (colon >= 0) {
    if (colon === 0 || !TAG.test(rest.slice(colon + 1))) {
      throw new InputError(
        Input.ExecutorImage,
        `${quote(value)} has no valid tag; use ${accepted}.`,
      );
    }
    repository = rest.slice(0, colon);
  } else if (at < 0) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} has no tag or digest; use ${accepted}.`,
    );
  }
  if (!repository.split('/').every((p) => PATH_COMPONENT.test(p))) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} has an invalid repository name; use ${accepted}.`,
    );
  }
  return value;
}

export function parseCaCertificates(raw: string, workspace: string): string {
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
      `${quote(value)} is outside the workspace; give PEM text or a path inside the repository.`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      Input.CaCertificates,
      `${quote(value)} is neither PEM text nor a readable file in the workspace (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
  if (!isPem(text)) {
    throw new InputError(
      Input.CaCertificates,
      `the file ${quote(value)} holds no PEM certificate.`,
    );
  }
  return text.endsWith('\n') ? text : text + '\n';
}

/** A path relative to the repository root, normalised; `allowRoot` accepts `.` (the root). */
export function parseRelativePath(
  name: InputName,
  value: string,
  what: string,
  allowRoot = false,
): string {
  const normal = path.posix.normalize(value.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (allowRoot && (normal === '.' || normal === '')) return '.';
  if (
    value.startsWith('/') ||
    normal === '..' ||
    normal.startsWith('../') ||
    normal === '' ||
    normal === '.'
  ) {
    throw new InputError(name, `${quote(value)} is not a ${what} relative to the repository root.`);
  }
  return normal;
}
