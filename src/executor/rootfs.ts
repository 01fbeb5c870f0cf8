/**
 * Paths inside a root file system, resolved the way a process chrooted to it sees them: a
 * symbolic link is followed inside the root (an absolute target starts again at the root, `..`
 * never climbs above it), so no path of an image can point the action at a file of the runner.
 *
 * Everything is synchronous on purpose: the callers (the layer unpacker, the bundle set-up)
 * are the only writers of the root while they run, and doing each step to completion before
 * the next keeps every check valid when it is used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_LINKS = 40;

/** The `/`-separated parts of a path inside the root, lexically cleaned (`..` capped at `/`). */
export function rootParts(inside: string): string[] {
  const parts: string[] = [];
  for (const part of inside.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts;
}

/** `lstat`, or `null` when nothing is there. */
export function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface ResolveOptions {
  /** Follow a symbolic link in the last part too (default: only in the directories above). */
  followFinal?: boolean;
  /** Create missing directories above the last part (mode 0755). */
  createParents?: boolean;
}

/**
 * The host path of `inside` (a path as seen inside `root`). `root` must be absolute and free
 * of symbolic links. Links met on the way are followed inside `root`; a missing directory is
 * created when asked, or else the rest of the path is taken as written.
 */
export function resolveInRoot(root: string, inside: string, options: ResolveOptions = {}): string {
  const queue = rootParts(inside);
  const current: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === '..') {
      current.pop();
      continue;
    }
    const candidate = path.join(root, ...current, part);
    const last = queue.length === 0;
    const st = lstatOrNull(candidate);
    if (st === null) {
      if (!last && options.createParents) fs.mkdirSync(candidate, { mode: 0o755 });
      current.push(part);
      continue;
    }
    if (st.isSymbolicLink() && (!last || options.followFinal)) {
      if (++links > MAX_LINKS) {
        throw new Error(`Too many symbolic links under ${root} resolving ${inside}.`);
      }
      const target = fs.readlinkSync(candidate);
      if (target.startsWith('/')) current.length = 0;
      // `..` stays in the queue so it is applied after the link's directory, not lexically.
      queue.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    if (!last && !st.isDirectory()) {
      throw new Error(`${path.join('/', ...current, part)} is not a directory in ${root}.`);
    }
    current.push(part);
  }
  return path.join(root, ...current);
}

/**
 * Makes `inside` a plain, empty mount point of `kind` in `root`: missing directories above it
 * are created, a symbolic link or an entry of the other kind in its place is removed first.
 * Returns the host path, which has no symbolic link below `root`.
 */
export function prepareMountPoint(root: string, inside: string, kind: 'dir' | 'file'): string {
  const target = resolveInRoot(root, inside, { createParents: true });
  if (target === root) throw new Error(`Cannot mount over the root itself (${inside}).`);
  const st = lstatOrNull(target);
  if (st !== null) {
    const fits = kind === 'dir' ? st.isDirectory() : st.isFile();
    if (fits) return target;
    fs.rmSync(target, { recursive: true, force: true });
  }
  if (kind === 'dir') fs.mkdirSync(target, { mode: 0o755 });
  else fs.writeFileSync(target, '', { mode: 0o644, flag: 'wx' });
  return target;
}
