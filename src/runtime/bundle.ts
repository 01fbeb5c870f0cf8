/**
 * The OCI bundle of one build, written by the action: `config.json` (mode 0600: the whole
 * environment, proxies included, lives there and in no process's arguments) and the root file
 * system (see `root-layer.ts`), with the CA certificates appended to the executor's bundle and
 * a plain mount point for every bound path, made in the build's own writable layer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMountPoint, resolveInRoot } from '../executor/rootfs.js';
import type { Privilege } from './host.js';
import { layerPaths, makeRootLayer, type RootLayer } from './root-layer.js';
import type { SeccompArch } from './seccomp-profile.js';
import { containerSpec, type BindMount } from './spec.js';
import {
  DEFAULT_CA_BUNDLE,
  DEFAULT_DOCKER_CONFIG,
  CONTAINER_CONTEXT,
  CONTAINER_OUTPUT,
  type RunSpec,
} from './types.js';

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Files of the runner every build reads (name resolution), bound read-only. */
const HOST_FILES = ['/etc/hosts', '/etc/resolv.conf'];

/** The image environment, then the given variables; PATH and HOME as a container runtime sets them. */
export function containerEnv(imageEnv: readonly string[], extra: Record<string, string>): string[] {
  const env = new Map<string, string>();
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (ENV_KEY.test(key)) env.set(key, entry.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(extra)) {
    if (!ENV_KEY.test(key)) throw new Error(`${JSON.stringify(key)} is not an environment name.`);
    if (value.includes('\0')) throw new Error(`The value of ${key} holds a NUL byte.`);
    env.set(key, value);
  }
  if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH);
  if (!env.has('HOME')) env.set('HOME', '/root');
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function envValue(env: readonly string[], key: string): string | undefined {
  const entry = env.find((e) => e.startsWith(`${key}=`));
  return entry === undefined ? undefined : entry.slice(key.length + 1);
}

/** Where the executor reads its docker config, from the image's `DOCKER_CONFIG`. */
export function dockerConfigPath(env: readonly string[]): string {
  const dir = envValue(env, 'DOCKER_CONFIG') || DEFAULT_DOCKER_CONFIG;
  return path.posix.join(dir.startsWith('/') ? dir : `/${dir}`, 'config.json');
}

/** The CA bundle the executor reads: `SSL_CERT_FILE`, else `ca-certificates.crt` of `SSL_CERT_DIR`. */
export function caBundlePath(env: readonly string[]): string {
  const file = envValue(env, 'SSL_CERT_FILE');
  if (file) return file;
  const dir = envValue(env, 'SSL_CERT_DIR')?.split(':')[0];
  return dir ? path.posix.join(dir, 'ca-certificates.crt') : DEFAULT_CA_BUNDLE;
}

/** Appends PEM text to the bundle at `inside` of `root` (made when missing). */
function appendCaCertificates(root: string, inside: string, pem: string): void {
  const target = resolveInRoot(root, inside, { followFinal: true, createParents: true });
  const flags =
    fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
  const fd = fs.openSync(target, flags, 0o644);
  try {
    fs.writeSync(fd, `\n${pem.trim()}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The real path of a host directory or file the build binds; throws when it is not one. */
export function checkHostPath(what: string, p: string, kind: 'dir' | 'file'): string {
  if (!path.isAbsolute(p)) throw new Error(`The ${what} ${p} is not an absolute path.`);
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st || (kind === 'dir' ? !st.isDirectory() : !st.isFile())) {
    throw new Error(`The ${what} ${p} is not ${kind === 'dir' ? 'a directory' : 'a file'}.`);
  }
  return fs.realpathSync(p);
}

export interface BundleOptions {
  privilege: Privilege;
  arch: SeccompArch;
  /** Extra PEM certificates appended to the executor's CA bundle; `''` when none. */
  caCertificates: string;
  memoryBytes: number;
  cpus: number;
  /** Try overlay first (false once it failed on this runner). */
  preferOverlay: boolean;
}

/** The host paths of a run, as checked by `checkRunPaths`: real paths. */
export type RunPaths = Pick<RunSpec, 'context' | 'dockerConfig' | 'outputDir'>;

/** The host paths of a run, checked: they must exist before anything is made. */
export function checkRunPaths(spec: RunSpec): RunPaths {
  return {
    context: checkHostPath('build context', spec.context, 'dir'),
    dockerConfig: checkHostPath('credentials file', spec.dockerConfig, 'file'),
    outputDir: checkHostPath('output directory', spec.outputDir, 'dir'),
  };
}

/**
 * Writes the bundle of one run into the empty directory `bundle`, binding `paths` (the run's
 * host paths as `checkRunPaths` gave them); returns how its root was made.
 */
export async function writeBundle(
  bundle: string,
  spec: RunSpec,
  paths: RunPaths,
  options: BundleOptions,
): Promise<RootLayer> {
  const entrypoint = spec.executor.entrypoint;
  if (entrypoint.length === 0) throw new Error('The executor image has no entrypoint.');
  const imageEnv = spec.executor.env;
  const env = containerEnv(imageEnv, spec.env);

  const layer = await makeRootLayer(
    bundle,
    spec.executor.rootfs,
    options.privilege,
    options.preferOverlay,
  );
  const { rootfs } = layerPaths(bundle);
  if (options.caCertificates.trim()) {
    appendCaCertificates(rootfs, caBundlePath(imageEnv), options.caCertificates);
  }
  const binds: (BindMount & { kind: 'dir' | 'file' })[] = [
    { source: paths.context, destination: CONTAINER_CONTEXT, readOnly: true, kind: 'dir' },
    {
      source: paths.dockerConfig,
      destination: dockerConfigPath(imageEnv),
      readOnly: true,
      kind: 'file',
    },
    { source: paths.outputDir, destination: CONTAINER_OUTPUT, readOnly: false, kind: 'dir' },
    ...HOST_FILES.filter((f) => fs.existsSync(f)).map((f) => ({
      source: f,
      destination: f,
      readOnly: true,
      kind: 'file' as const,
    })),
  ];
  // A plain directory or file at each mount point, with no symbolic link of the image on the
  // way, so every bind lands exactly where it is meant to.
  for (const b of binds) {
    b.destination = path.posix.join(
      '/',
      path.relative(rootfs, prepareMountPoint(rootfs, b.destination, b.kind)),
    );
  }
  const config = containerSpec({
    args: [...entrypoint, ...spec.args],
    env,
    root: 'rootfs',
    binds,
    arch: options.arch,
    memoryBytes: options.memoryBytes,
    cpus: options.cpus,
  });
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config), {
    mode: 0o600,
    flag: 'wx',
  });
  return layer;
}
