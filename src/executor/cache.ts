/**
 * The executor's tool-cache entry, installed whole or not at all and verified before use.
 *
 * Layout as `@actions/tool-cache` keeps it (`<RUNNER_TOOL_CACHE>/kaniko-executor/<version>/
 * <arch>` plus `<arch>.complete`), so the runner's tooling sees a normal entry. An entry is
 * made under a lock that every job on the runner shares (`<arch>.lock`, proper-lockfile): it
 * is unpacked into a staging directory next to its place, its record written (the sha256 of
 * the entrypoint binary and of the tree's listing), then renamed into place and marked
 * complete — a job never sees half of one. Before each use the entry is checked against its
 * record; one that no longer matches is reported and installed again, never run.
 *
 * This finds an entry changed by accident or by a careless step of the job; whoever can write
 * the runner's files at will can also change the action itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import type { ImageConfig } from '../lib/oci.js';
import { lstatOrNull, resolveInRoot } from './rootfs.js';

/** The tool-cache name of the unpacked executor images. */
export const TOOL_NAME = 'kaniko-executor';
/** Inside an entry: the root file system, and the record of what was installed. */
export const ROOTFS_DIR = 'rootfs';
const RECORD_FILE = 'image.json';
/** How long a job waits for another one installing the same entry. */
const LOCK_WAIT_MS = 15 * 60_000;

/** What an entry holds besides its root file system. */
export interface EntryRecord {
  image: string;
  manifestDigest: string;
  platform: string;
  config: ImageConfig;
  verification: {
    /** The entrypoint's path inside the root, and the sha256 of its content. */
    entrypoint: string;
    entrypointSha256: string;
    /** sha256 of every path's type, mode, owner, size and link target, in order. */
    listingSha256: string;
  };
}

export interface CacheEntry {
  dir: string;
  rootfs: string;
  record: EntryRecord;
  /**
   * The tree as verified, down to inode and change time: `assertUnchanged` compares a build's
   * root with it before the build starts.
   */
  fingerprint: string;
}

export interface CacheKey {
  version: string;
  arch: string;
}

export function toolCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNNER_TOOL_CACHE;
  if (!dir) {
    throw new Error(
      'RUNNER_TOOL_CACHE is not set: the executor is cached in the runner’s tool cache. Run this action as a step of a GitHub Actions job (or set RUNNER_TOOL_CACHE).',
    );
  }
  return dir;
}

export function entryDir(key: CacheKey, env?: NodeJS.ProcessEnv): string {
  return path.join(toolCacheRoot(env), TOOL_NAME, key.version, key.arch);
}

type Walk = (rel: string, st: fs.BigIntStats, full: string) => string;

/** One line per path under `root` (sorted, links not followed), as `line` makes it. */
function walk(root: string, line: Walk): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    const full = path.join(root, rel);
    const st = fs.lstatSync(full, { bigint: true });
    out.push(line(rel || '.', st, full));
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) visit(path.join(rel, name));
    }
  };
  visit('');
  return out;
}

function kind(st: fs.BigIntStats): string {
  if (st.isDirectory()) return 'd';
  if (st.isFile()) return 'f';
  if (st.isSymbolicLink()) return 'l';
  return 'o';
}

/** sha256 of the tree's listing: what a copy keeps (type, mode, owner, size, link target). */
export function listingSha256(root: string): string {
  const lines = walk(root, (rel, st, full) =>
    [
      JSON.stringify(rel),
      kind(st),
      st.mode.toString(8),
      `${st.uid}:${st.gid}`,
      st.isFile() ? st.size.toString() : '',
      st.isSymbolicLink() ? JSON.stringify(fs.readlinkSync(full)) : '',
    ].join(' '),
  );
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The tree down to inode and change time: any write, replacement or chmod changes it. */
export function treeFingerprint(root: string): string {
  const lines = walk(root, (rel, st) =>
    [JSON.stringify(rel), st.ino, st.ctimeNs, st.mode, st.size].join(' '),
  );
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The entrypoint's host path inside `rootfs` (links followed inside it). */
function entrypointPath(rootfs: string, config: ImageConfig): string {
  const inside = (config.entrypoint.length > 0 ? config.entrypoint : config.cmd)[0] ?? '';
  return resolveInRoot(rootfs, inside, { followFinal: true });
}

async function verificationOf(
  rootfs: string,
  config: ImageConfig,
): Promise<EntryRecord['verification']> {
  const entrypoint = entrypointPath(rootfs, config);
  const st = lstatOrNull(entrypoint);
  if (!st?.isFile()) {
    throw new Error(`the image has no file at its entrypoint ${path.relative(rootfs, entrypoint)}`);
  }
  return {
    entrypoint: `/${path.relative(rootfs, entrypoint)}`,
    entrypointSha256: await fileSha256(entrypoint),
    listingSha256: listingSha256(rootfs),
  };
}

/** Why the entry at `dir` does not match its record, or `''` when it does. */
async function mismatch(dir: string, record: EntryRecord): Promise<string> {
  const rootfs = path.join(dir, ROOTFS_DIR);
  let actual: EntryRecord['verification'];
  try {
    actual = await verificationOf(rootfs, record.config);
  } catch (error) {
    return (error as Error).message;
  }
  const expected = record.verification;
  if (actual.entrypoint !== expected?.entrypoint) return 'its entrypoint moved';
  if (actual.entrypointSha256 !== expected.entrypointSha256) {
    return `${expected.entrypoint} has the sha256 ${actual.entrypointSha256}, not the installed ${expected.entrypointSha256}`;
  }
  if (actual.listingSha256 !== expected.listingSha256) {
    return 'files were added, removed or changed';
  }
  return '';
}

export type FindResult =
  | { found: CacheEntry; invalid?: undefined }
  /** `invalid`: an entry is there, but does not match its record, for this reason. */
  | { found?: undefined; invalid?: string };

/** The complete, verified entry for `key`; what is wrong with it when there is one. */
export async function findEntry(key: CacheKey): Promise<FindResult> {
  const dir = entryDir(key);
  if (!fs.existsSync(`${dir}.complete`)) return {};
  let record: EntryRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as EntryRecord;
  } catch {
    return { invalid: `its record ${RECORD_FILE} is missing or unreadable` };
  }
  const rootfs = path.join(dir, ROOTFS_DIR);
  // The fingerprint is taken first: a change during the check makes the build refuse it.
  const fingerprint = fs.existsSync(rootfs) ? treeFingerprint(rootfs) : '';
  const wrong = await mismatch(dir, record);
  if (wrong) return { invalid: wrong };
  return { found: { dir, rootfs, record, fingerprint } };
}

/** Throws when the executor's root changed since it was verified (checked before each build). */
export function assertUnchanged(rootfs: string, fingerprint: string | undefined): void {
  if (fingerprint === undefined) return;
  if (treeFingerprint(rootfs) !== fingerprint) {
    throw new Error(
      `The cached kaniko executor at ${rootfs} changed after it was verified; refusing to run it. Re-run the job: it installs the executor again.`,
    );
  }
}

/**
 * Installs the entry for `key` under the runner-wide lock: `fill` unpacks into the staging
 * directory it is given (its `rootfs` is made) and returns the record without verification;
 * the entry then replaces whatever was there. When another job completed the entry while
 * this one waited for the lock, that entry is used and `fill` is not called.
 */
export async function installEntry(
  key: CacheKey,
  fill: (rootfs: string) => Promise<Omit<EntryRecord, 'verification'>>,
): Promise<{ entry: CacheEntry; installed: boolean }> {
  const dir = entryDir(key);
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  let compromised: Error | undefined;
  const release = await lockfile.lock(dir, {
    realpath: false,
    lockfilePath: `${dir}.lock`,
    retries: { retries: LOCK_WAIT_MS / 2000, minTimeout: 500, maxTimeout: 2000 },
    onCompromised: (error) => (compromised = error),
  });
  try {
    const ready = await findEntry(key);
    if (ready.found) return { entry: ready.found, installed: false };
    // Leftovers of jobs that died while holding this lock.
    for (const name of fs.readdirSync(parent)) {
      if (name.startsWith(`.staging-${key.arch}-`) || name.startsWith(`.old-${key.arch}-`)) {
        fs.rmSync(path.join(parent, name), { recursive: true, force: true });
      }
    }
    const staging = path.join(parent, `.staging-${key.arch}-${randomBytes(6).toString('hex')}`);
    const rootfs = path.join(staging, ROOTFS_DIR);
    fs.mkdirSync(rootfs, { recursive: true, mode: 0o755 });
    fs.chmodSync(rootfs, 0o755);
    try {
      const partial = await fill(rootfs);
      const record: EntryRecord = {
        ...partial,
        verification: await verificationOf(rootfs, partial.config),
      };
      fs.writeFileSync(path.join(staging, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
      if (compromised) throw compromised;
      // Unmark, move the old entry aside, move the new one in, mark: two renames.
      fs.rmSync(`${dir}.complete`, { force: true });
      if (fs.existsSync(dir)) {
        const old = path.join(parent, `.old-${key.arch}-${randomBytes(6).toString('hex')}`);
        fs.renameSync(dir, old);
        fs.rmSync(old, { recursive: true, force: true });
      }
      fs.renameSync(staging, dir);
      fs.writeFileSync(`${dir}.complete`, '');
      const entry: CacheEntry = {
        dir,
        rootfs: path.join(dir, ROOTFS_DIR),
        record,
        fingerprint: treeFingerprint(path.join(dir, ROOTFS_DIR)),
      };
      return { entry, installed: true };
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    await release().catch(() => undefined);
  }
}
