/**
 * The `tags` input: templates of extra tags, rendered per image from its version and the
 * commit. Pure functions; `checkTagTemplate` is what input validation runs before anything
 * else, `renderTags` what the build runs per image.
 */
import { errorMessage } from '../lib/errors.js';
import { TAG } from '../lib/names.js';
import { PREFIXED_VERSION } from './rule.js';

/** The fields a template may use, with what each renders to. */
const TEMPLATE_FIELDS = ['prefix', 'major', 'minor', 'patch', 'version', 'sha', 'branch'];

interface TagValues {
  /** The image's version, `<prefix>MAJOR.MINOR.PATCH`. */
  version: string;
  /** The head commit id (40 or 64 hex digits); `{{sha}}` is its first 7. */
  sha: string;
  /** The branch name as the event gives it (`main`, `feature/x`); `''` when none. */
  branch: string;
}

const FIELD = /\{\{\s*([a-z]+)\s*\}\}/g;

/** A branch name as a valid tag: other characters become `-`, no leading `.`/`-`, ≤ 128. */
export function branchTag(branch: string): string {
  return branch
    .replace(/^refs\/(heads|tags)\//, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
}

/** Renders one template; throws naming an unknown field. */
export function renderTag(template: string, values: TagValues): string {
  const m = PREFIXED_VERSION.exec(values.version);
  if (!m) throw new Error(`${JSON.stringify(values.version)} is not <prefix>MAJOR.MINOR.PATCH.`);
  const fields: Record<string, string> = {
    prefix: m[1]!,
    major: m[2]!,
    minor: m[3]!,
    patch: m[4]!,
    version: values.version,
    sha: values.sha.slice(0, 7),
    branch: branchTag(values.branch),
  };
  return template.replace(FIELD, (whole, name: string) => {
    const value = fields[name];
    if (value === undefined) {
      throw new Error(
        `${JSON.stringify(whole)} is not a template field; use ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')}.`,
      );
    }
    return value;
  });
}

/** Why a rendered tag cannot be pushed next to `version`, or `undefined` when it can. */
function tagProblem(tag: string, version: string): string | undefined {
  if (tag === 'latest') return "renders to 'latest', which the 'latest' input controls";
  if (!TAG.test(tag)) {
    return `renders to ${JSON.stringify(tag)}, which is not a valid tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')`;
  }
  const prefix = PREFIXED_VERSION.exec(version)?.[1];
  const exact = PREFIXED_VERSION.exec(tag);
  if (exact && exact[1] === prefix) {
    return `renders to ${JSON.stringify(tag)}, an exact version, which the version rule would count as a release`;
  }
  return undefined;
}

/** Checks a template before anything runs: its fields, and that a sample renders validly. */
export function checkTagTemplate(template: string, prefix: string): string | undefined {
  const sample: TagValues = { version: `${prefix}1.2.3`, sha: 'abcdef0123456789', branch: 'main' };
  let rendered: string;
  try {
    rendered = renderTag(template, sample);
  } catch (error) {
    return errorMessage(error);
  }
  return tagProblem(rendered, sample.version);
}

/** The extra tags of one image, de-duplicated, in template order; throws on a bad one. */
export function renderTags(templates: readonly string[], values: TagValues): string[] {
  const out: string[] = [];
  for (const template of templates) {
    for (const [field, value, why] of [
      ['sha', values.sha, 'the head commit is not known (no git checkout and no GITHUB_SHA)'],
      ['branch', values.branch, 'this run is not on a branch (e.g. a tag push)'],
    ] as const) {
      if (value === '' && new RegExp(`\\{\\{\\s*${field}\\s*\\}\\}`).test(template)) {
        throw new Error(
          `The tag template ${JSON.stringify(template)} uses {{${field}}}, but ${why}.`,
        );
      }
    }
    const tag = renderTag(template, values);
    const problem = tagProblem(tag, values.version);
    if (problem) throw new Error(`The tag template ${JSON.stringify(template)} ${problem}.`);
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Every tag one image is pushed as, in order: its version, `latest` (with `latest`), then the
 * rendered `tags` templates, without duplicates. Throws when a template cannot be rendered.
 */
export function imageTags(
  version: string,
  latest: boolean,
  templates: readonly string[],
  values: Omit<TagValues, 'version'>,
): string[] {
  const tags = latest ? [version, 'latest'] : [version];
  for (const tag of renderTags(templates, { ...values, version })) {
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** The branch a run is on, from the runner's variables; `''` when it is not on a branch. */
export function branchOf(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  if (env.GITHUB_REF?.startsWith('refs/heads/')) return env.GITHUB_REF.slice('refs/heads/'.length);
  return '';
}
