/**
 * The runner's reading of stdout commands, as the end-to-end tests see it: what lets their
 * "no directory name sets an output or a state" assertions fail when one does.
 */
import { describe, expect, it } from 'vitest';
import { stdoutCommands } from './run-action.js';

describe('stdoutCommands', () => {
  it('sets outputs and state from ::set-output and ::save-state lines, indented or not', () => {
    const stdout = [
      'building x',
      '::set-output name=changed::pwned',
      '   ::save-state name=work-dir::..',
      '::save-state name=multi%2Cline::a%0Ab%25',
      '::warning::not an output',
    ].join('\n');
    expect(stdoutCommands(stdout)).toEqual({
      outputs: { changed: 'pwned' },
      state: { 'work-dir': '..', 'multi,line': 'a\nb%' },
    });
  });

  it('ignores commands between ::stop-commands::TOKEN and ::TOKEN::, and text inside a line', () => {
    const stdout = [
      '::stop-commands::t0ken',
      '::set-output name=changed::pwned',
      '::t0ken::',
      '::save-state name=after::yes',
      'x ::save-state name=work-dir::..',
    ].join('\n');
    expect(stdoutCommands(stdout)).toEqual({ outputs: {}, state: { after: 'yes' } });
  });
});
