/**
 * Which client answers for which registry: tag lists of Docker Hub images come from the Docker
 * Hub API (`hub-api-url`), every other registry's from the OCI distribution API. Digests (the
 * pre-build "does this tag exist now?" check and the post-push check) always come from the
 * distribution API — for Docker Hub `registry-1.docker.io` — which is authoritative at once,
 * while the Hub API may lag behind a push.
 */
import { HubClient } from './hub-client.js';
import { Http, type HttpOptions } from './http.js';
import type { ImageRef } from './image-ref.js';
import type { Inputs } from './inputs.js';
import { RegistryClient, type Credentials } from './registry-client.js';

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

  constructor(
    private readonly inputs: LookupInputs,
    readonly http: Http = createHttp(inputs),
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

  /** Whether `<image>:<tag>` exists now. */
  async tagExists(ref: ImageRef, tag: string): Promise<boolean> {
    return (await this.digestOf(ref, tag)) !== null;
  }

  private credentialsFor(ref: ImageRef): Credentials | undefined {
    const { username, password, registry } = this.inputs;
    if (!username || !password) return undefined;
    // The credentials are for `registry`; images of this run all live there.
    return ref.registry === registry ? { username, password } : undefined;
  }

  private hubClient(): HubClient {
    const credentials =
      this.inputs.username && this.inputs.password
        ? { username: this.inputs.username, password: this.inputs.password }
        : undefined;
    this.hub ??= new HubClient(this.http, this.inputs.hubApiUrl, credentials);
    return this.hub;
  }

  private registryClient(ref: ImageRef): RegistryClient {
    let client = this.clients.get(ref.apiHost);
    if (!client) {
      client = new RegistryClient(this.http, ref.apiHost, this.credentialsFor(ref));
      this.clients.set(ref.apiHost, client);
    }
    return client;
  }
}

/** The registry lookups the build stage uses (pre-build and post-push checks). */
export function tagDigests(inputs: LookupInputs): Registries {
  return new Registries(inputs);
}
