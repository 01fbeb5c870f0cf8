/**
 * Finding the OCI runtime: the decision for what a runner offers (pure, table-driven), and the
 * real discovery on this machine — runc and crun by name, a binary by absolute path, and the
 * ways it fails before any build, saying what to install.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decideRuntime,
  findRuntime,
  probeRunner,
  type RunnerProbe,
} from '../../src/runtime/discover.js';
import { selectRuntime } from '../../src/runtime/select.js';

const isRoot = process.getuid?.() === 0;

const runner: RunnerProbe = {
  platform: 'linux',
  uid: 0,
  privilege: 'root',
  binaries: { runc: '/usr/sbin/runc', crun: '/usr/bin/crun' },
};

describe('decideRuntime', () => {
  it.each<[string, string, Partial<RunnerProbe>, string, string]>([
    ['auto picks runc first', 'auto', {}, 'runc', '/usr/sbin/runc'],
    [
      'auto takes crun without runc',
      'auto',
      { binaries: { runc: undefined, crun: '/usr/bin/crun' } },
      'crun',
      '/usr/bin/crun',
    ],
    ['crun by name', 'crun', { binaries: { crun: '/usr/bin/crun' } }, 'crun', '/usr/bin/crun'],
    ['a path', '/opt/runc', { binaries: { '/opt/runc': '/opt/runc' } }, '/opt/runc', '/opt/runc'],
  ])('%s', (_, choice, probe, name, binary) => {
    expect(decideRuntime(choice, { ...runner, ...probe })).toEqual({
      ok: true,
      name,
      binary,
      privilege: 'root',
    });
  });

  it('runs the runtime through sudo for a user with passwordless sudo', () => {
    expect(decideRuntime('auto', { ...runner, uid: 1001, privilege: 'sudo' })).toMatchObject({
      ok: true,
      privilege: 'sudo',
    });
  });

  it.each<[string, string, Partial<RunnerProbe>, RegExp[]]>([
    [
      'no runtime at all',
      'auto',
      { binaries: { runc: undefined, crun: undefined } },
      [
        /^No OCI runtime on this runner: 'runtime: auto' needs runc or crun/,
        /sudo apt-get install -y runc$/,
      ],
    ],
    [
      'runc asked for, not installed',
      'runc',
      { binaries: { runc: undefined } },
      [
        /^Input 'runtime' is 'runc', but runc is not installed/,
        /sudo apt-get install -y runc/,
        /'runtime: auto'/,
      ],
    ],
    [
      'a path with nothing there',
      '/opt/nothing',
      { binaries: { '/opt/nothing': undefined } },
      [/there is no executable file at \/opt\/nothing/],
    ],
    [
      'macOS',
      'auto',
      { platform: 'darwin', privilege: undefined, binaries: {} },
      [/which need Linux, and this runner runs darwin/, /runs-on: ubuntu-latest/],
    ],
    [
      'a user without sudo',
      'auto',
      { uid: 1001, privilege: undefined },
      [/runs as uid 1001, not root, and 'sudo -n' does not work/, /passwordless sudo/],
    ],
  ])('refuses %s, saying what to do', (_, choice, probe, patterns) => {
    const decision = decideRuntime(choice, { ...runner, ...probe });
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.message).not.toContain('\n');
    for (const pattern of patterns) expect(decision.message).toMatch(pattern);
  });
});

describe('findRuntime on this machine', () => {
  let temp: string;
  let saved: string | undefined;

  beforeEach(() => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'discover-test-')));
    saved = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = temp;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved;
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it.runIf(isRoot && fs.existsSync('/usr/sbin/runc'))(
    'finds runc for auto, and its version',
    async () => {
      const probe = await probeRunner('auto');
      expect(probe).toMatchObject({ platform: 'linux', uid: 0, privilege: 'root' });
      const runtime = await findRuntime('auto', probe);
      expect(runtime).toMatchObject({ name: 'runc', binary: '/usr/sbin/runc', privilege: 'root' });
      expect(runtime.version).toMatch(/^runc version \d/);
    },
  );

  it.runIf(isRoot && fs.existsSync('/usr/bin/crun'))('finds crun by name', async () => {
    const runtime = await findRuntime('crun');
    expect(runtime).toMatchObject({ name: 'crun', binary: '/usr/bin/crun' });
    expect(runtime.version).toMatch(/^crun version \d/);
  });

  it.runIf(isRoot)(
    'refuses a path that is not an executable file, or a binary that does not run',
    async () => {
      const data = path.join(temp, 'not-executable');
      fs.writeFileSync(data, 'x', { mode: 0o644 });
      await expect(findRuntime(data)).rejects.toThrow(
        /there is no executable file at .*not-executable/,
      );
      const broken = path.join(temp, 'broken-runc');
      fs.writeFileSync(broken, '#!/bin/sh\necho "cannot start: missing library" >&2\nexit 3\n', {
        mode: 0o755,
      });
      await expect(findRuntime(broken)).rejects.toThrow(
        /broken-runc does not run \('--version' failed: cannot start: missing library\)/,
      );
    },
  );

  it('fails before making anything when there is no runtime', async () => {
    await expect(
      selectRuntime(
        { runtime: 'auto', caCertificates: '' },
        { probe: { ...runner, binaries: { runc: undefined, crun: undefined } } },
      ),
    ).rejects.toThrow(/^No OCI runtime on this runner.*sudo apt-get install -y runc$/);
    expect(fs.readdirSync(temp)).toEqual([]);
  });

  it.runIf(isRoot && fs.existsSync('/usr/sbin/runc'))(
    'makes its work directory under RUNNER_TEMP, with a state directory',
    async () => {
      const runtime = await selectRuntime({ runtime: 'runc', caCertificates: '' });
      expect(runtime.name).toBe('runc');
      expect(path.dirname(runtime.workDir)).toBe(temp);
      expect(path.basename(runtime.workDir)).toMatch(/^kaniko-release-builds-/);
      expect(fs.readdirSync(runtime.workDir)).toEqual(['state']);
      expect(fs.statSync(runtime.workDir).mode & 0o777).toBe(0o700);
    },
  );
});
