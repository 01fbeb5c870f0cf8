/**
 * Stage 3, auth: the one owner of registry credentials. It reads the user's logins once (the
 * `username`/`password` inputs, else an existing docker config), hands them to the action's own
 * registry requests (`Logins.loginFor`), writes the credentials file that kaniko alone reads,
 * and removes it in the post step.
 *
 * A fresh directory under `RUNNER_TEMP` (mode 0700) holds one `config.json` (mode 0600) in the
 * shape docker and kaniko read: `{"auths":{"<key>":{"auth":"<base64 user:password>"}}}`, keyed
 * `https://index.docker.io/v1/` for Docker Hub and `host[:port]` otherwise. Without a
 * `username`/`password`, the `auths` of an existing docker config (e.g. written by
 * `docker/login-action`) are copied in; its `credsStore`/`credHelpers` never are, since the
 * helpers they name do not exist inside kaniko's root. Nothing is ever written to `~/.docker`.
 * The password and the base64 string are masked by `getInputs` before this runs.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { DOCKER_HUB_AUTH_KEY, type Inputs, type RegistryLogin } from '../contract.js';
import { basicAuth, isDockerHub } from '../lib/docker-hub.js';
import { ownedTempDir } from '../lib/owned-dirs.js';

/** The credentials file written for kaniko. */
export interface CredentialsFile {
  /** Fresh directory under RUNNER_TEMP, deleted by the post step. */
  dir: string;
  /** `config.json` inside it, mode 0600. */
  configPath: string;
}

/** One entry of `auths`, only the fields kaniko's keychain reads. */
export interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  auths: Record<string, AuthEntry>;
}

/** The name of a credentials directory under RUNNER_TEMP starts with this. */
export const DIR_PREFIX = 'kaniko-release-auth-';
const AUTH_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;
/** Fields whose values are secrets and are masked when reused from an existing config. */
const SECRET_FIELDS = ['auth', 'password', 'identitytoken', 'registrytoken'] as const;

/** The key docker and kaniko look up for a registry. */
export function authKey(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_AUTH_KEY : registry;
}

/** The `RUNNER_TEMP` directory, or an error saying the step must run on a runner. */
export function runnerTemp(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNNER_TEMP;
  if (!dir) {
    throw new Error(
      'RUNNER_TEMP is not set: the registry credentials are written only to the runner’s temporary directory. Run this action as a step of a GitHub Actions job (or set RUNNER_TEMP).',
    );
  }
  return path.resolve(dir);
}

/** Where docker keeps its config: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function existingConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/**
 * The usable `auths` of a parsed docker config: each entry keeps only the credential fields
 * (strings), entries with none are dropped (docker leaves `{}` placeholders when a
 * `credsStore` holds the real secret). Everything else in the file is ignored.
 */
export function reusableAuths(config: unknown): Record<string, AuthEntry> {
  const out: Record<string, AuthEntry> = {};
  if (!config || typeof config !== 'object') return out;
  const auths = (config as { auths?: unknown }).auths;
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) return out;
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const entry: AuthEntry = {};
    for (const field of AUTH_FIELDS) {
      const v = (value as Record<string, unknown>)[field];
      if (typeof v === 'string' && v !== '') entry[field] = v;
    }
    if (Object.keys(entry).length > 0) out[key] = entry;
  }
  return out;
}

/** The usable `auths` of the docker config at `file`, every secret masked; `{}` when none. */
function readExistingAuths(file: string): Record<string, AuthEntry> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read the existing docker config ${file}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The existing docker config ${file} is not valid JSON; fix or remove it, or give 'username' and 'password'.`,
      { cause: error },
    );
  }
  const auths = reusableAuths(parsed);
  for (const entry of Object.values(auths)) {
    for (const field of SECRET_FIELDS) {
      const v = entry[field];
      if (v) core.setSecret(v);
    }
  }
  return auths;
}

/** The host a docker config key names: `https://index.docker.io/v1/` → `index.docker.io`. */
function keyHost(key: string): string {
  return key
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

/** Whether two registry hosts are the same registry (any Docker Hub alias for Docker Hub). */
function sameRegistry(host: string, other: string): boolean {
  return isDockerHub(host) ? isDockerHub(other) : other.toLowerCase() === host.toLowerCase();
}

/** User name and password of one docker config entry, `undefined` when it holds none. */
function entryLogin(entry: AuthEntry): RegistryLogin | undefined {
  if (entry.username && entry.password) {
    return { username: entry.username, password: entry.password };
  }
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0 && colon < text.length - 1) {
      return { username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
  }
  return undefined;
}

export type LoginInputs = Pick<Inputs, 'registry' | 'username' | 'password'>;

/**
 * The user's registry logins for one run: `username`/`password` for `registry`, or, without
 * them, the `auths` of an existing docker config (e.g. from `docker/login-action`), read once.
 */
export class Logins {
  private existing: Record<string, AuthEntry> | undefined;

  constructor(
    readonly inputs: LoginInputs,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Whether `username` and `password` were given. */
  get given(): boolean {
    return this.inputs.username !== '' && this.inputs.password !== '';
  }

  /** Where an existing docker config is read from. */
  get existingPath(): string {
    return existingConfigPath(this.env);
  }

  /** The reusable `auths` of the existing docker config (`{}` with `username`/`password`). */
  reused(): Record<string, AuthEntry> {
    if (this.given) return {};
    this.existing ??= readExistingAuths(this.existingPath);
    return this.existing;
  }

  /** The login for a registry host (any Docker Hub alias for Docker Hub), if there is one. */
  loginFor(host: string): RegistryLogin | undefined {
    if (this.given) {
      if (!sameRegistry(host, this.inputs.registry)) return undefined;
      return { username: this.inputs.username, password: this.inputs.password };
    }
    for (const [key, entry] of Object.entries(this.reused())) {
      if (!sameRegistry(host, keyHost(key))) continue;
      const login = entryLogin(entry);
      if (login) {
        core.setSecret(basicAuth(login.username, login.password));
        return login;
      }
    }
    return undefined;
  }

  /**
   * Whether kaniko gets credentials for `host` that the action's own requests cannot use: an
   * identity or registry token (no user name and password) of an existing docker config.
   */
  opaqueFor(host: string): boolean {
    if (this.given) return false;
    return Object.entries(this.reused()).some(
      ([key, entry]) => sameRegistry(host, keyHost(key)) && entryLogin(entry) === undefined,
    );
  }

  /**
   * The docker config kaniko gets: with a username and password, exactly one entry for
   * `registry`; without, the reused auths as they are.
   */
  dockerConfig(): DockerConfig {
    const { registry, username, password } = this.inputs;
    if (this.given) {
      return { auths: { [authKey(registry)]: { auth: basicAuth(username, password) } } };
    }
    return { auths: { ...this.reused() } };
  }
}

/**
 * Writes the credentials file into a fresh directory under `RUNNER_TEMP`. The caller keeps
 * `dir` (and only `dir`) in state, so the post step can delete it.
 */
export async function writeCredentials(
  logins: Logins | LoginInputs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CredentialsFile> {
  const temp = runnerTemp(env);
  const source = logins instanceof Logins ? logins : new Logins(logins, env);
  if (!source.given) {
    const hosts = Object.keys(source.reused());
    core.info(
      hosts.length > 0
        ? `No 'username'/'password': reusing the docker logins of ${source.existingPath} for ${hosts.join(', ')}.`
        : `No 'username'/'password' and no docker login in ${source.existingPath}: kaniko pushes without credentials.`,
    );
  }
  const config = source.dockerConfig();

  const dir = await fs.mkdtemp(path.join(temp, DIR_PREFIX));
  try {
    await fs.chmod(dir, 0o700);
    const configPath = path.join(dir, 'config.json');
    await writeConfigFile(configPath, config);
    return { dir, configPath };
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw new Error(`Cannot write the registry credentials under ${temp}`, { cause: error });
  }
}

/**
 * Writes `config` as JSON to the new file `file`, mode 0600. 'wx' refuses to follow or reuse
 * anything already there; the mode applies at creation.
 */
async function writeConfigFile(file: string, config: DockerConfig): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(config) + '\n', 'utf8');
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
}

/**
 * Deletes a credentials directory written by `writeCredentials`: only a credentials directory
 * directly under `RUNNER_TEMP` (see `ownedTempDir`), so a corrupted state value can never
 * delete anything else.
 */
export async function removeCredentials(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await fs.rm(ownedTempDir(dir, DIR_PREFIX, runnerTemp(env)), { recursive: true, force: true });
}

/**
 * Adds the login of one more registry `host` (e.g. the job's base-image cache on the loopback)
 * to a credentials file written by `writeCredentials`, masking it first. The file is written
 * anew beside the old one (mode 0600) and renamed over it, so a reader never sees half of it.
 */
export async function addLogin(
  file: CredentialsFile,
  host: string,
  login: RegistryLogin,
): Promise<void> {
  const auth = basicAuth(login.username, login.password);
  core.setSecret(login.password);
  core.setSecret(auth);
  try {
    const config = JSON.parse(await fs.readFile(file.configPath, 'utf8')) as DockerConfig;
    config.auths = { ...config.auths, [authKey(host)]: { auth } };
    const next = path.join(file.dir, `config.json.${process.pid}.next`);
    await writeConfigFile(next, config);
    await fs.rename(next, file.configPath);
  } catch (error) {
    throw new Error(`Cannot add the login of ${host} to the credentials in ${file.dir}`, {
      cause: error,
    });
  }
}
