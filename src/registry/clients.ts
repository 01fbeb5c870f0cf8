/**
 * The one factory of registry clients with the user's credentials: the version lookups, the
 * pre-build and post-push checks, the executor install and the release of built images all get
 * their clients here, over one HTTP layer, one client per registry host, with the login
 * `credentials/` has for that host.
 *
 * Tag lists of Docker Hub images come from the Docker Hub API (`hub-api-url`), every other
 * registry's from the OCI distribution API. Digests always come from the distribution API — for
 * Docker Hub `registry-1.docker.io` — which is authoritative at once, while the Hub API may lag
 * behind a push.
 */
import { Defaults, type ImageRef, type Inputs } from '../contract.js';
import { Logins, type LoginInputs } from '../credentials/docker-config.js';
import { HubClient } from './hub-client.js';
import { Http, type HttpOptions } from './http.js';
import { RegistryClient } from './oci-client.js';
import { RegistryPusher, type PusherOptions } from './push.js';

export interface RegistryLookups {
  /** Every tag of the image; `null` when its repository does not exist. */
  listTags(ref: ImageRef): Promise<string[] | null>;
  /** The digest the registry serves for `<image>:<tag>`, `null` when there is no such tag. */
  digestOf(ref: ImageRef, tag: string): Promise<string | null>;
}

export type RegistryInputs = LoginInputs &
  Pick<Inputs, 'insecureRegistries' | 'caCertificates'> &
  Partial<Pick<Inputs, 'hubApiUrl'>>;

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

/** The registry clients of one run, sharing one HTTP layer and one client per host. */
export class Registries implements RegistryLookups {
  private readonly clients = new Map<string, RegistryClient>();
  private readonly pushers = new Map<string, RegistryPusher>();
  private hub: HubClient | undefined;
  readonly logins: Logins;

  constructor(
    private readonly inputs: RegistryInputs,
    readonly http: Http = createHttp(inputs),
    /** The user's logins; default: read from the inputs and the docker config of `env`. */
    logins?: Logins,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.logins = logins ?? new Logins(inputs, env);
  }

  /** The distribution API client of a host (`apiHost`), logged in as the user is there. */
  client(apiHost: string): RegistryClient {
    let client = this.clients.get(apiHost);
    if (!client) {
      client = new RegistryClient(this.http, apiHost, this.logins.loginFor(apiHost));
      this.clients.set(apiHost, client);
    }
    return client;
  }

  /**
   * The push client of a host, sharing the session (login and tokens) of its reading client;
   * one per host, so it remembers where this run has seen each blob.
   */
  pusher(apiHost: string, options?: PusherOptions): RegistryPusher {
    let pusher = this.pushers.get(apiHost);
    if (!pusher) {
      pusher = new RegistryPusher(this.client(apiHost).session, options);
      this.pushers.set(apiHost, pusher);
    }
    return pusher;
  }

  /** The Docker Hub API client (`hub-api-url`), logged in as the user is on Docker Hub. */
  hubClient(): HubClient {
    this.hub ??= new HubClient(
      this.http,
      this.inputs.hubApiUrl ?? Defaults.hubApiUrl,
      this.logins.loginFor('docker.io'),
    );
    return this.hub;
  }

  async listTags(ref: ImageRef): Promise<string[] | null> {
    if (ref.dockerHub) {
      const [namespace, ...rest] = ref.repository.split('/');
      return this.hubClient().listTags(namespace!, rest.join('/'));
    }
    return this.client(ref.apiHost).listTags(ref.repository);
  }

  async digestOf(ref: ImageRef, tag: string): Promise<string | null> {
    return this.client(ref.apiHost).manifestDigest(ref.repository, tag);
  }

  /** Closes the connections of the HTTP layer. */
  close(): Promise<void> {
    return this.http.close();
  }
}
