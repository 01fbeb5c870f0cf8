/**
 * A Dockerfile as the action needs it, read by `dockerfile-ast` (the parser the Docker language
 * server uses) — the one place a Dockerfile is parsed: the global `ARG`s, then each stage's
 * `FROM` (with its `--platform`), name, `ARG`/`ENV` declarations, `COPY`/`ADD` instructions and
 * whether it has `RUN` steps. Variables stay unexpanded words
 * (`variables.ts` expands them with the build args); everything else is the parser's reading.
 *
 * This module loads the parser, so callers that may not need it import this one lazily.
 */
import {
  Arg,
  DockerfileParser,
  Env,
  From,
  JSONInstruction,
  type Argument,
  type Instruction,
} from 'dockerfile-ast';
import type { Part, Word } from './variables.js';

type Range = ReturnType<Argument['getRange']>;

export interface Declaration {
  kind: 'arg' | 'env';
  name: string;
  /** `undefined` for an `ARG` without a default. */
  value?: Word;
}

export interface CopyStep {
  kind: 'copy';
  instruction: 'COPY' | 'ADD';
  /** `--from=`, when given. */
  from?: Word;
  /** The sources as written, without here-documents (which are no files of the context). */
  sources: string[];
  /** 1-based line of the instruction. */
  line: number;
}

export interface Stage {
  from: Word;
  /** `FROM --platform=…`, when given. */
  platform?: Word;
  /** Whether the stage has a `RUN` step (a program of the stage's platform runs). */
  runs: boolean;
  /** Lower-cased, as Docker compares stage names. */
  name?: string;
  /** 1-based line of the `FROM`. */
  line: number;
  steps: (Declaration | CopyStep)[];
}

export interface DockerfileModel {
  /** The `ARG`s before the first `FROM`: the only variables `FROM` lines may use. */
  globals: Declaration[];
  stages: Stage[];
}

/** The offset of the start of each line, with the parser's idea of a line break. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** Shell-like reading of written text: escapes and line continuations resolved, quotes dropped. */
function literal(text: string, escape: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === escape) {
      const next = text[i + 1];
      if (next === '\r' && text[i + 2] === '\n') i += 2;
      else if (next !== undefined) {
        if (next !== '\n' && next !== '\r') out += next;
        i++;
      }
    } else if (c !== '"' && c !== "'") {
      out += c;
    }
  }
  return out;
}

/** Parses a Dockerfile; never throws for a malformed one (the parser reads what it can). */
export function parseDockerfile(text: string): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const starts = lineStarts(text);
  const offset = (p: Range['start']): number => (starts[p.line] ?? text.length) + p.character;
  const before = (a: Range['start'], b: Range['start']): boolean =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);

  const word = (instruction: Instruction, range: Range): Word => {
    const [start, end] = [offset(range.start), offset(range.end)];
    const parts: Part[] = [];
    let at = start;
    const variables = instruction
      .getVariables()
      .filter((v) => before(range.start, v.getRange().start) && before(v.getRange().end, range.end))
      .sort((a, b) => offset(a.getRange().start) - offset(b.getRange().start));
    for (const v of variables) {
      const vStart = offset(v.getRange().start);
      if (vStart > at) parts.push({ literal: literal(text.slice(at, vStart), escape) });
      parts.push({
        variable: v.getName(),
        modifier: v.getModifier(),
        word: v.getSubstitutionParameter(),
      });
      at = offset(v.getRange().end);
    }
    if (end > at) parts.push({ literal: literal(text.slice(at, end), escape) });
    return { written: text.slice(start, end), parts };
  };

  const declarations = (instruction: Arg | Env, kind: 'arg' | 'env'): Declaration[] =>
    instruction.getProperties().map((p) => {
      const range = p.getValueRange();
      return range
        ? { kind, name: p.getName(), value: word(instruction, range) }
        : { kind, name: p.getName() };
    });

  const model: DockerfileModel = { globals: [], stages: [] };
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const stage = model.stages.at(-1);
    if (instruction instanceof From) {
      const [image, as, name] = instruction.getArguments();
      if (!image) continue;
      const platform = instruction
        .getFlags()
        .find((f) => f.getName().toLowerCase() === 'platform')
        ?.getValueRange();
      model.stages.push({
        from: word(instruction, image.getRange()),
        ...(platform ? { platform: word(instruction, platform) } : {}),
        runs: false,
        ...(name && as?.getValue().toLowerCase() === 'as'
          ? { name: name.getValue().toLowerCase() }
          : {}),
        line: instruction.getRange().start.line + 1,
        steps: [],
      });
    } else if (instruction instanceof Arg) {
      (stage ? stage.steps : model.globals).push(...declarations(instruction, 'arg'));
    } else if (instruction instanceof Env) {
      stage?.steps.push(...declarations(instruction, 'env'));
    } else if (keyword === 'RUN' && stage) {
      stage.runs = true;
    } else if (
      (keyword === 'COPY' || keyword === 'ADD') &&
      instruction instanceof JSONInstruction
    ) {
      const from = instruction.getFlags().find((f) => f.getName().toLowerCase() === 'from');
      const fromRange = from?.getValueRange();
      stage?.steps.push({
        kind: 'copy',
        instruction: keyword,
        ...(fromRange ? { from: word(instruction, fromRange) } : {}),
        sources: sourcesOf(instruction, text, offset),
        line: instruction.getRange().start.line + 1,
      });
    }
  }
  return model;
}

/** The sources of a `COPY`/`ADD`: every argument but the last (the destination). */
function sourcesOf(
  instruction: JSONInstruction,
  text: string,
  offset: (p: Range['start']) => number,
): string[] {
  const open = instruction.getOpeningBracket();
  const close = instruction.getClosingBracket();
  if (open && close) {
    // The JSON form is JSON: read it as such (a source may hold spaces).
    try {
      const list: unknown = JSON.parse(
        text.slice(offset(open.getRange().start), offset(close.getRange().end)),
      );
      if (Array.isArray(list) && list.every((s) => typeof s === 'string')) {
        return (list as string[]).slice(0, -1);
      }
    } catch {
      // Not JSON after all: Docker then reads the shell form, as below.
    }
  }
  let args = instruction.getArguments();
  const heredoc = args.find((a) => a.getValue().startsWith('<<'));
  if (heredoc) {
    // Here-documents are inline files: their bodies follow the line that opens them.
    const line = heredoc.getRange().start.line;
    args = args.filter((a) => a.getRange().start.line <= line && !a.getValue().startsWith('<<'));
  }
  // The parser resolved escapes; quotes go as a shell would drop them.
  return args.slice(0, -1).map((a) => a.getValue().replace(/["']/g, ''));
}
