/**
 * Image layers (tar, gzip or zstd) applied in order onto a root file system, the way a
 * container runtime does: a `.wh.<name>` entry deletes `<name>` of the layers below, a
 * `.wh..wh..opq` entry empties its directory of what the layers below put there, a later
 * entry replaces an earlier one. No entry can write outside the root: paths are resolved with
 * `resolveInRoot` (links followed inside the root), symbolic links are stored as data and
 * never followed on the host, hard links must point at a file already in the root.
 *
 * Entries are applied one at a time, synchronously, in archive order, so every check holds
 * when the entry is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { errorMessage } from '../lib/errors.js';
import { lstatOrNull, resolveInRoot, rootParts } from './rootfs.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

export interface LayerFile {
  /** The (verified) blob on disk. */
  file: string;
  /** For messages: the layer's digest. */
  digest: string;
}

export interface UnpackOptions {
  /** Entries that cannot be made (devices, FIFOs) are skipped and reported here. */
  onWarning?: (message: string) => void;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Applies `layers` in order onto `root` (an existing, absolute, link-free directory). */
export async function unpackLayers(
  root: string,
  layers: readonly LayerFile[],
  options: UnpackOptions = {},
): Promise<void> {
  for (const [i, layer] of layers.entries()) {
    try {
      await unpackLayer(root, layer.file, options);
    } catch (error) {
      throw new Error(
        `Could not unpack layer ${i + 1} of ${layers.length} (${layer.digest}): ${errorMessage(
          error,
        )}`,
        { cause: error },
      );
    }
  }
}

interface DeferredDir {
  abs: string;
  mode: number;
  mtime: Date | undefined;
}

/** One layer: applied entry by entry while the archive streams through the parser. */
export function unpackLayer(
  root: string,
  file: string,
  options: UnpackOptions = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const input = fs.createReadStream(file);
    const parser = new Parser({ strict: true });
    const layer = new LayerWriter(root, options, (error) => fail(error));
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      input.destroy();
      layer.abort();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    parser.on('entry', (entry: ReadEntry) => {
      if (failed) {
        entry.resume();
        return;
      }
      try {
        layer.apply(entry);
      } catch (error) {
        entry.resume();
        fail(error);
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (failed) return;
      try {
        layer.finish();
        resolve();
      } catch (error) {
        fail(error);
      }
    });
    input.on('error', fail);
    input.on('data', (chunk) => {
      if (failed) return;
      if (!parser.write(chunk as Buffer)) {
        input.pause();
        parser.once('drain', () => input.resume());
      }
    });
    input.on('end', () => {
      if (!failed) parser.end();
    });
  });
}

class LayerWriter {
  /** Host paths this layer wrote, and every directory above them: an opaque marker keeps them. */
  private readonly kept = new Set<string>();
  /** Directory modes and times, applied when the layer is done (a 0555 directory still fills). */
  private readonly dirs: DeferredDir[] = [];
  private openFd: number | undefined;

  constructor(
    private readonly root: string,
    private readonly options: UnpackOptions,
    /** Errors of writing a file's content, which happen after `apply` returned. */
    private readonly onError: (error: unknown) => void,
  ) {}

  apply(entry: ReadEntry): void {
    const parts = rootParts(entry.path);
    const name = parts.pop();
    if (name === undefined) {
      // The root itself (`./`): its metadata is not the image's to set.
      entry.resume();
      return;
    }
    const inside = parts.join('/');
    if (name === OPAQUE) {
      entry.resume();
      this.opaque(resolveInRoot(this.root, inside, { followFinal: true }));
      return;
    }
    if (name.startsWith(WHITEOUT)) {
      entry.resume();
      const hidden = name.slice(WHITEOUT.length);
      // Other `.wh..wh.` names are bookkeeping of aufs, not whiteouts.
      if (hidden.startsWith(WHITEOUT) || hidden === '' || hidden === '..' || hidden === '.') return;
      const dir = resolveInRoot(this.root, inside, { followFinal: true });
      const target = path.join(dir, hidden);
      if (!this.kept.has(target)) fs.rmSync(target, { recursive: true, force: true });
      return;
    }
    const parent = resolveInRoot(this.root, inside, { followFinal: true, createParents: true });
    ensureDirectory(parent, this.root);
    const abs = path.join(parent, name);
    switch (entry.type) {
      case 'Directory':
        entry.resume();
        this.directory(abs, entry);
        break;
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        this.file(abs, entry);
        break;
      case 'SymbolicLink':
        entry.resume();
        this.symlink(abs, entry);
        break;
      case 'Link':
        entry.resume();
        this.hardlink(abs, entry);
        break;
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO':
        entry.resume();
        this.options.onWarning?.(`skipped ${entry.type} /${[...parts, name].join('/')}`);
        return;
      default:
        entry.resume();
        this.options.onWarning?.(`skipped ${entry.type} entry /${[...parts, name].join('/')}`);
        return;
    }
    this.keep(abs);
  }

  /** Called when the archive ended: directory modes and times, deepest first. */
  finish(): void {
    for (const dir of this.dirs.reverse()) {
      fs.chmodSync(dir.abs, dir.mode);
      if (dir.mtime) fs.utimesSync(dir.abs, dir.mtime, dir.mtime);
    }
  }

  abort(): void {
    if (this.openFd !== undefined) {
      fs.closeSync(this.openFd);
      this.openFd = undefined;
    }
  }

  private keep(abs: string): void {
    for (let p = abs; p !== this.root && p.startsWith(this.root); p = path.dirname(p)) {
      this.kept.add(p);
    }
  }

  private opaque(dir: string): void {
    this.keep(dir);
    const st = lstatOrNull(dir);
    if (st?.isDirectory()) this.clearBelow(dir);
  }

  /** Deletes what the layers below put in `dir`, keeping what this layer wrote. */
  private clearBelow(dir: string): void {
    for (const child of fs.readdirSync(dir)) {
      const p = path.join(dir, child);
      if (!this.kept.has(p)) {
        fs.rmSync(p, { recursive: true, force: true });
      } else if (fs.lstatSync(p).isDirectory()) {
        this.clearBelow(p);
      }
    }
  }

  /** Removes what is at `abs` unless it is a directory and `keepDirectory`. */
  private clear(abs: string, keepDirectory: boolean): boolean {
    const st = lstatOrNull(abs);
    if (st === null) return false;
    if (keepDirectory && st.isDirectory()) return true;
    fs.rmSync(abs, { recursive: true, force: true });
    return false;
  }

  private directory(abs: string, entry: ReadEntry): void {
    if (!this.clear(abs, true)) fs.mkdirSync(abs, { mode: 0o700 });
    this.chown(abs, entry, false);
    this.dirs.push({ abs, mode: mode(entry, 0o755), mtime: entry.mtime });
  }

  private file(abs: string, entry: ReadEntry): void {
    this.clear(abs, false);
    const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
    const fd = fs.openSync(abs, flags | fs.constants.O_NOFOLLOW, 0o600);
    this.openFd = fd;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.openFd = undefined;
      try {
        if (isRoot()) fs.fchownSync(fd, entry.uid ?? 0, entry.gid ?? 0);
        fs.fchmodSync(fd, mode(entry, 0o644));
        if (entry.mtime) fs.futimesSync(fd, entry.mtime, entry.mtime);
      } catch (error) {
        this.onError(error);
      } finally {
        fs.closeSync(fd);
      }
    };
    entry.on('data', (chunk: Buffer) => {
      if (done) return;
      try {
        let offset = 0;
        while (offset < chunk.length) offset += fs.writeSync(fd, chunk, offset);
      } catch (error) {
        this.abort();
        done = true;
        this.onError(error);
      }
    });
    entry.on('end', finish);
    if (entry.emittedEnd) finish();
  }

  private symlink(abs: string, entry: ReadEntry): void {
    if (!entry.linkpath) throw new Error(`The symbolic link /${entry.path} has no target.`);
    this.clear(abs, false);
    fs.symlinkSync(entry.linkpath, abs);
    this.chown(abs, entry, true);
    if (entry.mtime) fs.lutimesSync(abs, entry.mtime, entry.mtime);
  }

  private hardlink(abs: string, entry: ReadEntry): void {
    if (!entry.linkpath) throw new Error(`The hard link /${entry.path} has no target.`);
    const target = resolveInRoot(this.root, entry.linkpath);
    const st = lstatOrNull(target);
    if (st === null || st.isDirectory()) {
      throw new Error(
        `The hard link /${entry.path} points at /${rootParts(entry.linkpath).join('/')}, which is ${
          st === null ? 'not in the image' : 'a directory'
        }.`,
      );
    }
    if (target === abs) return;
    this.clear(abs, false);
    fs.linkSync(target, abs);
  }

  private chown(abs: string, entry: ReadEntry, link: boolean): void {
    if (!isRoot()) return;
    if (link) fs.lchownSync(abs, entry.uid ?? 0, entry.gid ?? 0);
    else fs.chownSync(abs, entry.uid ?? 0, entry.gid ?? 0);
  }
}

function mode(entry: ReadEntry, fallback: number): number {
  return entry.mode === undefined ? fallback : entry.mode & 0o7777;
}

function ensureDirectory(dir: string, root: string): void {
  const st = lstatOrNull(dir);
  if (st === null) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  else if (!st.isDirectory()) {
    throw new Error(`/${path.relative(root, dir)} is not a directory, but an entry is below it.`);
  }
}
