/**
 * The one way text from the repository or a registry reaches the log: directory and file
 * names, tags, registry error bodies, kaniko's output. The runner reads a line as a workflow
 * command when, after leading white space, it starts with `::` (or holds the older `##[`
 * form); such text could set outputs, add masks, save state or end a group. Here it can not.
 */

/** Invisible, so a neutralised line reads the same; it keeps `::`/`##[` from being a command. */
const BREAK = '\u2060';

/**
 * One line of untrusted output (kaniko's, a RUN step's) as it may be logged: a line that
 * would start a command gets a leading mark, and the old `##[` form is broken up anywhere.
 */
export function safeLine(line: string): string {
  let out = line.replace(/##\[/g, `#${BREAK}#[`);
  if (/^[\s\u0085\u180e]*::/.test(out)) out = BREAK + out;
  return out;
}

/** Several lines of untrusted output (CR, LF or CRLF separated), each made safe. */
export function safeLines(text: string): string[] {
  return text
    .replace(/\r?\n$/, '')
    .split(/\r?\n|\r/)
    .map(safeLine);
}

/**
 * An untrusted value inside a message of the action's own: JSON-quoted, so line breaks and
 * control characters are shown as escapes (`\n`), the value can never start a line, and the
 * reader sees where it begins and ends.
 */
export function quote(value: string): string {
  return JSON.stringify(value).replace(/##\[/g, `#${BREAK}#[`);
}

/**
 * An untrusted value shown as it is, for single-line text such as a directory name in a list:
 * control characters escaped (so it never spans lines), and made safe as a line of its own,
 * since a message may start with it.
 */
export function plain(value: string): string {
  const oneLine = /[\x00-\x1f\x7f\u2028\u2029]/.test(value) ? quote(value).slice(1, -1) : value;
  return safeLine(oneLine);
}
