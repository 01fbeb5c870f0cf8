import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decideRuntime,
  probeIsolation,
  selectRuntime,
  type IsolationProbe,
} from '../../src/runtime/select.js';

const able: IsolationProbe = {
  platform: 'linux',
  uid: 0,
  sudo: null,
  missingTools: [],
  namespaces: { ok: true, detail: '' },
};

describe('decideRuntime', () => {
  it.each<[string, Partial<IsolationProbe>, 'root' | 'sudo']>([
    ['root on Linux', {}, 'root'],
    ['a user with passwordless sudo', { uid: 1001, sudo: true }, 'sudo'],
  ])('picks the sandbox for %s', (_, probe, privilege) => {
    for (const choice of ['auto', 'sandbox'] as const) {
      expect(decideRuntime(choice, { ...able, ...probe })).toEqual({ ok: true, privilege });
    }
  });

  it.each<[string, Partial<IsolationProbe>, RegExp[]]>([
    [
      'macOS',
      { platform: 'darwin', namespaces: null },
      [/needs Linux, and this runner runs darwin/, /runs-on: ubuntu-latest/],
    ],
    [
      'a user without sudo',
      { uid: 1001, sudo: false, namespaces: null },
      [
        /runs as uid 1001, not root, and 'sudo -n' does not work/,
        /passwordless sudo/,
        /--privileged/,
      ],
    ],
    [
      'missing tools',
      { missingTools: ['unshare', 'chroot'], namespaces: null },
      [/'unshare', 'chroot' are not installed/, /util-linux and coreutils/],
    ],
    [
      'an unprivileged container',
      { namespaces: { ok: false, detail: 'unshare failed: Operation not permitted' } },
      [
        /creating mount, PID, UTS and IPC namespaces with a root of their own failed \(unshare failed: Operation not permitted\)/,
        /--privileged/,
      ],
    ],
  ])('refuses on %s, saying what is missing and what to do', (_, probe, patterns) => {
    const decision = decideRuntime('auto', { ...able, ...probe });
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.message).toMatch(
      /^runtime 'auto' cannot isolate kaniko on this runner \(it must never run on the runner's own root/,
    );
    for (const pattern of patterns) expect(decision.message).toMatch(pattern);
  });
});

describe('selectRuntime', () => {
  let temp: string;
  let saved: string | undefined;

  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-test-'));
    saved = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = temp;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved;
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('fails before making anything when the runner cannot isolate kaniko', async () => {
    await expect(
      selectRuntime(
        { runtime: 'auto', caCertificates: '' },
        { ...able, uid: 1001, sudo: false, namespaces: null },
      ),
    ).rejects.toThrow(/not root, and 'sudo -n' does not work/);
    expect(fs.readdirSync(temp)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)('finds the sandbox usable here, as root', async () => {
    const probe = await probeIsolation();
    expect(probe).toEqual({
      ...able,
      platform: 'linux',
      uid: 0,
      namespaces: { ok: true, detail: 'exit status 0' },
    });
    const runtime = await selectRuntime({ runtime: 'auto', caCertificates: '' }, probe);
    expect(runtime.name).toBe('sandbox');
    expect(path.dirname(runtime.workDir)).toBe(fs.realpathSync(temp));
    expect(fs.statSync(runtime.workDir).isDirectory()).toBe(true);
  });
});
