/**
 * The rules of the inputs that shape each build: runtime and its limits, platforms, and the
 * executor flags the user adds. Pure parsers, as in `input-rules.ts`.
 */
import * as path from 'node:path';
import { Defaults, Input, InputError } from '../contract.js';
import { splitLines, splitList } from './input-rules.js';
import { quote } from '../lib/untrusted.js';

/** kaniko's flags: `--name` or `--name=value`; names hold letters, digits and `-`. */
const EXECUTOR_FLAG = /^--[A-Za-z0-9][A-Za-z0-9-]*(?:=[\s\S]*)?$/;
/** Architectures kaniko builds for, by their OCI names. */
const ARCHITECTURES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le'];
/** Docker's smallest memory limit. */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** `runtime`: `auto`, `runc`, `crun`, or an absolute path to an OCI runtime binary. */
export function parseRuntime(raw: string): string {
  const value = raw.trim() === '' ? Defaults.runtime : raw.trim();
  const lower = value.toLowerCase();
  if (lower === 'auto' || lower === 'runc' || lower === 'crun') return lower;
  if (value.startsWith('/') && !value.includes('\0') && path.posix.normalize(value) === value) {
    return value;
  }
  throw new InputError(
    Input.Runtime,
    `${quote(value)} is not accepted; use 'auto', 'runc', 'crun', or the absolute path of an OCI runtime binary (e.g. '/usr/bin/runc').`,
  );
}

/** `memory`: a number of bytes with an optional unit `b`, `k`, `m` or `g`, as `docker run -m`. */
export function parseMemory(raw: string): number {
  const value = raw.trim();
  if (value === '') return 0;
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(value);
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    (match?.[2] ?? '').toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'
  ];
  const bytes = match ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_MEMORY) {
    throw new InputError(
      Input.Memory,
      `${quote(value)} is not a memory size of at least 6m; give a number with an optional unit b, k, m or g (e.g. '4g', '512m').`,
    );
  }
  return bytes;
}

/** `cpus`: a positive number of CPUs, as `docker run --cpus` (e.g. `2`, `1.5`). */
export function parseCpus(raw: string): number {
  const value = raw.trim();
  if (value === '') return 0;
  const cpus = /^\d+(?:\.\d{1,3})?$/.test(value) ? Number(value) : NaN;
  if (!(cpus >= 0.01 && cpus <= 1024)) {
    throw new InputError(
      Input.Cpus,
      `${quote(value)} is not a number of CPUs from 0.01 to 1024 (e.g. '2' or '1.5').`,
    );
  }
  return cpus;
}

/** `platforms`: `os/arch[/variant]` entries, lower-cased, without duplicates. */
export function parsePlatforms(raw: string): string[] {
  const out: string[] = [];
  for (const entry of splitList(raw)) {
    const value = entry.toLowerCase();
    const parts = value.split('/');
    const [os, arch, variant] = parts as [string, string | undefined, string | undefined];
    if (
      parts.length < 2 ||
      parts.length > 3 ||
      os !== 'linux' ||
      !ARCHITECTURES.includes(arch ?? '') ||
      (variant !== undefined && !/^v[0-9]+$/.test(variant))
    ) {
      throw new InputError(
        Input.Platforms,
        `${quote(entry)} is not a platform kaniko builds; write os/arch[/variant] with os 'linux' and arch one of ${ARCHITECTURES.join(', ')} (e.g. 'linux/amd64,linux/arm64').`,
      );
    }
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/** `extra-args`: one kaniko flag per line, `--flag` or `--flag=value`. */
export function parseExtraArgs(raw: string): string[] {
  const lines = splitLines(raw);
  for (const line of lines) {
    if (EXECUTOR_FLAG.test(line)) continue;
    const space = /^(--[A-Za-z0-9][A-Za-z0-9-]*)\s+(\S[\s\S]*)$/.exec(line);
    const hint = space
      ? `; write flag and value joined by '=': '${space[1]}=${space[2]}'`
      : ` (kaniko's flag syntax is '--flag' or '--flag=value', one per line)`;
    throw new InputError(Input.ExtraArgs, `line ${quote(line)} is not an executor flag${hint}.`);
  }
  return lines;
}

export function parseTarget(raw: string): string {
  const target = raw.trim();
  if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError(Input.Target, `${quote(target)} is not a build stage name.`);
  }
  return target;
}

export function parseCacheRepo(raw: string): string {
  const cacheRepo = raw.trim();
  if (cacheRepo !== '' && /\s/.test(cacheRepo)) {
    throw new InputError(Input.CacheRepo, `${quote(cacheRepo)} is not a repository reference.`);
  }
  return cacheRepo;
}
