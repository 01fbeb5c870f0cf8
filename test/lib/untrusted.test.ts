import { describe, expect, it } from 'vitest';
import { plain, quote, safeLine, safeLines } from '../../src/lib/untrusted.js';

/** How the runner decides that a line is a workflow command (v2 `::`, or the old `##[`). */
const isCommand = (line: string): boolean => /^[\s\u0085]*::/.test(line) || line.includes('##[');

const HOSTILE = [
  '::set-output name=x::y',
  '  ::add-mask::secret',
  '\t::save-state name=work-dir::/',
  '\u00a0::error::x',
  '\u0085::stop-commands::t',
  'prefix ##[set-env name=A;]b',
  '##[group]x',
];

describe('untrusted text', () => {
  it.each(HOSTILE)('safeLine never lets %j through as a command', (line) => {
    expect(isCommand(safeLine(line))).toBe(false);
    expect(safeLine(line).replace(/\u2060/g, '')).toBe(line);
  });

  it('keeps ordinary lines exactly as they are', () => {
    for (const line of ['INFO[0000] Retrieving image', 'a :: b', 'x::y', '']) {
      expect(safeLine(line)).toBe(line);
    }
  });

  it('safeLines splits on every line break and makes each line safe', () => {
    const lines = safeLines('ok\r\n::set-output name=a::b\r::add-mask::c\n');
    expect(lines).toHaveLength(3);
    expect(lines.filter(isCommand)).toEqual([]);
  });

  it('quote and plain keep a name on one line that cannot start a command', () => {
    const name = 'x\n::save-state name=work-dir::..';
    for (const shown of [quote(name), plain(name), `  ${plain(name)}`]) {
      expect(shown.split(/\r?\n/)).toHaveLength(1);
      expect(isCommand(shown)).toBe(false);
    }
    expect(plain('airflow-api')).toBe('airflow-api');
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(isCommand(plain('::x'))).toBe(false);
  });
});
