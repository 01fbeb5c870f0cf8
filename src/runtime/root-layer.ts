/**
 * The root file system of one build: the cached executor, read-only, under a writable overlay
 * layer of the build's own — so a build starts in milliseconds and never changes the cache.
 * Where overlay cannot be mounted (the work directory on a file system overlay refuses as its
 * upper layer, a kernel without overlay), the root is a copy of the cache instead.
 *
 * The overlay's options name only the bundle's own short paths, relative to the bundle (the
 * command runs there; `lower` is a symbolic link to the cache), so no runner path with a comma
 * or colon can change what is mounted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { privileged, runQuiet, tool, unmountBelow, type Privilege } from './host.js';

/** The paths of a bundle directory: the root the container sees, and the overlay's parts. */
export function layerPaths(bundle: string): Record<'rootfs' | 'lower' | 'upper' | 'work', string> {
  return {
    rootfs: path.join(bundle, 'rootfs'),
    lower: path.join(bundle, 'lower'),
    upper: path.join(bundle, 'upper'),
    work: path.join(bundle, 'work'),
  };
}

async function mountOverlay(bundle: string, cache: string, privilege: Privilege): Promise<string> {
  const p = layerPaths(bundle);
  fs.symlinkSync(cache, p.lower);
  fs.mkdirSync(p.upper, { mode: 0o755 });
  fs.mkdirSync(p.work, { mode: 0o700 });
  const { code, output } = await runQuiet(
    privileged(privilege, [
      tool('mount'),
      '-t',
      'overlay',
      '-o',
      'lowerdir=lower,upperdir=upper,workdir=work',
      'overlay',
      'rootfs',
    ]),
    { cwd: bundle },
  );
  if (code === 0) {
    // The overlay's root takes the cache's mode; the upper directory's is what a build sees.
    fs.chmodSync(p.upper, fs.statSync(cache).mode & 0o7777);
    return '';
  }
  for (const dir of [p.upper, p.work]) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(p.lower, { force: true });
  // mount(8) says `mount: <target>: <why>` and adds a line about dmesg: keep the why.
  const why = (output.split('\n')[0] ?? '').replace(/^mount: [^:]*: /, '').replace(/\.$/, '');
  return why || `mount exited with ${code}`;
}

async function copyRoot(bundle: string, cache: string, privilege: Privilege): Promise<void> {
  const { rootfs } = layerPaths(bundle);
  fs.rmdirSync(rootfs);
  const { code, output } = await runQuiet(
    privileged(privilege, [tool('cp'), '-a', '--reflink=auto', '--', cache, rootfs]),
  );
  if (code !== 0) {
    throw new Error(
      `Could not copy the executor's root file system: ${output || `cp exited with ${code}`}`,
    );
  }
}

export interface RootLayer {
  /** Why overlay was not used, when it was tried and failed. */
  overlayError?: string;
}

/**
 * Makes `<bundle>/rootfs` the build's root: an overlay on `cache` when `preferOverlay`, else
 * (or when overlay fails) a copy of it.
 */
export async function makeRootLayer(
  bundle: string,
  cache: string,
  privilege: Privilege,
  preferOverlay: boolean,
): Promise<RootLayer> {
  const { rootfs } = layerPaths(bundle);
  fs.mkdirSync(rootfs, { mode: 0o755 });
  if (preferOverlay) {
    const overlayError = await mountOverlay(bundle, cache, privilege);
    if (!overlayError) return {};
    await copyRoot(bundle, cache, privilege);
    return { overlayError };
  }
  await copyRoot(bundle, cache, privilege);
  return {};
}

/** Unmounts the build's root (and anything left below the bundle). */
export async function dropRootLayer(bundle: string, privilege: Privilege): Promise<void> {
  await unmountBelow(bundle, privilege);
}
