/**
 * The action's vocabulary, in one leaf that imports nothing of the project: the names of its
 * inputs, outputs and saved state, the defaults of the contract, the typed `Inputs`, the
 * error a bad input raises, and the plain data that flows from one stage to the next.
 */

export const Input = {
  Patterns: 'patterns',
  Dockerfile: 'dockerfile',
  Directories: 'directories',
  Context: 'context',
  BuildAll: 'build-all',
  Base: 'base',
  Head: 'head',
  Registry: 'registry',
  Namespace: 'namespace',
  Username: 'username',
  Password: 'password',
  Version: 'version',
  DefaultVersion: 'default-version',
  Bump: 'bump',
  Latest: 'latest',
  Tags: 'tags',
  Platforms: 'platforms',
  SkipUnchanged: 'skip-unchanged',
  Push: 'push',
  BuildArgs: 'build-args',
  Target: 'target',
  Labels: 'labels',
  Cache: 'cache',
  CacheRepo: 'cache-repo',
  ExtraArgs: 'extra-args',
  ExecutorImage: 'executor-image',
  Runtime: 'runtime',
  Memory: 'memory',
  Cpus: 'cpus',
  Parallel: 'parallel',
  InsecureRegistries: 'insecure-registries',
  CaCertificates: 'ca-certificates',
  HubApiUrl: 'hub-api-url',
  FailFast: 'fail-fast',
  Summary: 'summary',
  CommitStatus: 'commit-status',
  GithubToken: 'github-token',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

/** The inputs the plan action takes (every other input belongs to the root action alone). */
export const PLAN_INPUTS: readonly InputName[] = [
  Input.Patterns,
  Input.Dockerfile,
  Input.Context,
  Input.Directories,
  Input.BuildAll,
  Input.Base,
  Input.Head,
  Input.Registry,
  Input.Namespace,
  Input.Username,
  Input.Password,
  Input.Version,
  Input.DefaultVersion,
  Input.Bump,
  Input.BuildArgs,
  Input.InsecureRegistries,
  Input.CaCertificates,
  Input.HubApiUrl,
  Input.Summary,
];

export const Output = {
  Changed: 'changed',
  Directories: 'directories',
  Matrix: 'matrix',
  Waves: 'waves',
  Images: 'images',
} as const;

export const State = {
  /** Directory under RUNNER_TEMP that holds the credentials file; deleted by the post step. */
  CredentialsDir: 'credentials-dir',
  /** Directory under RUNNER_TEMP that holds the builds' bundles and outputs; deleted by the post step. */
  WorkDir: 'work-dir',
  /** JSON array of the ids of every container started, each saved before it starts. */
  Containers: 'containers',
  /** Directory under RUNNER_TEMP that holds the base-image cache's blobs; deleted by the post step. */
  BaseCacheDir: 'base-cache-dir',
} as const;

/** Defaults of the contract, also used when an input is absent from the environment. */
export const Defaults = {
  patterns: '*',
  dockerfile: 'Dockerfile',
  registry: 'docker.io',
  defaultVersion: 'v1.0.0',
  bump: 'patch',
  latest: 'true',
  push: 'true',
  buildAll: 'false',
  skipUnchanged: 'false',
  cache: 'false',
  runtime: 'auto',
  parallel: '1',
  hubApiUrl: 'https://hub.docker.com',
  failFast: 'false',
  summary: 'true',
  commitStatus: 'false',
  githubToken: '${{ github.token }}',
  /**
   * The newest release tag of the maintained kaniko fork (osscontainertools/kaniko). Users pin
   * bytes with `executor-image: <registry>/<repo>:<tag>@sha256:<digest>` (the digest is verified).
   */
  executorImage: 'ghcr.io/osscontainertools/kaniko:v1.28.3',
} as const;

/** Every input's default as `action.yml` spells it (`''`: none), input by input. */
export const INPUT_DEFAULTS: Readonly<Record<InputName, string>> = {
  [Input.Patterns]: Defaults.patterns,
  [Input.Dockerfile]: Defaults.dockerfile,
  [Input.Directories]: '',
  [Input.Context]: '',
  [Input.BuildAll]: Defaults.buildAll,
  [Input.Base]: '',
  [Input.Head]: '',
  [Input.Registry]: Defaults.registry,
  [Input.Namespace]: '',
  [Input.Username]: '',
  [Input.Password]: '',
  [Input.Version]: '',
  [Input.DefaultVersion]: Defaults.defaultVersion,
  [Input.Bump]: Defaults.bump,
  [Input.Latest]: Defaults.latest,
  [Input.Tags]: '',
  [Input.Platforms]: '',
  [Input.SkipUnchanged]: Defaults.skipUnchanged,
  [Input.Push]: Defaults.push,
  [Input.BuildArgs]: '',
  [Input.Target]: '',
  [Input.Labels]: '',
  [Input.Cache]: Defaults.cache,
  [Input.CacheRepo]: '',
  [Input.ExtraArgs]: '',
  [Input.ExecutorImage]: Defaults.executorImage,
  [Input.Runtime]: Defaults.runtime,
  [Input.Memory]: '',
  [Input.Cpus]: '',
  [Input.Parallel]: Defaults.parallel,
  [Input.InsecureRegistries]: '',
  [Input.CaCertificates]: '',
  [Input.HubApiUrl]: Defaults.hubApiUrl,
  [Input.FailFast]: Defaults.failFast,
  [Input.Summary]: Defaults.summary,
  [Input.CommitStatus]: Defaults.commitStatus,
  [Input.GithubToken]: Defaults.githubToken,
};

/** Hosts that all mean Docker Hub. */
export const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io', 'registry-1.docker.io'] as const;
/** The key docker and kaniko look up in config.json for Docker Hub. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
/** The host that serves Docker Hub's distribution API. */
export const DOCKER_HUB_REGISTRY_HOST = 'registry-1.docker.io';

export type Bump = 'patch' | 'minor' | 'major';
/** `auto`, `runc`, `crun`, or an absolute path to an OCI runtime binary. */
export type RuntimeChoice = string;
export type Mode = 'main' | 'plan';

export interface Inputs {
  patterns: string[];
  dockerfile: string;
  directories: string[];
  /** The build context of every image, relative to the repository root; `''`: its directory. */
  context: string;
  buildAll: boolean;
  base: string;
  head: string;
  /** `host[:port]`, lower-cased; every Docker Hub alias becomes `docker.io`. */
  registry: string;
  namespace: string;
  username: string;
  password: string;
  /** Explicit version for every image, or `''` to look it up. */
  version: string;
  defaultVersion: string;
  bump: Bump;
  latest: boolean;
  /** Extra tag templates, one per line, e.g. `{{prefix}}{{major}}`. */
  tags: string[];
  /** `os/arch[/variant]` entries, lower-cased, without duplicates; `[]`: the runner's. */
  platforms: string[];
  skipUnchanged: boolean;
  push: boolean;
  /** `KEY=VALUE` entries. */
  buildArgs: string[];
  target: string;
  /** `KEY=VALUE` entries. */
  labels: string[];
  cache: boolean;
  cacheRepo: string;
  extraArgs: string[];
  executorImage: string;
  runtime: RuntimeChoice;
  /** Memory limit of each build in bytes; `0`: none. */
  memoryBytes: number;
  /** CPU limit of each build (e.g. `1.5`); `0`: none. */
  cpus: number;
  parallel: number;
  /** `host[:port]` entries, lower-cased; Docker Hub aliases normalised to `docker.io`. */
  insecureRegistries: string[];
  /** PEM text of extra CA certificates, `''` when none. */
  caCertificates: string;
  /** Base URL without a trailing slash. */
  hubApiUrl: string;
  failFast: boolean;
  summary: boolean;
  commitStatus: boolean;
  githubToken: string;
}

/** A bad input value. Its message names the input, the value and what is accepted. */
export class InputError extends Error {
  constructor(
    readonly input: InputName,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

/** Every bad input of a run, reported together. */
export class InputErrors extends Error {
  constructor(readonly errors: readonly InputError[]) {
    super(
      errors.length === 1
        ? errors[0]!.message
        : `${errors.length} inputs are not valid:\n${errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
    this.name = 'InputErrors';
  }
}

/** A user name and password (or token) for one registry. */
export interface RegistryLogin {
  username: string;
  password: string;
}

/** Where an image lives. */
export interface ImageRef {
  /** Registry as the user named it (`docker.io`, `ghcr.io`, `localhost:5000`). */
  registry: string;
  /** Repository path on the registry: `<namespace>/<name>`. */
  repository: string;
  /** Full reference without a tag: `<registry>/<namespace>/<name>`. */
  reference: string;
  /** Host that serves the distribution API (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  dockerHub: boolean;
}

/** Why a directory is built (the `reason` of the `images` output). */
export type BuildReason = 'changed' | 'requested' | 'build-all' | `base ${string} changed`;

/** A directory to build, why, and in which wave. */
export interface BuildTarget {
  directory: string;
  reason: BuildReason;
  /** The build wave: 0 for images that depend on no other image being built. */
  wave: number;
  /** The directories of the images being built that this one is built from; none when absent. */
  bases?: string[];
}

/** One directory to build, with the version it gets. */
export interface ImagePlan extends BuildTarget {
  /** Image name derived from the directory. */
  name: string;
  ref: ImageRef;
  version: string;
  /** The version that was bumped, `''` for a new image or an explicit `version`. */
  previous: string;
}

/** A directory that cannot be built at all, and why. */
export interface DirectoryFailure {
  directory: string;
  error: string;
}

export type ImageStatus = 'pushed' | 'built' | 'unchanged' | 'failed' | 'skipped';

/** What became of one directory. */
export interface ImageResult {
  directory: string;
  /** Full reference without a tag. */
  image: string;
  version: string;
  previous: string;
  /** Tags pushed (or that would have been pushed). */
  tags: string[];
  /** `sha256:…` of the built manifest (or index with `platforms`), `''` when none. */
  digest: string;
  /** Platform → manifest digest, `{}` for a single-platform image. */
  platforms: Record<string, string>;
  reason: BuildReason | '';
  status: ImageStatus;
  /** Why it failed or was skipped, `''` otherwise. */
  error: string;
  durationMs: number;
  /** Link to the image's page (Docker Hub) once it was pushed, `''` when none. */
  webUrl: string;
}

/** One entry of the `images` output: a result without what only the log and summary show. */
export type ImageOutput = Omit<ImageResult, 'durationMs' | 'webUrl'>;
