import { describe, expect, it } from 'vitest';
import { openGroup, type LogSink } from '../../src/lib/log-group.js';

function recorder(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    startGroup: (title) => lines.push(`::group::${title}`),
    endGroup: () => lines.push('::endgroup::'),
    info: (line) => lines.push(line),
  };
}

/** The token of the first `::stop-commands::` line. */
function tokenOf(lines: string[]): string {
  const line = lines.find((l) => l.startsWith('::stop-commands::')) ?? '';
  return line.slice('::stop-commands::'.length);
}

describe('openGroup', () => {
  it('live: opens at once, prints each line as it comes, stops commands around executor output', () => {
    const sink = recorder();
    const log = openGroup('Build a', true, sink);
    expect(sink.lines).toEqual(['::group::Build a']);
    log.note('args');
    log.output('INFO[0000] step 1');
    log.output('::set-output name=x::evil');
    expect(sink.lines).toHaveLength(5);
    log.note('done');
    log.close();
    log.close();
    const token = tokenOf(sink.lines);
    expect(token).toMatch(/^kaniko-release-[0-9a-f-]{36}$/);
    expect(sink.lines).toEqual([
      '::group::Build a',
      'args',
      `::stop-commands::${token}`,
      'INFO[0000] step 1',
      '::set-output name=x::evil',
      `::${token}::`,
      'done',
      '::endgroup::',
    ]);
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
    const tb = tokenOf(sink.lines);
    const ta = tokenOf(sink.lines.slice(sink.lines.indexOf('::endgroup::')));
    expect(ta).not.toBe(tb);
    expect(sink.lines).toEqual([
      '::group::Build b',
      `::stop-commands::${tb}`,
      'b1',
      `::${tb}::`,
      'b done',
      '::endgroup::',
      '::group::Build a',
      `::stop-commands::${ta}`,
      'a1',
      'a2',
      `::${ta}::`,
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
