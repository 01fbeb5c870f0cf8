/**
 * Which client answers for which registry: tag lists of Docker Hub images come from the Docker
 * Hub API (`hub-api-url`), every other registry's from the OCI distribution API. Digests (the
 * pre-build "does this tag exist now?" check and the post-push check) always come from the
 * distribution API — for Docker Hub `registry-1.docker.io` — which is authoritative at once,
 * while the Hub API may lag behind a push.
 */
import * as fs from 'node:fs';
import * as core from '@actions/core';
import { existingConfigPath, reusableAuths, type AuthEntry } from '../credentials/docker-config.js';
import { HubClient } from './hub-client.js';
import { Http, type HttpOptions } from './http.js';
import type { ImageRef } from '../versions/image-ref.js';
import { basicAuth, isDockerHub, type Inputs } from '../action/inputs.js';
import { RegistryClient, type Credentials } from './oci-client.js';

export interface RegistryLookups {
  /** Every tag of the image; `null` when its repository does not exist. */
  listTags(ref: ImageRef): Promise<string[] | null>;
  /** The digest the registry serves for `<image>:<tag>`, `null` when there is no such tag. */
  digestOf(ref: ImageRef, tag: string): Promise<string | null>;
}

export type LookupInputs = Pick<
  Inputs,
  'registry' | 'username' | 'password' | 'insecureRegistries' | 'caCertificates' | 'hubApiUrl'
>;

/** The action's HTTP layer, configured from the inputs. */
export function createHttp(
  inputs: Pick<Inputs, 'insecureRegistries' | 'caCertificates'>,
  options: Omit<HttpOptions, 'insecureRegistries' | 'caCertificates'> = {},
): Http {
  return new Http({
    insecureRegistries: inputs.insecureRegistries,
    caCertificates: inputs.caCertificates,
    ...options,
  });
}

/** The lookups for the images of one run, sharing one HTTP layer and one client per host. */
export class Registries implements RegistryLookups {
  private readonly clients = new Map<string, RegistryClient>();
  private hub: HubClient | undefined;
  private saved: Credentials | null | undefined;

  constructor(
    private readonly inputs: LookupInputs,
    readonly http: Http = createHttp(inputs),
    /** Where the docker config is looked for (`DOCKER_CONFIG`, `HOME`). */
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async listTags(ref: ImageRef): Promise<string[] | null> {
    if (ref.dockerHub) {
      const [namespace, ...rest] = ref.repository.split('/');
      return this.hubClient().listTags(namespace!, rest.join('/'));
    }
    return this.registryClient(ref).listTags(ref.repository);
  }

  async digestOf(ref: ImageRef, tag: string): Promise<string | null> {
    return this.registryClient(ref).manifestDigest(ref.repository, tag);
  }

  /**
   * The credentials for the run's registry: `username`/`password`, else those an earlier step
   * (e.g. `docker/login-action`) left in the docker config, as kaniko will use them too.
   */
  private credentialsFor(registry: string): Credentials | undefined {
    const { username, password } = this.inputs;
    // The inputs' credentials are for `registry`; images of this run all live there.
    if (registry !== this.inputs.registry) return undefined;
    if (username && password) return { username, password };
    this.saved ??= savedCredentials(registry, this.env);
    return this.saved ?? undefined;
  }

  private hubClient(): HubClient {
    this.hub ??= new HubClient(
      this.http,
      this.inputs.hubApiUrl,
      this.credentialsFor(this.inputs.registry),
    );
    return this.hub;
  }

  private registryClient(ref: ImageRef): RegistryClient {
    let client = this.clients.get(ref.apiHost);
    if (!client) {
      client = new RegistryClient(this.http, ref.apiHost, this.credentialsFor(ref.registry));
      this.clients.set(ref.apiHost, client);
    }
    return client;
  }
}

/** The registry lookups the build stage uses (pre-build and post-push checks). */
export function tagDigests(inputs: LookupInputs): Registries {
  return new Registries(inputs);
}

/** The host a docker config key names: `https://index.docker.io/v1/` → `index.docker.io`. */
function keyHost(key: string): string {
  return key
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

/** User name and password of one docker config entry, `null` when it holds none. */
function entryCredentials(entry: AuthEntry): Credentials | null {
  if (entry.username && entry.password)
    return { username: entry.username, password: entry.password };
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0 && colon < text.length - 1) {
      return { username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
  }
  return null;
}

/**
 * The credentials an existing docker config holds for `registry` (any Docker Hub alias for
 * Docker Hub), `null` when there are none or the file cannot be read.
 */
export function savedCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Credentials | null {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(existingConfigPath(env), 'utf8'));
  } catch {
    return null;
  }
  const wanted = (host: string): boolean =>
    isDockerHub(registry) ? isDockerHub(host) : host === registry.toLowerCase();
  for (const [key, entry] of Object.entries(reusableAuths(config))) {
    if (!wanted(keyHost(key))) continue;
    const credentials = entryCredentials(entry);
    if (credentials) {
      core.setSecret(credentials.password);
      core.setSecret(basicAuth(credentials.username, credentials.password));
      return credentials;
    }
  }
  return null;
}
