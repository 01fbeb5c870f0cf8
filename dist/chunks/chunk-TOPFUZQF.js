import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/contract.ts
var Input = {
  Patterns: "patterns",
  Dockerfile: "dockerfile",
  Directories: "directories",
  Context: "context",
  BuildAll: "build-all",
  Base: "base",
  Head: "head",
  Registry: "registry",
  Namespace: "namespace",
  Username: "username",
  Password: "password",
  Version: "version",
  DefaultVersion: "default-version",
  Bump: "bump",
  Latest: "latest",
  Tags: "tags",
  Platforms: "platforms",
  SkipUnchanged: "skip-unchanged",
  Push: "push",
  BuildArgs: "build-args",
  Target: "target",
  Labels: "labels",
  Cache: "cache",
  CacheRepo: "cache-repo",
  ExtraArgs: "extra-args",
  ExecutorImage: "executor-image",
  Runtime: "runtime",
  Memory: "memory",
  Cpus: "cpus",
  Parallel: "parallel",
  InsecureRegistries: "insecure-registries",
  CaCertificates: "ca-certificates",
  HubApiUrl: "hub-api-url",
  FailFast: "fail-fast",
  Summary: "summary",
  CommitStatus: "commit-status",
  GithubToken: "github-token"
};
var PLAN_INPUTS = [
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
  Input.Summary
];
var Output = {
  Changed: "changed",
  Directories: "directories",
  Matrix: "matrix",
  Waves: "waves",
  Images: "images"
};
var State = {
  /** Directory under RUNNER_TEMP that holds the credentials file; deleted by the post step. */
  CredentialsDir: "credentials-dir",
  /** Directory under RUNNER_TEMP that holds the builds' bundles and outputs; deleted by the post step. */
  WorkDir: "work-dir",
  /** JSON array of the ids of every container started, each saved before it starts. */
  Containers: "containers",
  /** Directory under RUNNER_TEMP that holds the base-image cache's blobs; deleted by the post step. */
  BaseCacheDir: "base-cache-dir"
};
var Defaults = {
  patterns: "*",
  dockerfile: "Dockerfile",
  registry: "docker.io",
  defaultVersion: "v1.0.0",
  bump: "patch",
  latest: "true",
  push: "true",
  buildAll: "false",
  skipUnchanged: "false",
  cache: "false",
  runtime: "auto",
  parallel: "1",
  hubApiUrl: "https://hub.docker.com",
  failFast: "false",
  summary: "true",
  commitStatus: "false",
  githubToken: "${{ github.token }}",
  /**
   * The newest release tag of the maintained kaniko fork (osscontainertools/kaniko). Users pin
   * bytes with `executor-image: <registry>/<repo>:<tag>@sha256:<digest>` (the digest is verified).
   */
  executorImage: "ghcr.io/osscontainertools/kaniko:v1.28.3"
};
var INPUT_DEFAULTS = {
  [Input.Patterns]: Defaults.patterns,
  [Input.Dockerfile]: Defaults.dockerfile,
  [Input.Directories]: "",
  [Input.Context]: "",
  [Input.BuildAll]: Defaults.buildAll,
  [Input.Base]: "",
  [Input.Head]: "",
  [Input.Registry]: Defaults.registry,
  [Input.Namespace]: "",
  [Input.Username]: "",
  [Input.Password]: "",
  [Input.Version]: "",
  [Input.DefaultVersion]: Defaults.defaultVersion,
  [Input.Bump]: Defaults.bump,
  [Input.Latest]: Defaults.latest,
  [Input.Tags]: "",
  [Input.Platforms]: "",
  [Input.SkipUnchanged]: Defaults.skipUnchanged,
  [Input.Push]: Defaults.push,
  [Input.BuildArgs]: "",
  [Input.Target]: "",
  [Input.Labels]: "",
  [Input.Cache]: Defaults.cache,
  [Input.CacheRepo]: "",
  [Input.ExtraArgs]: "",
  [Input.ExecutorImage]: Defaults.executorImage,
  [Input.Runtime]: Defaults.runtime,
  [Input.Memory]: "",
  [Input.Cpus]: "",
  [Input.Parallel]: Defaults.parallel,
  [Input.InsecureRegistries]: "",
  [Input.CaCertificates]: "",
  [Input.HubApiUrl]: Defaults.hubApiUrl,
  [Input.FailFast]: Defaults.failFast,
  [Input.Summary]: Defaults.summary,
  [Input.CommitStatus]: Defaults.commitStatus,
  [Input.GithubToken]: Defaults.githubToken
};
var DOCKER_HUB_ALIASES = ["docker.io", "index.docker.io", "registry-1.docker.io"];
var DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";
var DOCKER_HUB_REGISTRY_HOST = "registry-1.docker.io";
var InputError = class extends Error {
  constructor(input, message) {
    super(`Input '${input}': ${message}`);
    this.input = input;
    this.name = "InputError";
  }
  input;
};
var InputErrors = class extends Error {
  constructor(errors) {
    super(
      errors.length === 1 ? errors[0].message : `${errors.length} inputs are not valid:
${errors.map((e) => `- ${e.message}`).join("\n")}`
    );
    this.errors = errors;
    this.name = "InputErrors";
  }
  errors;
};

// src/lib/docker-hub.ts
function isDockerHub(registry) {
  return DOCKER_HUB_ALIASES.includes(registry.toLowerCase());
}
function basicAuth(username, password) {
  return Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

// src/lib/names.ts
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
var MAX_REPOSITORY_LENGTH = 255;
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}
var HIGH = /[\uD800-\uFFFF]/;
function compareBytes(a, b) {
  if (!HIGH.test(a) && !HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
function sortUnique(items) {
  return [...new Set(items)].sort(compareBytes);
}

export {
  Input,
  Output,
  State,
  Defaults,
  DOCKER_HUB_AUTH_KEY,
  DOCKER_HUB_REGISTRY_HOST,
  InputError,
  InputErrors,
  isDockerHub,
  basicAuth,
  PATH_COMPONENT,
  TAG,
  SHA256_DIGEST,
  MAX_REPOSITORY_LENGTH,
  plural,
  compareBytes,
  sortUnique
};
