/** Names of the action's inputs, outputs and saved state: the one place they are spelled. */

export const Input = {
  Patterns: 'patterns',
  Dockerfile: 'dockerfile',
  Directories: 'directories',
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
  Push: 'push',
  BuildArgs: 'build-args',
  Target: 'target',
  Labels: 'labels',
  Cache: 'cache',
  CacheRepo: 'cache-repo',
  ExtraArgs: 'extra-args',
  ExecutorImage: 'executor-image',
  Runtime: 'runtime',
  Parallel: 'parallel',
  InsecureRegistries: 'insecure-registries',
  CaCertificates: 'ca-certificates',
  HubApiUrl: 'hub-api-url',
  FailFast: 'fail-fast',
  Summary: 'summary',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

export const Output = {
  Changed: 'changed',
  Directories: 'directories',
  Matrix: 'matrix',
  Images: 'images',
} as const;

export const State = {
  /** Directory under RUNNER_TEMP that holds the credentials file; deleted by the post step. */
  CredentialsDir: 'credentials-dir',
  /** Directory under RUNNER_TEMP that holds per-build sandboxes; deleted by the post step. */
  WorkDir: 'work-dir',
} as const;

/** Defaults of the contract, also used when an input is absent from the environment. */
export const Defaults = {
  patterns: '*',
  dockerfile: 'Dockerfile',
  registry: 'docker.io',
  defaultVersion: 'v1.0.0',
  bump: 'patch',
  runtime: 'auto',
  parallel: '1',
  hubApiUrl: 'https://hub.docker.com',
  /**
   * The maintained kaniko fork's executor image, pinned by tag. Users pin a digest with
   * `executor-image: <registry>/<repo>@sha256:<digest>`.
   */
  executorImage: 'ghcr.io/osscontainertools/kaniko:v1.28.0',
} as const;

/** Hosts that all mean Docker Hub. */
export const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io', 'registry-1.docker.io'] as const;
/** The key docker and kaniko look up in config.json for Docker Hub. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
/** The host that serves Docker Hub's distribution API. */
export const DOCKER_HUB_REGISTRY_HOST = 'registry-1.docker.io';
