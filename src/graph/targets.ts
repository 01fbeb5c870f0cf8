/**
 * Stage 1b, the build graph: from what detection found to the images to build, why, and in
 * which wave.
 *
 * - With `context`, a changed path marks every image whose inputs hold it: its Dockerfile,
 *   the context's `.dockerignore`, and what its `COPY`/`ADD` lines read (`inputs.ts`).
 * - An image built `FROM` (or `COPY --from=`) an image being built is built too, after it
 *   (`base-images.ts`, `waves.ts`); explicit `directories` add no dependents.
 *
 * Every image directory's Dockerfile is read at head in one git process, but only those that
 * can matter are parsed (`screen.ts`), and the parser is loaded only when one is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import dockerignorePackage from '@balena/dockerignore';
import type { BuildReason, BuildTarget, Inputs } from '../contract.js';
import { nothingMatchesWarning, type Detection } from '../detect/detect.js';
import { imagesAndFilesAt } from '../detect/image-directories.js';
import { touchedDockerfiles } from '../detect/mapping.js';
import { compilePatterns, type ImageRule } from '../detect/patterns.js';
import type { Git } from '../lib/git.js';
import { compareBytes, sortUnique } from '../lib/names.js';
import { quote } from '../lib/untrusted.js';
import type { DockerfileModel } from './dockerfile.js';
import { normaliseRepository, repositoryOf } from './reference.js';
import { mayNameImages, mayReadPaths, pathScreen } from './screen.js';
import { wavesOf } from './waves.js';

export type GraphInputs = Pick<
  Inputs,
  'patterns' | 'dockerfile' | 'directories' | 'buildAll' | 'context' | 'buildArgs' | 'target'
> &
  Partial<Pick<Inputs, 'platforms'>>;

export interface GraphContext {
  git: Git;
  /** Where named `directories` are read. */
  workspace: string;
  /** The image reference (`registry/namespace/name`) of a directory; `undefined` when none. */
  referenceOf: (directory: string) => string | undefined;
  /** The platform built when `platforms` is empty: the runner's (`os/arch[/variant]`). */
  platform: string;
}

export interface Graph {
  /** The images to build, sorted by directory. */
  targets: BuildTarget[];
  /** Said with `core.notice` (e.g. an image whose inputs are the whole context). */
  notices: string[];
  /** Said with `core.warning` (e.g. patterns that match nothing). */
  warnings: string[];
  /** The directories whose Dockerfile had to be parsed, sorted (for the debug log). */
  parsed: string[];
}

/** The package is CommonJS whose `module.exports` is the factory; its types say `default`. */
const ignore = dockerignorePackage as unknown as typeof dockerignorePackage.default;

/** The parser and what reads its output, loaded on first use. */
const parser = (() => {
  let loaded: Promise<typeof import('./parse.js')> | undefined;
  return () => (loaded ??= import('./parse.js'));
})();

/** The Dockerfiles of the images the graph may look at, parsed on demand. */
class Dockerfiles {
  private readonly models = new Map<string, Promise<DockerfileModel>>();
  constructor(readonly texts: ReadonlyMap<string, string>) {}

  get parsed(): string[] {
    return sortUnique(this.models.keys());
  }

  model(directory: string): Promise<DockerfileModel> {
    let model = this.models.get(directory);
    if (!model) {
      const text = this.texts.get(directory) ?? '';
      model = parser().then((p) => p.parseDockerfile(text));
      this.models.set(directory, model);
    }
    return model;
  }
}

/** Paths of the context start with this (`''` for the repository root). */
const contextPrefix = (context: string): string => (context === '.' ? '' : `${context}/`);

/** The last path component of an image's repository: what a Dockerfile must spell to name it. */
const nameIn = (repository: string): string => repository.slice(repository.lastIndexOf('/') + 1);

/**
 * What the images being built are built on, read from their Dockerfiles on demand. A
 * directory's repository is worked out only when asked: most of a large monorepo's
 * Dockerfiles are screened out without it.
 */
class Bases {
  private readonly found = new Map<string, Promise<string[]>>();
  private readonly repositories = new Map<string, string | undefined>();
  private byRepository: Map<string, string> | undefined;

  constructor(
    private readonly dockerfiles: Dockerfiles,
    private readonly inputs: GraphInputs,
    private readonly referenceOf: GraphContext['referenceOf'],
    private readonly platforms: readonly string[],
  ) {}

  /** The repository `dir`'s images are pushed to (`undefined` when none). */
  private repositoryOf(dir: string): string | undefined {
    if (!this.repositories.has(dir)) {
      const reference = this.referenceOf(dir);
      this.repositories.set(dir, (reference && normaliseRepository(reference)) || undefined);
    }
    return this.repositories.get(dir);
  }

  /** The directory of every image directory, by the repository its images are pushed to. */
  private directoryOf(repository: string): string | undefined {
    if (!this.byRepository) {
      this.byRepository = new Map();
      for (const dir of this.dockerfiles.texts.keys()) {
        const own = this.repositoryOf(dir);
        if (own) this.byRepository.set(own, dir);
      }
    }
    return this.byRepository.get(repository);
  }

  /** The directories of the images `dir` is built on, directly (never itself). */
  of(dir: string): Promise<string[]> {
    let found = this.found.get(dir);
    if (!found) {
      found = Promise.all([this.dockerfiles.model(dir), parser()]).then(([model, p]) => {
        const { buildArgs, target } = this.inputs;
        const dirs = this.platforms.flatMap((platform) =>
          p
            .baseImagesOf(model, { buildArgs, target, platform })
            .filter(p.followsReleases)
            .map((b) => this.directoryOf(repositoryOf(b.name!)))
            .filter((d): d is string => d !== undefined && d !== dir),
        );
        return sortUnique(dirs);
      });
      this.found.set(dir, found);
    }
    return found;
  }

  /** The image names of directories (what a Dockerfile must spell to name them). */
  names(dirs: Iterable<string>): Set<string> {
    const names = new Set<string>();
    for (const dir of dirs) {
      const repository = this.repositoryOf(dir);
      if (repository) names.add(nameIn(repository));
    }
    return names;
  }

  /** Whether `dir`'s Dockerfile may name one of `images` (else it is not parsed). */
  mayBeBuiltOn(dir: string, images: Set<string>): boolean {
    const text = this.dockerfiles.texts.get(dir) ?? '';
    // Its own name is no base: asked only of a Dockerfile that names one of the images.
    if (!mayNameImages(text, images)) return false;
    const own = this.repositoryOf(dir);
    return mayNameImages(text, images, own && nameIn(own));
  }
}

/** The images detection (and, with `context`, their inputs) mark, and every Dockerfile read. */
async function changedImages(
  detection: Detection,
  inputs: GraphInputs,
  ctx: GraphContext,
  notices: string[],
  warnings: string[],
): Promise<{ start: string[]; dockerfiles: Dockerfiles }> {
  if (inputs.directories.length > 0) {
    const texts = detection.directories.map(
      (d) => [d, readWorkspace(ctx.workspace, d, inputs.dockerfile)] as const,
    );
    return { start: detection.directories, dockerfiles: new Dockerfiles(new Map(texts)) };
  }
  const changed = detection.changedPaths;
  if (detection.head === '' || (detection.directories.length === 0 && changed === undefined)) {
    return { start: [], dockerfiles: new Dockerfiles(new Map()) };
  }
  const rule: ImageRule = {
    patterns: inputs.patterns,
    matches: compilePatterns(inputs.patterns),
    dockerfile: inputs.dockerfile,
  };
  const ignoreFile = `${contextPrefix(inputs.context)}.dockerignore`;
  const read = detection.images
    ? { images: detection.images, files: new Map<string, string | undefined>() }
    : await imagesAndFilesAt(ctx.git, detection.head, rule, changed ? [ignoreFile] : []);
  const all = read.images;
  const ignoreText = read.files.get(ignoreFile) ?? '';
  const dockerfiles = new Dockerfiles(new Map(all.map((d) => [d.directory, d.text ?? ''])));
  if (!changed) return { start: detection.directories, dockerfiles };
  if (all.length === 0) warnings.push(nothingMatchesWarning(rule, detection.head));
  const start = await changedByInputs(changed, dockerfiles, inputs, ignoreText, notices);
  return { start, dockerfiles };
}

/** From what detection found to the images to build, why, and in which wave. */
export async function planGraph(
  detection: Detection,
  inputs: GraphInputs,
  ctx: GraphContext,
): Promise<Graph> {
  const notices: string[] = [];
  const warnings: string[] = [];
  const named = inputs.directories.length > 0;
  const reason: BuildReason = named ? 'requested' : inputs.buildAll ? 'build-all' : 'changed';
  const { start, dockerfiles } = await changedImages(detection, inputs, ctx, notices, warnings);
  const reasons = new Map<string, BuildReason>(start.map((d) => [d, reason]));
  if (reasons.size === 0) return { targets: [], notices, warnings, parsed: dockerfiles.parsed };
  const platforms = inputs.platforms?.length ? inputs.platforms : [ctx.platform];
  const bases = new Bases(dockerfiles, inputs, ctx.referenceOf, platforms);

  // Dependents, level by level: images built on an image being built are built too.
  for (let level = named ? [] : [...reasons.keys()]; level.length > 0;) {
    const images = bases.names(level);
    const next: string[] = [];
    for (const dir of dockerfiles.texts.keys()) {
      if (reasons.has(dir) || !bases.mayBeBuiltOn(dir, images)) continue;
      const base = (await bases.of(dir)).find((b) => level.includes(b));
      if (base === undefined) continue;
      reasons.set(dir, `base ${base} changed`);
      next.push(dir);
    }
    level = next;
  }

  // The bases of each image among the images being built, then the waves.
  const building = bases.names(reasons.keys());
  const edges = new Map<string, string[]>();
  for (const dir of reasons.keys()) {
    const own = bases.mayBeBuiltOn(dir, building) ? await bases.of(dir) : [];
    edges.set(
      dir,
      own.filter((b) => reasons.has(b)),
    );
  }
  const waves = wavesOf(edges);
  const targets = [...reasons]
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([directory, why]): BuildTarget => ({
      directory,
      reason: why,
      wave: waves.get(directory) ?? 0,
      bases: edges.get(directory) ?? [],
    }));
  return { targets, notices, warnings, parsed: dockerfiles.parsed };
}

function readWorkspace(workspace: string, directory: string, dockerfile: string): string {
  try {
    return fs.readFileSync(path.join(workspace, directory, dockerfile), 'utf8');
  } catch {
    return ''; // named directories were checked; a Dockerfile gone since has no bases
  }
}

/**
 * With `context`: the images whose inputs hold a changed path. Dockerfiles are parsed only
 * when a changed path may be one they read.
 */
async function changedByInputs(
  changed: readonly string[],
  dockerfiles: Dockerfiles,
  inputs: GraphInputs,
  ignoreText: string,
  notices: string[],
): Promise<string[]> {
  const prefix = contextPrefix(inputs.context);
  const images = [...dockerfiles.texts.keys()];
  // The context's .dockerignore decides what every image reads.
  if (changed.includes(`${prefix}.dockerignore`)) return images;
  const ignored = ignore().add(ignoreText);
  const marked = new Set(
    touchedDockerfiles(changed, inputs.dockerfile, () => true).filter((d) =>
      dockerfiles.texts.has(d),
    ),
  );
  const read = changed
    .filter((p) => p.startsWith(prefix))
    .map((p) => p.slice(prefix.length))
    .filter((p) => !ignored.ignores(p));
  const screen = pathScreen(read);
  const byFirst = new Map<string, string[]>();
  for (const p of read) {
    const first = p.split('/')[0]!;
    byFirst.set(first, [...(byFirst.get(first) ?? []), p]);
  }
  for (const dir of images) {
    if (marked.has(dir) || !mayReadPaths(dockerfiles.texts.get(dir) ?? '', screen)) continue;
    const p = await parser();
    const inputsOf = p.imageInputsOf(await dockerfiles.model(dir));
    if (inputsOf.unknown.length > 0) {
      notices.push(
        `${quote(dir)}: its Dockerfile reads ${inputsOf.unknown.map((s) => quote(s)).join(', ')}, which only the build can resolve, so every path of the context ${quote(inputs.context)} counts as an input of this image.`,
      );
    }
    const under = p.readsUnder(inputsOf);
    const candidates = under ? [...under].flatMap((first) => byFirst.get(first) ?? []) : read;
    if (candidates.some(p.inputMatcher(inputsOf))) marked.add(dir);
  }
  return sortUnique(marked);
}
