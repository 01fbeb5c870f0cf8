import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MANIFEST_ACCEPT, makeLayer, pushOciImage, putManifest } from './oci-image.js';

const execFileAsync = promisify(execFile);

/** Debian's build of distribution (CNCF registry) 2.8. */
const REGISTRY_BINARY = '/usr/bin/docker-registry';
/** The registry dies by itself after this many seconds, even if the test process is killed. */
const HARD_TIMEOUT_SECONDS = 900;
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 30_000;

/** A real registry on 127.0.0.1, started for one test file. */
export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as used in image references. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  username?: string;
  password?: string;
  /** `{ Authorization: 'Basic …' }` when the registry has auth, else `{}`. */
  authHeader(): Record<string, string>;
  /** Stops the registry, waits until its processes are gone, and deletes its files. */
  stop(): Promise<void>;
  /** Root of the filesystem storage (`docker/registry/v2/…` lies below it). */
  dataDir: string;
  /** The registry's stdout and stderr. */
  logFile: string;
  /** Pid of the `timeout` process that wraps the registry. */
  pid: number;
}

export interface RegistryOptions {
  /** Require HTTP Basic auth (htpasswd) with these credentials. */
  auth?: { username: string; password: string };
}

/**
 * Registries still running, killed when the test process exits. Kept on globalThis so that a
 * module graph re-evaluated for every test file registers one exit handler, not one each.
 */
const RUNNING_KEY = Symbol.for('kaniko-release.test.registries');
const running: Set<ChildProcess> =
  ((globalThis as Record<symbol, unknown>)[RUNNING_KEY] as Set<ChildProcess> | undefined) ??
  registerExitHandler();

function registerExitHandler(): Set<ChildProcess> {
  const set = new Set<ChildProcess>();
  (globalThis as Record<symbol, unknown>)[RUNNING_KEY] = set;
  process.once('exit', () => {
    for (const child of set) child.kill('SIGTERM');
  });
  return set;
}

/** Starts `docker-registry serve` with its own config in a fresh temp dir. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<LocalRegistry> {
  const root = await mkdtemp(path.join(tmpdir(), 'kaniko-release-registry-'));
  try {
    const dataDir = path.join(root, 'data');
    let htpasswdFile: string | undefined;
    if (opts.auth) {
      htpasswdFile = path.join(root, 'htpasswd');
      const { stdout } = await execFileAsync('htpasswd', [
        '-Bbn',
        opts.auth.username,
        opts.auth.password,
      ]);
      await writeFile(htpasswdFile, stdout.trim() + '\n', { mode: 0o600 });
    }
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await launch(root, dataDir, port, htpasswdFile, attempt);
      if (started !== 'port-taken') return describe(started, port, dataDir, root, opts.auth);
      if (attempt >= START_ATTEMPTS) throw new Error(`no free port after ${attempt} attempts`);
    }
  } catch (cause) {
    await rm(root, { recursive: true, force: true });
    throw new Error('could not start the local registry', { cause });
  }
}

interface Launched {
  child: ChildProcess;
  exited: Promise<void>;
  logFile: string;
}

async function launch(
  root: string,
  dataDir: string,
  port: number,
  htpasswdFile: string | undefined,
  attempt: number,
): Promise<Launched | 'port-taken'> {
  const configFile = path.join(root, `config-${attempt}.yml`);
  const logFile = path.join(root, `registry-${attempt}.log`);
  await writeFile(configFile, registryConfig(port, dataDir, htpasswdFile));
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'timeout',
      ['-k', '5', String(HARD_TIMEOUT_SECONDS), REGISTRY_BINARY, 'serve', configFile],
      { stdio: ['ignore', logFd, logFd] },
    );
  } finally {
    closeSync(logFd);
  }
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  let outcome: 'ready' | 'exited' | Error;
  try {
    outcome = await Promise.race([waitReady(port, logFile, exited), spawnFailed]);
  } catch (cause) {
    child.kill('SIGTERM');
    await exited;
    throw cause;
  }
  if (outcome instanceof Error) {
    running.delete(child);
    throw new Error(`could not run ${REGISTRY_BINARY} under timeout`, { cause: outcome });
  }
  if (outcome === 'ready') return { child, exited, logFile };
  const log = await readFile(logFile, 'utf8').catch(() => '');
  if (/address already in use/.test(log)) return 'port-taken';
  throw new Error(`registry exited during start-up; its log:\n${log.slice(-2000)}`);
}

/** Waits until the registry logs that it listens on our port and answers `/v2/`. */
async function waitReady(
  port: number,
  logFile: string,
  exited: Promise<void>,
): Promise<'ready' | 'exited'> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) return 'exited';
    const log = await readFile(logFile, 'utf8').catch(() => '');
    if (log.includes(`listening on 127.0.0.1:${port}`)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v2/`, {
          signal: AbortSignal.timeout(2000),
        });
        await res.arrayBuffer();
        if (res.status === 200 || res.status === 401) return hasExited ? 'exited' : 'ready';
      } catch {
        // not answering yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`registry did not become ready within ${READY_TIMEOUT_MS} ms`);
}

function describe(
  launched: Launched,
  port: number,
  dataDir: string,
  root: string,
  auth: RegistryOptions['auth'],
): LocalRegistry {
  const { child, exited, logFile } = launched;
  let stopping: Promise<void> | undefined;
  const header: Record<string, string> = auth
    ? {
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      }
    : {};
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    username: auth?.username,
    password: auth?.password,
    authHeader: () => ({ ...header }),
    dataDir,
    logFile,
    pid: child.pid ?? -1,
    stop() {
      stopping ??= (async () => {
        // `timeout` passes SIGTERM on to the registry and exits once the registry has exited
        // (sending SIGKILL after 5 s if needed).
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        await rm(root, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function registryConfig(port: number, dataDir: string, htpasswdFile: string | undefined): string {
  // JSON strings are valid YAML double-quoted scalars.
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(dataDir)}`,
    '  delete:',
    '    enabled: true',
    '  redirect:',
    '    disable: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    'health:',
    '  storagedriver:',
    '    enabled: false',
  ];
  if (htpasswdFile) {
    lines.push('auth:', '  htpasswd:', '    realm: local-registry');
    lines.push(`    path: ${JSON.stringify(htpasswdFile)}`);
  }
  return lines.join('\n') + '\n';
}

/** A port that was free a moment ago (the registry may still lose a race for it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Pushes a tiny, random, valid OCI image (a config and one gzip layer) to `repo` and tags it
 * with every tag. Returns the manifest digest.
 */
export async function pushRandomImage(
  reg: LocalRegistry,
  repo: string,
  tags: string[],
): Promise<string> {
  const layer = await makeLayer([
    { path: 'random.txt', content: `${randomBytes(16).toString('hex')}\n` },
  ]);
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
  };
  const [first, ...rest] = tags;
  const image = await pushOciImage(reg, repo, first ?? '', [layer], config);
  for (const tag of rest) {
    await putManifest(reg, repo, tag, image.manifest, image.mediaType);
  }
  return image.digest;
}

/**
 * Every tag of `repo` (in the registry's order), following `Link` pages should a registry send
 * them (distribution 2.8 sends every tag at once); `[]` when the repository does not exist.
 */
export async function listTags(reg: LocalRegistry, repo: string): Promise<string[]> {
  const tags: string[] = [];
  let next: string | undefined = `${reg.url}/v2/${repo}/tags/list?n=100`;
  while (next) {
    const res = await fetch(next, { headers: reg.authHeader() });
    if (res.status === 404) {
      await res.arrayBuffer();
      return [];
    }
    if (!res.ok) throw new Error(`GET ${next}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { tags?: string[] | null };
    tags.push(...(body.tags ?? []));
    const link = /<([^>]+)>;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
    next = link?.[1] ? new URL(link[1], reg.url).toString() : undefined;
  }
  return tags;
}

/** The registry's digest for `repo:tag` (HEAD, `Docker-Content-Digest`); undefined on 404. */
export async function manifestDigest(
  reg: LocalRegistry,
  repo: string,
  tag: string,
): Promise<string | undefined> {
  const url = `${reg.url}/v2/${repo}/manifests/${tag}`;
  const res = await fetch(url, {
    method: 'HEAD',
    headers: { ...reg.authHeader(), Accept: MANIFEST_ACCEPT },
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HEAD ${url}: ${res.status}`);
  const digest = res.headers.get('docker-content-digest');
  if (!digest) throw new Error(`HEAD ${url}: no Docker-Content-Digest header`);
  return digest;
}
