/**
 * kaniko's arguments for one directory: a pure function from the plan entry and the inputs.
 *
 * Every argument is one array element of the form `--flag=value`, so a value that starts with
 * `-` (a directory named `--foo`) can never be read as a flag, and nothing ever passes through
 * a shell (`$(id)` stays text).
 */
import type { ImagePlan, Inputs } from '../contract.js';

/** Where the container shows the build context and the output directory to kaniko. */
export interface ContainerPaths {
  /** The build context, bound read-only. */
  context: string;
  /** The output directory (digest file), bound read-write. */
  outputDir: string;
}

/** The facts of this run that every image is labelled with. */
export interface BuildMetadata {
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}`, `''` when unknown. */
  source: string;
  /** The commit the images are built from, `''` when unknown. */
  revision: string;
  /** ISO 8601 time taken once per run, the same for every image of the run. */
  created: string;
  /** The branch of the run (for `{{branch}}` tags), `''` when not on a branch. */
  branch: string;
}

export type KanikoInputs = Pick<
  Inputs,
  | 'dockerfile'
  | 'push'
  | 'buildArgs'
  | 'labels'
  | 'target'
  | 'cache'
  | 'cacheRepo'
  | 'insecureRegistries'
  | 'extraArgs'
>;

/** The proxy variables passed on to kaniko, in both spellings the tools read. */
const PROXY_VARIABLES = [
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
] as const;

/** The proxy variables that are set (non-empty) in `env`, for kaniko's environment. */
export function proxyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

/** The image's `source` label from the runner's environment, `''` outside GitHub Actions. */
export function sourceUrl(env: NodeJS.ProcessEnv): string {
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return '';
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}`;
}

/** The Dockerfile as kaniko sees it: the input's path inside the bound context. */
function dockerfileInContext(contextPath: string, dockerfile: string): string {
  return `${contextPath.replace(/\/+$/, '')}/${dockerfile.replace(/^\.\//, '')}`;
}

/**
 * A build that writes its image into an OCI layout for the action to release, instead of
 * pushing it (`platforms`, `skip-unchanged`).
 */
interface LayoutOutput {
  /** `--custom-platform`; absent: the runner's. */
  platform?: string;
  /** `--reproducible`: zeroed times, so that the same inputs give the same image. */
  reproducible: boolean;
}

/** The OCI layout kaniko writes, inside the output directory. */
export function layoutPathIn(outputDir: string): string {
  return `${outputDir.replace(/\/+$/, '')}/layout`;
}

/** The digest file kaniko writes, inside the output directory. */
export function digestFileIn(outputDir: string): string {
  return `${outputDir.replace(/\/+$/, '')}/digest`;
}

/** The job's base-image cache, as kaniko is told about it. */
export interface BaseMirror {
  /** `127.0.0.1:PORT`, served over plain HTTP on the loopback. */
  host: string;
  /** Registry as kaniko names it (`index.docker.io`) → its mirror, `<host>/<prefix>`. */
  mirrors: ReadonlyMap<string, string>;
}

/**
 * kaniko's arguments for the base-image cache: one `--registry-map=<registry>=<mirror>` per
 * registry (kaniko falls back to the registry itself when the mirror fails), and the cache's
 * host as an insecure registry, since it speaks plain HTTP on the loopback.
 */
export function baseMirrorArgs(mirror: BaseMirror | undefined): string[] {
  if (!mirror || mirror.mirrors.size === 0) return [];
  return [
    ...[...mirror.mirrors].map(([registry, to]) => `--registry-map=${registry}=${to}`),
    `--insecure-registry=${mirror.host}`,
  ];
}

/**
 * The executor arguments (after the entrypoint) for one directory, in this order: context,
 * Dockerfile, destinations, digest file, `--no-push`, the OCI labels, proxies and user build
 * args, user labels, target, cache, insecure registries, the base-image cache (`mirror`), then
 * `extra-args` verbatim. With
 * `layout`, no destination: `--no-push`, `--oci-layout-path`, `--custom-platform` and
 * `--reproducible` as asked, and the cache repository kaniko would infer from a destination.
 */
export function kanikoArgs(
  plan: Pick<ImagePlan, 'ref' | 'version'> & { tags: readonly string[] },
  inputs: KanikoInputs,
  meta: BuildMetadata,
  paths: ContainerPaths,
  proxies: Readonly<Record<string, string>> = {},
  layout?: LayoutOutput,
  mirror?: BaseMirror,
): string[] {
  const image = plan.ref.reference;
  const args = [
    // kaniko refuses to run unless it detects a container; an OCI runtime's is not detected.
    '--force',
    `--context=dir://${paths.context}`,
    `--dockerfile=${dockerfileInContext(paths.context, inputs.dockerfile)}`,
  ];
  if (layout) {
    args.push(`--digest-file=${digestFileIn(paths.outputDir)}`, '--no-push');
    args.push(`--oci-layout-path=${layoutPathIn(paths.outputDir)}`);
    if (layout.platform) args.push(`--custom-platform=${layout.platform}`);
    if (layout.reproducible) args.push('--reproducible');
  } else {
    // One destination per tag: the version, `latest` and the rendered `tags`, from one run.
    args.push(...plan.tags.map((tag) => `--destination=${image}:${tag}`));
    args.push(`--digest-file=${digestFileIn(paths.outputDir)}`);
    if (!inputs.push) args.push('--no-push');
  }

  const oci = 'org.opencontainers.image';
  if (meta.source) args.push(`--label=${oci}.source=${meta.source}`);
  if (meta.revision) args.push(`--label=${oci}.revision=${meta.revision}`);
  args.push(`--label=${oci}.version=${plan.version}`);
  if (meta.created) args.push(`--label=${oci}.created=${meta.created}`);

  // Proxies first, so a user's build arg of the same name wins. Named without a value: kaniko
  // reads the value from its environment (the bundle's config.json), so a proxy password is
  // never in a process's arguments.
  for (const name of PROXY_VARIABLES) {
    if (proxies[name]) args.push(`--build-arg=${name}`);
  }
  for (const arg of inputs.buildArgs) args.push(`--build-arg=${arg}`);
  for (const label of inputs.labels) args.push(`--label=${label}`);
  if (inputs.target) args.push(`--target=${inputs.target}`);
  if (inputs.cache) args.push('--cache=true');
  if (inputs.cacheRepo) args.push(`--cache-repo=${inputs.cacheRepo}`);
  // Without a destination kaniko cannot infer `<image>/cache`, and refuses --cache alone.
  else if (inputs.cache && layout) args.push(`--cache-repo=${image}/cache`);
  // Per host (push and pull alike); never the global --insecure/--insecure-pull, which would
  // send every other registry's traffic in plain HTTP too.
  for (const host of inputs.insecureRegistries) args.push(`--insecure-registry=${host}`);
  args.push(...baseMirrorArgs(mirror));
  for (const arg of inputs.extraArgs) args.push(arg);
  return args;
}

/**
 * The arguments as they may be shown in the log: proxy values that carry credentials
 * (`http://user:secret@proxy`) are replaced.
 */
export function argsForLog(args: readonly string[]): string[] {
  return args.map((arg) => {
    const match = /^(--build-arg=(?:https?|no)_proxy=)(.*)$/i.exec(arg);
    if (match && /\/\/[^/@]*@/.test(match[2] ?? '')) return `${match[1]}<redacted>`;
    return arg;
  });
}
