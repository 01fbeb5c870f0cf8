import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  MEDIA_TYPES,
  makeLayer,
  pushOciImage,
  putManifest,
  sha256Digest,
  type Descriptor,
  type Layer,
  type TarEntry,
} from './oci-image.js';
import {
  installExecutor,
  type InstallOptions,
  type InstalledExecutor,
} from '../../src/executor/install.js';
import type { LocalRegistry } from './registry.js';

export { pushOciImage, tamperBlob } from './oci-image.js';

const execFileAsync = promisify(execFile);

export type GoArch = 'amd64' | 'arm64';

/**
 * The repository root: the nearest directory above this module that holds package.json, so the
 * paths below also hold when this module is bundled elsewhere (the benchmarks bundle it into
 * .bench/).
 */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('test/support/standin.ts: no package.json above this module');
    dir = up;
  }
  return dir;
}

/** Go sources of the stand-in executor. */
export const STANDIN_SOURCE_DIR = path.join(repositoryRoot(), 'test', 'standin') + path.sep;
const CACHE_DIR = path.join(repositoryRoot(), 'test', '.cache') + path.sep;

/** The line the stand-in prints once at the start of every run. */
export const STANDIN_START = 'standin: a stand-in for the kaniko executor';

/** How many times the stand-in started in a run's stdout (one `STANDIN_START` line each). */
export function executorRuns(run: { stdout: string }): number {
  return run.stdout.split('\n').filter((l) => l.includes(STANDIN_START)).length;
}

/**
 * A Dockerfile `FROM scratch` with each of `directives` as a `# standin:<directive>` line, then
 * `COPY . /app`.
 */
export function dockerfile(...directives: string[]): string {
  return ['FROM scratch', ...directives.map((d) => `# standin:${d}`), 'COPY . /app', ''].join('\n');
}

/** The Go architecture of this machine. */
export function hostGoArch(): GoArch {
  if (process.arch === 'x64') return 'amd64';
  if (process.arch === 'arm64') return 'arm64';
  throw new Error(`no stand-in executor for ${process.arch}`);
}

/** sha256 of go.mod and the non-test Go files, which is all that goes into the binary. */
async function sourcesHash(): Promise<string> {
  const names = (await readdir(STANDIN_SOURCE_DIR))
    .filter((n) => n === 'go.mod' || (n.endsWith('.go') && !n.endsWith('_test.go')))
    .sort();
  const hash = createHash('sha256');
  for (const name of names) {
    hash.update(`${name}\0`);
    hash.update(await readFile(path.join(STANDIN_SOURCE_DIR, name)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Compiles the stand-in executor for linux/`goarch` (static, CGO_ENABLED=0) into
 * `test/.cache/standin-<goarch>`, unless the binary there was built from the same sources.
 * Returns the binary's path. Safe to call from parallel test workers.
 */
export async function buildStandin(goarch: GoArch): Promise<string> {
  const hash = await sourcesHash();
  const binary = path.join(CACHE_DIR, `standin-${goarch}`);
  const stamp = `${binary}.sha256`;
  if ((await readFile(stamp, 'utf8').catch(() => '')) === hash) return binary;
  await mkdir(CACHE_DIR, { recursive: true });
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CGO_ENABLED: '0',
    GOOS: 'linux',
    GOARCH: goarch,
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
  };
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME)
    env.GOCACHE = path.join(CACHE_DIR, 'go-build');
  try {
    await execFileAsync(
      'go',
      ['build', '-trimpath', '-ldflags=-s -w', '-o', binary + suffix, '.'],
      {
        cwd: STANDIN_SOURCE_DIR,
        env,
      },
    );
  } catch (cause) {
    await rm(binary + suffix, { force: true });
    throw new Error(`could not build the stand-in executor for ${goarch}`, { cause });
  }
  // Binary first, stamp second: a stamp never vouches for an older binary.
  await rename(binary + suffix, binary);
  await writeFile(stamp + suffix, hash);
  await rename(stamp + suffix, stamp);
  return binary;
}

/** The environment of kaniko's executor image (from its deploy/Dockerfile). */
export const KANIKO_IMAGE_ENV = [
  'HOME=/root',
  'USER=root',
  'PATH=/usr/local/bin:/kaniko',
  'SSL_CERT_DIR=/kaniko/ssl/certs',
  'DOCKER_CONFIG=/kaniko/.docker/',
  'DOCKER_CREDENTIAL_GCR_CONFIG=/kaniko/.config/gcloud/docker_credential_gcr_config.json',
];

const NSSWITCH = 'hosts: files dns\npasswd: files\ngroup: files\n';
const CREATED = '2020-01-01T00:00:00Z';

/** Layer 1: kaniko's layout without busybox, plus two files that layer 2 removes. */
async function layoutLayer(goarch: GoArch): Promise<Layer> {
  const executor = await readFile(await buildStandin(goarch));
  const caBundle = await readFile('/etc/ssl/certs/ca-certificates.crt');
  const entries: TarEntry[] = [
    { path: 'etc', type: 'dir' },
    { path: 'etc/nsswitch.conf', content: NSSWITCH },
    { path: 'kaniko', type: 'dir', mode: 0o777 },
    { path: 'kaniko/.docker', type: 'dir' },
    { path: 'kaniko/executor', content: executor, mode: 0o755 },
    { path: 'kaniko/junk', type: 'dir' },
    { path: 'kaniko/junk/old.txt', content: 'removed by the opaque whiteout of layer 2\n' },
    { path: 'kaniko/remove-me.txt', content: 'removed by a whiteout in layer 2\n' },
    { path: 'kaniko/ssl', type: 'dir' },
    { path: 'kaniko/ssl/certs', type: 'dir' },
    { path: 'kaniko/ssl/certs/ca-certificates.crt', content: caBundle },
    { path: 'workspace', type: 'dir' },
  ];
  return makeLayer(entries);
}

/** Layer 2: a whiteout and an opaque whiteout with a new file in the emptied directory. */
function whiteoutLayer(): Promise<Layer> {
  return makeLayer([
    { path: 'kaniko', type: 'dir', mode: 0o777 },
    { path: 'kaniko/.wh.remove-me.txt' },
    { path: 'kaniko/junk', type: 'dir' },
    { path: 'kaniko/junk/.wh..wh..opq' },
    { path: 'kaniko/junk/new.txt', content: 'added by layer 2\n' },
  ]);
}

/** Layers per architecture, built once per test process (they are reproducible anyway). */
const layerCache = new Map<GoArch, Promise<Layer[]>>();

function standinLayers(goarch: GoArch): Promise<Layer[]> {
  let layers = layerCache.get(goarch);
  if (!layers) {
    layers = Promise.all([layoutLayer(goarch), whiteoutLayer()]);
    layerCache.set(goarch, layers);
    layers.catch(() => layerCache.delete(goarch));
  }
  return layers;
}

const PLATFORMS: Record<GoArch, { os: string; architecture: string; variant?: string }> = {
  amd64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};

export interface StandinManifest {
  /** `linux/amd64` or `linux/arm64/v8`. */
  platform: string;
  digest: string;
  configDigest: string;
  layerDigests: string[];
}

export interface StandinImage {
  indexDigest: string;
  /** The two platform images, amd64 first. */
  manifests: StandinManifest[];
  /** The attestation manifests (platform unknown/unknown), and the image each describes. */
  attestations: { digest: string; refersTo: string }[];
  /** Every distinct layer digest of the platform images. */
  layerDigests: string[];
}

/** Pushes a buildx-style attestation manifest for one platform image, by digest. */
async function pushAttestation(
  reg: LocalRegistry,
  repo: string,
  subject: string,
  platform: string,
): Promise<{ digest: string; size: number }> {
  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [
        {
          name: `pkg:docker/${repo}?platform=${encodeURIComponent(platform)}`,
          digest: { sha256: subject.replace(/^sha256:/, '') },
        },
      ],
      predicate: { builder: { id: 'kaniko-release test support' } },
    }),
  );
  const pushed = await pushOciImage(
    reg,
    repo,
    '',
    [
      {
        data: statement,
        mediaType: MEDIA_TYPES.inToto,
        diffId: sha256Digest(statement),
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      },
    ],
    { architecture: 'unknown', os: 'unknown', config: {} },
  );
  return { digest: pushed.digest, size: pushed.size };
}

/**
 * Pushes a fake kaniko executor image to `repo:tag`: an OCI index of linux/amd64 and
 * linux/arm64/v8 images, each with its attestation manifest. Each image has two gzip layers
 * (kaniko's layout with the stand-in as `/kaniko/executor`, then whiteouts) and a config like
 * kaniko's (Env, `Entrypoint: ["/kaniko/executor"]`, `WorkingDir: /workspace`).
 */
export async function pushStandinImage(
  reg: LocalRegistry,
  repo: string,
  tag: string,
): Promise<StandinImage> {
  const manifests: StandinManifest[] = [];
  const attestations: StandinImage['attestations'] = [];
  const indexEntries: Descriptor[] = [];
  const attestationEntries: Descriptor[] = [];
  for (const goarch of ['amd64', 'arm64'] as const) {
    const platform = PLATFORMS[goarch];
    const layers = await standinLayers(goarch);
    const config = {
      ...platform,
      created: CREATED,
      config: {
        Env: KANIKO_IMAGE_ENV,
        Entrypoint: ['/kaniko/executor'],
        WorkingDir: '/workspace',
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: [
        { created: CREATED, created_by: 'COPY kaniko layout / # buildkit' },
        { created: CREATED, created_by: 'RUN rm -rf /kaniko/remove-me.txt /kaniko/junk/*' },
      ],
    };
    const image = await pushOciImage(reg, repo, '', layers, config);
    const platformName = [platform.os, platform.architecture, platform.variant]
      .filter(Boolean)
      .join('/');
    manifests.push({
      platform: platformName,
      digest: image.digest,
      configDigest: image.configDigest,
      layerDigests: image.layerDigests,
    });
    indexEntries.push({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.size,
      platform,
    });
    const attestation = await pushAttestation(reg, repo, image.digest, platformName);
    attestations.push({ digest: attestation.digest, refersTo: image.digest });
    attestationEntries.push({
      mediaType: MEDIA_TYPES.ociManifest,
      digest: attestation.digest,
      size: attestation.size,
      annotations: {
        'vnd.docker.reference.digest': image.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  }
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [...indexEntries, ...attestationEntries],
    }),
  );
  const indexDigest = await putManifest(reg, repo, tag, index, MEDIA_TYPES.ociIndex);
  return {
    indexDigest,
    manifests,
    attestations,
    layerDigests: [...new Set(manifests.flatMap((m) => m.layerDigests))],
  };
}

/**
 * Installs the stand-in executor pushed as `tools/kaniko:v1` to `reg`, as the action installs
 * its executor (into RUNNER_TOOL_CACHE, without credentials).
 */
export function installPushedStandin(
  reg: LocalRegistry,
  options: InstallOptions = {},
): Promise<InstalledExecutor> {
  return installExecutor(
    {
      executorImage: `${reg.host}/tools/kaniko:v1`,
      registry: reg.host,
      username: '',
      password: '',
      insecureRegistries: [reg.host],
      caCertificates: '',
    },
    { log: () => undefined, ...options },
  );
}
