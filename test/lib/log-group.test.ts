import { describe, expect, it } from 'vitest';
import { openGroup } from '../../src/lib/log-group.js';
import { recordingSink as recorder } from '../support/log-sink.js';

/** How the runner decides that a line is a workflow command (v2 `::`, or the old `##[`). */
const isCommand = (line: string): boolean => /^\s*::/.test(line) || line.includes('##[');

describe('openGroup', () => {
  it('live: opens at once and prints each line as it comes; executor lines are never commands', () => {
    const sink = recorder();
    const log = openGroup('Build a', true, sink);
    expect(sink.lines).toEqual(['::group::Build a']);
    log.note('args');
    log.output('INFO[0000] step 1');
    log.output('::set-output name=x::evil');
    log.output('  ::add-mask::x\n##[endgroup]');
    expect(sink.lines).toHaveLength(6);
    log.note('done');
    log.close();
    log.close();
    expect(sink.lines.slice(2, 6).filter(isCommand)).toEqual([]);
    expect(sink.lines[0]).toBe('::group::Build a');
    expect(sink.lines.slice(-2)).toEqual(['done', '::endgroup::']);
    // The text is still readable: only an invisible mark was added.
    expect(sink.lines[3]!.replace(/\u2060/g, '')).toBe('::set-output name=x::evil');
    expect(sink.lines[5]!.replace(/\u2060/g, '')).toBe('##[endgroup]');
  });

  it('buffered: prints nothing until closed, then the whole group at once', () => {
    const sink = recorder();
    const a = openGroup('Build a', false, sink);
    const b = openGroup('Build b', false, sink);
    a.output('a1');
    b.output('b1');
    a.output('a2');
    b.note('b done');
    expect(sink.lines).toEqual([]);
    b.close();
    a.close();
    expect(sink.lines).toEqual([
      '::group::Build b',
      'b1',
      'b done',
      '::endgroup::',
      '::group::Build a',
      'a1',
      'a2',
      '::endgroup::',
    ]);
  });

  it('splits text that holds several lines, and drops what comes after close', () => {
    const sink = recorder();
    const log = openGroup('t', false, sink);
    log.note('one\ntwo\r\n');
    log.close();
    log.note('late');
    expect(sink.lines).toEqual(['::group::t', 'one', 'two', '::endgroup::']);
  });
});
