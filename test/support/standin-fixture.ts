/**
 * A fixture for tests that run the stand-in executor directly (with `--force` and a temporary
 * `--kaniko-dir`): a registry with Basic auth holding a busybox base, a second registry without
 * auth to act as a mirror, and helpers to build a context and read what was pushed.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pushBusyboxImage, type BusyboxImage } from './busybox-image.js';
import type { ImageConfig, LayerFile } from './layer-files.js';
import { writeFiles } from './git-repo.js';
import { getBlob, getManifest, type Descriptor } from './oci-image.js';
import { startRegistry, type LocalRegistry } from './registry.js';
import { buildStandin, hostGoArch } from './standin.js';

/** Compiling the stand-in for the first time is slow. */
export const COMPILE_TIMEOUT = 600_000;
/** What `uname -m` prints for the runner's architecture. */
export const UNAME = hostGoArch() === 'amd64' ? 'x86_64' : 'aarch64';
const USER = 'puller';
const PASSWORD = 'pa55-standin-build';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with exactly `env`, and collects its output. */
export function runProgram(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Successful blob downloads (GET, 200) of `digest` in a registry's access log. */
export async function blobGets(reg: LocalRegistry, digest: string): Promise<number> {
  const log = await readFile(reg.logFile, 'utf8');
  return log
    .split('\n')
    .filter((l) => l.includes(`/blobs/${digest} HTTP/1.1" 200`) && l.includes('"GET ')).length;
}

/** A layer listing by path, without the trailing `/` of directories. */
export function byPath(files: LayerFile[]): Map<string, LayerFile> {
  return new Map(files.map((f) => [f.path.replace(/\/$/, ''), f]));
}

export interface StandinFixture {
  /** Needs Basic auth (the docker config has the credentials); holds `base/busybox:1`. */
  reg: LocalRegistry;
  /** No auth; empty at first. */
  mirror: LocalRegistry;
  binary: string;
  work: string;
  base: BusyboxImage;
  /** `<reg>/base/busybox:1` */
  baseRef: string;
  /** The linux/amd64 base's layer digests. */
  baseLayers: string[];
  /**
   * Writes a context (files by relative path) and runs the stand-in on it, with `--force`,
   * `--kaniko-dir=<work>/kaniko/<name>` and both registries as insecure.
   */
  build(
    name: string,
    files: Record<string, string>,
    args: string[],
  ): Promise<RunResult & { ctx: string; kanikoDir: string }>;
  /** The image a tag of `reg` points to: manifest digest, config, layer blobs and digests. */
  pushed(
    repo: string,
    ref: string,
  ): Promise<{ digest: string; config: ImageConfig; layers: Buffer[]; layerDigests: string[] }>;
  stop(): Promise<void>;
}

export async function startStandinFixture(): Promise<StandinFixture> {
  const [reg, mirror, binary, work] = await Promise.all([
    startRegistry({ auth: { username: USER, password: PASSWORD } }),
    startRegistry(),
    buildStandin(hostGoArch()),
    mkdtemp(path.join(tmpdir(), 'standin-build-')),
  ]);
  const dockerConfig = path.join(work, 'docker');
  await mkdir(dockerConfig);
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  await writeFile(
    path.join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [reg.host]: { auth } } }),
  );
  const base = await pushBusyboxImage(reg, 'base/busybox', '1');
  return {
    reg,
    mirror,
    binary,
    work,
    base,
    baseRef: `${reg.host}/base/busybox:1`,
    baseLayers: base.layerDigests['linux/amd64']!,
    async build(name, files, args) {
      const ctx = path.join(work, 'ctx', name);
      writeFiles(ctx, files);
      const kanikoDir = path.join(work, 'kaniko', name);
      const result = await runProgram(
        binary,
        [
          '--force',
          `--context=dir://${ctx}`,
          `--kaniko-dir=${kanikoDir}`,
          `--insecure-registry=${reg.host}`,
          `--insecure-registry=${mirror.host}`,
          ...args,
        ],
        { PATH: process.env.PATH, HOME: work, DOCKER_CONFIG: dockerConfig },
      );
      return { ...result, ctx, kanikoDir };
    },
    async pushed(repo, ref) {
      const m = await getManifest(reg, repo, ref);
      const manifest = m.json as { config: Descriptor; layers: Descriptor[] };
      const config = JSON.parse(
        (await getBlob(reg, repo, manifest.config.digest)).toString(),
      ) as ImageConfig;
      const layers = await Promise.all(manifest.layers.map((l) => getBlob(reg, repo, l.digest)));
      return {
        digest: m.digest,
        config,
        layers,
        layerDigests: manifest.layers.map((l) => l.digest),
      };
    },
    async stop() {
      await Promise.all([reg.stop(), mirror.stop()]);
      await rm(work, { recursive: true, force: true });
    },
  };
}
