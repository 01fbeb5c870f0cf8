/**
 * The images a Dockerfile pulls: each `FROM` and `COPY --from=<image>` of the stages kaniko
 * builds (up to `target`), with `ARG` defaults resolved, build args overriding, and Docker's
 * name forms normalised. Stage names, stage numbers and `scratch` pull nothing.
 */
import { parseDockerfile, type DockerfileModel } from './dockerfile.js';
import { canonicalReference, parseReference, type ImageName } from './reference.js';
import { buildArgMap, expand, platformScope, UNKNOWN, type Scope, type Word } from './variables.js';

export interface BaseImage {
  instruction: 'FROM' | 'COPY --from';
  /** 1-based line of the instruction. */
  line: number;
  /** The image as written, variables unexpanded. */
  written: string;
  /**
   * `false` when it cannot be known before the build: a variable with no value yet (such as
   * `TARGETARCH` without a platform), or a text that is no image reference once expanded.
   */
  known: boolean;
  /** Normalised `registry/repository:tag`, or `registry/repository@digest`; `''` when unknown. */
  reference: string;
  /** The parts of `reference`; absent when unknown. */
  name?: ImageName;
  /** The tag, or the whole reference, came from a variable (a build arg). */
  fromArg: boolean;
}

export interface BaseImageOptions {
  /** `KEY=VALUE` lines, as the `build-args` input. */
  buildArgs?: readonly string[];
  /** The stage kaniko stops at (`--target`); later stages pull nothing. */
  target?: string;
  /** `os/arch[/variant]` being built; without it the platform arguments are unknown. */
  platform?: string;
  /** The platform kaniko runs on; default `platform`. */
  buildPlatform?: string;
}

/** Whether a base image makes its image a dependent of the image it names (see the contract). */
export function followsReleases(base: BaseImage): boolean {
  if (!base.known || !base.name || base.name.digest) return false;
  return base.name.tag === undefined || base.name.tag === 'latest' || base.fromArg;
}

/** The value a declaration brings into scope. */
function declared(
  name: string,
  value: Word | undefined,
  scope: Scope,
  buildArgs: ReadonlyMap<string, string>,
  inherited: Scope,
): string | undefined | typeof UNKNOWN {
  if (buildArgs.has(name)) return buildArgs.get(name);
  if (value) {
    const expanded = expand(value, scope);
    return expanded.unknown ? UNKNOWN : expanded.value;
  }
  return inherited.get(name);
}

/** The images a parsed Dockerfile pulls, in the order of its instructions. */
export function baseImagesOf(model: DockerfileModel, options: BaseImageOptions = {}): BaseImage[] {
  const buildArgs = buildArgMap(options.buildArgs ?? []);
  const platform = platformScope(options.platform, options.buildPlatform);
  const globals: Scope = new Map(platform);
  for (const arg of model.globals) {
    globals.set(arg.name, declared(arg.name, arg.value, globals, buildArgs, platform));
  }
  const target = options.target?.toLowerCase();
  const last = target ? model.stages.findIndex((s) => s.name === target) : -1;
  const stages = last < 0 ? model.stages : model.stages.slice(0, last + 1);

  const images: BaseImage[] = [];
  const stageNames = new Set<string>();
  const add = (
    word: Word,
    scope: Scope,
    instruction: BaseImage['instruction'],
    line: number,
  ): void => {
    const expanded = expand(word, scope);
    const text = expanded.value.trim();
    if (!expanded.unknown) {
      const lower = text.toLowerCase();
      if (lower === 'scratch' || stageNames.has(lower)) return;
      if (instruction === 'COPY --from' && /^\d+$/.test(text)) return;
    }
    const name = expanded.unknown ? undefined : parseReference(text);
    if (!name) {
      images.push({
        instruction,
        line,
        written: word.written,
        known: false,
        reference: '',
        fromArg: true,
      });
      return;
    }
    // Where the tag (or, without one, the whole reference) came from.
    const tagAt =
      name.tag === undefined ? -1 : text.indexOf(`:${name.tag}`, text.lastIndexOf('/')) + 1;
    const offset = expanded.value.indexOf(text);
    const from = expanded.fromVariable.slice(offset, offset + text.length);
    const fromArg =
      tagAt > 0 ? from.slice(tagAt, tagAt + name.tag!.length).some(Boolean) : from.every(Boolean);
    images.push({
      instruction,
      line,
      written: word.written,
      known: true,
      reference: canonicalReference(name),
      name,
      fromArg,
    });
  };

  for (const stage of stages) {
    add(stage.from, globals, 'FROM', stage.line);
    if (stage.name) stageNames.add(stage.name);
    const scope: Scope = new Map();
    for (const step of stage.steps) {
      if (step.kind === 'arg') {
        scope.set(step.name, declared(step.name, step.value, scope, buildArgs, globals));
      } else if (step.kind === 'env') {
        scope.set(step.name, declared(step.name, step.value, scope, new Map(), new Map()));
      } else if (step.kind === 'copy' && step.from) {
        add(step.from, scope, 'COPY --from', step.line);
      }
    }
  }
  return images;
}

/**
 * The images a Dockerfile pulls, each normalised to `registry/repository:tag` or
 * `registry/repository@digest`, or marked `known: false` when only the build can tell.
 */
export function baseImages(dockerfile: string, options: BaseImageOptions = {}): BaseImage[] {
  return baseImagesOf(parseDockerfile(dockerfile), options);
}
