/**
 * The check every path read back from step state passes before the post step deletes it:
 * only `<prefix>…` directly under RUNNER_TEMP, a real directory, never a link, never `..`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotOwnedError, ownedTempDir } from '../../src/lib/owned-dirs.js';

const PREFIX = 'kaniko-release-builds-';
let base: string;
let temp: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'owned-dirs-')));
  temp = path.join(base, 'temp');
  fs.mkdirSync(path.join(temp, `${PREFIX}abc`), { recursive: true });
  fs.writeFileSync(path.join(temp, `${PREFIX}file`), 'x');
  fs.symlinkSync(base, path.join(temp, `${PREFIX}link`));
  fs.symlinkSync(temp, path.join(base, 'temp-link'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('ownedTempDir', () => {
  it('accepts a directory of the action directly under RUNNER_TEMP, or one already gone', () => {
    expect(ownedTempDir(path.join(temp, `${PREFIX}abc`), PREFIX, temp)).toBe(
      path.join(temp, `${PREFIX}abc`),
    );
    expect(ownedTempDir(path.join(temp, `${PREFIX}gone`), PREFIX, temp)).toBe(
      path.join(temp, `${PREFIX}gone`),
    );
  });

  it('accepts it under the real path when RUNNER_TEMP is given through a link', () => {
    const viaLink = path.join(base, 'temp-link');
    expect(ownedTempDir(path.join(temp, `${PREFIX}abc`), PREFIX, viaLink)).toBe(
      path.join(temp, `${PREFIX}abc`),
    );
  });

  it('refuses everything when RUNNER_TEMP is not set', () => {
    expect(() => ownedTempDir(path.join(temp, `${PREFIX}abc`), PREFIX, '')).toThrow(
      /RUNNER_TEMP is not set/,
    );
  });

  it.each([
    ['..', /not an absolute path/],
    ['', /not an absolute path/],
    [`${PREFIX}abc`, /not an absolute path/],
    ['/', /not a normalised path/],
    ['/etc', /not directly under RUNNER_TEMP/],
    ['TEMP', /not directly under RUNNER_TEMP/],
    ['TEMP/', /not a normalised path/],
    [`TEMP/${PREFIX}abc/`, /not a normalised path/],
    [`TEMP/${PREFIX}abc/../..`, /not a normalised path/],
    [`TEMP/${PREFIX}x/../other`, /not a normalised path/],
    [`TEMP/${PREFIX}abc/deeper`, /not directly under RUNNER_TEMP/],
    ['TEMP/other', /its name does not start with the action's 'kaniko-release-builds-'/],
    [`TEMP/${PREFIX}`, /its name does not start/],
    [`TEMP/${PREFIX}a\nb`, /its name does not start/],
    [`TEMP/${PREFIX}link`, /it is a symbolic link/],
    [`TEMP/${PREFIX}file`, /it is not a directory/],
  ])('refuses %j', (value, why) => {
    const resolved = value.replace(/^TEMP/, temp);
    expect(() => ownedTempDir(resolved, PREFIX, temp)).toThrow(NotOwnedError);
    expect(() => ownedTempDir(resolved, PREFIX, temp)).toThrow(why);
    expect(() => ownedTempDir(resolved, PREFIX, temp)).toThrow(/^Refusing to delete ".*": /);
  });
});
