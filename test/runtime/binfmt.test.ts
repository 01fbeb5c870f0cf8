/**
 * Which platforms the runner can build: registrations read from a binfmt_misc directory in the
 * kernel's format (a copy, so every case can be set up; and the machine's own, where it has one),
 * matched by what they match, with the F flag required, and the messages that say how to fix it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BINFMT_DIR,
  elfHeader,
  emulationProblem,
  matches,
  parseRegistration,
  readRegistrations,
  runsNatively,
} from '../../src/runtime/binfmt.js';
import { writeFiles } from '../support/git-repo.js';

/** What the kernel shows for Debian's qemu-aarch64 registration (flags as given). */
function aarch64(flags: string, enabled = true): string {
  return [
    enabled ? 'enabled' : 'disabled',
    'interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P',
    `flags: ${flags}`,
    'offset 0',
    'magic 7f454c460201010000000000000000000200b700',
    'mask ffffffffffffff00fffffffffffffffffeffffff',
    '',
  ].join('\n');
}

const dirs: string[] = [];
/** A binfmt_misc directory holding `register`, `status` and these registrations. */
function binfmtDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'binfmt-'));
  dirs.push(dir);
  writeFiles(dir, { register: '', status: 'enabled\n', ...files });
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

describe('binfmt_misc registrations', () => {
  it('parses a registration and matches ELF programs of its architecture only', () => {
    const r = parseRegistration('qemu-aarch64', aarch64('POCF'))!;
    expect(r).toMatchObject({
      name: 'qemu-aarch64',
      enabled: true,
      flags: 'POCF',
      offset: 0,
      interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P',
    });
    expect(matches(r, elfHeader('arm64', 'exec')!)).toBe(true);
    expect(matches(r, elfHeader('arm64', 'dyn')!)).toBe(true);
    for (const other of ['amd64', 'arm', 's390x', 'riscv64', 'ppc64le']) {
      expect(matches(r, elfHeader(other)!)).toBe(false);
    }
  });

  it('ignores registrations by extension', () => {
    expect(
      parseRegistration('jar', 'enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n'),
    ).toBeUndefined();
  });

  it('reads a directory, or says binfmt_misc is not mounted', async () => {
    const dir = binfmtDir({ 'qemu-aarch64': aarch64('OCF') });
    const found = await readRegistrations(dir);
    expect(found?.map((r) => r.name)).toEqual(['qemu-aarch64']);
    const unmounted = fs.mkdtempSync(path.join(os.tmpdir(), 'binfmt-empty-'));
    dirs.push(unmounted);
    expect(await readRegistrations(unmounted)).toBeUndefined();
    expect(await readRegistrations(path.join(unmounted, 'missing'))).toBeUndefined();
  });

  it.runIf(fs.existsSync(path.join(BINFMT_DIR, 'qemu-aarch64')))(
    "reads this machine's own qemu-aarch64 registration",
    async () => {
      const found = (await readRegistrations())!.find((r) => r.name === 'qemu-aarch64')!;
      expect(matches(found, elfHeader('arm64')!)).toBe(true);
      expect(matches(found, elfHeader('amd64')!)).toBe(false);
    },
  );
});

describe('which platforms the runner can build', () => {
  it('runs its own architecture, and 32-bit x86 on x86-64, without emulation', () => {
    expect(runsNatively(amd64, amd64)).toBe(true);
    expect(runsNatively({ os: 'linux', architecture: '386' }, amd64)).toBe(true);
    expect(runsNatively(arm64, amd64)).toBe(false);
    expect(runsNatively(amd64, arm64)).toBe(false);
  });

  it('accepts an enabled registration with the F flag, whatever its name', async () => {
    const dir = binfmtDir({ aarch64: aarch64('F') });
    expect(emulationProblem(arm64, 'linux/arm64', amd64, await readRegistrations(dir), dir)).toBe(
      undefined,
    );
    expect(emulationProblem(amd64, 'linux/amd64', amd64, [], dir)).toBeUndefined();
  });

  it('says how to register QEMU when nothing handles the architecture', async () => {
    const dir = binfmtDir({ 'qemu-aarch64': aarch64('OCF') });
    const message = emulationProblem(
      { os: 'linux', architecture: 's390x' },
      'linux/s390x',
      amd64,
      await readRegistrations(dir),
      dir,
    )!;
    expect(message).toContain(
      'linux/s390x needs QEMU user emulation: this linux/amd64 runner cannot run s390x programs',
    );
    expect(message).toContain('no binfmt_misc registration handles them');
    expect(message).toContain(
      `\`sudo apt-get install -y qemu-user-static && sudo sh -c '[ -e ${dir}/qemu-s390x ] || cat /usr/lib/binfmt.d/qemu-s390x.conf > ${dir}/register'\``,
    );
    expect(message).toContain('`uses: docker/setup-qemu-action@v3`');
  });

  it('mounts binfmt_misc first in the command when it is not mounted', () => {
    const message = emulationProblem(arm64, 'linux/arm64', amd64, undefined)!;
    expect(message).toContain(
      `sudo sh -c 'mount -t binfmt_misc binfmt_misc ${BINFMT_DIR} 2>/dev/null; [ -e ${BINFMT_DIR}/qemu-aarch64 ] ||`,
    );
  });

  it('refuses a registration without the F flag, and says how to register it again', async () => {
    const dir = binfmtDir({ 'qemu-aarch64': aarch64('OC') });
    const message = emulationProblem(
      arm64,
      'linux/arm64',
      amd64,
      await readRegistrations(dir),
      dir,
    )!;
    expect(message).toContain('its binfmt_misc registration qemu-aarch64 lacks the F flag');
    expect(message).toContain('/usr/libexec/qemu-binfmt/aarch64-binfmt-P');
    expect(message).toContain(
      `\`sudo sh -c 'echo -1 > ${dir}/qemu-aarch64 && cat /usr/lib/binfmt.d/qemu-aarch64.conf > ${dir}/register'\``,
    );
  });

  it('says how to enable a disabled registration', async () => {
    const dir = binfmtDir({ 'qemu-aarch64': aarch64('F', false) });
    const message = emulationProblem(
      arm64,
      'linux/arm64',
      amd64,
      await readRegistrations(dir),
      dir,
    )!;
    expect(message).toContain('qemu-aarch64 is disabled');
    expect(message).toContain(`\`sudo sh -c 'echo 1 > ${dir}/qemu-aarch64'\``);
  });
});
