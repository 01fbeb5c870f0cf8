/**
 * Which platforms the runner can build for: its own natively, any other only through the
 * kernel's binfmt_misc (QEMU user emulation), and only with a registration that has the `F`
 * flag — the kernel then opened the interpreter when it was registered, so it works inside the
 * build's container, where no path of the runner's exists. Registrations are matched by what
 * they match (an ELF header of the architecture), whatever their name.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Platform } from '../lib/oci.js';

export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** One `binfmt_misc` registration, as the kernel shows it. */
export interface Registration {
  name: string;
  enabled: boolean;
  interpreter: string;
  flags: string;
  offset: number;
  magic: Buffer;
  mask: Buffer;
}

/** ELF class (32/64 bit), byte order and machine of each architecture `platforms` accepts. */
const ELF: Record<string, { bits: 32 | 64; big: boolean; machine: number; qemu: string }> = {
  amd64: { bits: 64, big: false, machine: 62, qemu: 'x86_64' },
  '386': { bits: 32, big: false, machine: 3, qemu: 'i386' },
  arm64: { bits: 64, big: false, machine: 183, qemu: 'aarch64' },
  arm: { bits: 32, big: false, machine: 40, qemu: 'arm' },
  ppc64le: { bits: 64, big: false, machine: 21, qemu: 'ppc64le' },
  s390x: { bits: 64, big: true, machine: 22, qemu: 's390x' },
  riscv64: { bits: 64, big: false, machine: 243, qemu: 'riscv64' },
  mips64le: { bits: 64, big: false, machine: 8, qemu: 'mips64el' },
};

/** Architectures a CPU runs besides its own (x86-64 CPUs run 32-bit x86 code). */
const ALSO_NATIVE: Record<string, string[]> = { amd64: ['386'] };

/** The first 20 bytes of an ELF program of `architecture`: an executable, or a PIE. */
export function elfHeader(architecture: string, type: 'exec' | 'dyn' = 'exec'): Buffer | undefined {
  const elf = ELF[architecture];
  if (!elf) return undefined;
  const header = Buffer.alloc(20);
  header.set([0x7f, 0x45, 0x4c, 0x46, elf.bits === 64 ? 2 : 1, elf.big ? 2 : 1, 1]);
  const write = (value: number, at: number): void => {
    if (elf.big) header.writeUInt16BE(value, at);
    else header.writeUInt16LE(value, at);
  };
  write(type === 'exec' ? 2 : 3, 16);
  write(elf.machine, 18);
  return header;
}

/** Parses a registration file (`enabled`, `interpreter …`, `flags: …`, `offset`, `magic`, `mask`). */
export function parseRegistration(name: string, text: string): Registration | undefined {
  const lines = text.split('\n').map((l) => l.trim());
  const value = (key: string): string | undefined =>
    lines
      .find((l) => l.startsWith(`${key} `) || l === key)
      ?.slice(key.length)
      .trim();
  const magic = value('magic');
  if (magic === undefined || !/^[0-9a-f]*$/i.test(magic)) return undefined; // an extension match
  const mask = value('mask');
  return {
    name,
    enabled: lines[0] === 'enabled',
    interpreter: value('interpreter') ?? '',
    flags: value('flags:') ?? '',
    offset: Number(value('offset') ?? 0),
    magic: Buffer.from(magic, 'hex'),
    mask: mask && /^[0-9a-f]+$/i.test(mask) ? Buffer.from(mask, 'hex') : Buffer.alloc(0),
  };
}

/** Whether the kernel would hand a program starting with `header` to this registration. */
export function matches(registration: Registration, header: Buffer): boolean {
  const { magic, mask, offset } = registration;
  if (magic.length === 0 || offset + magic.length > header.length) return false;
  for (let i = 0; i < magic.length; i++) {
    const m = i < mask.length ? mask[i]! : 0xff;
    if ((header[offset + i]! ^ magic[i]!) & m) return false;
  }
  return true;
}

/** Every magic registration under `dir`; `undefined` when binfmt_misc is not mounted there. */
export async function readRegistrations(dir = BINFMT_DIR): Promise<Registration[] | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  if (!names.includes('register')) return undefined;
  const out: Registration[] = [];
  for (const name of names) {
    if (name === 'register' || name === 'status') continue;
    const text = await fs.readFile(path.join(dir, name), 'utf8').catch(() => '');
    const registration = parseRegistration(name, text);
    if (registration) out.push(registration);
  }
  return out;
}

/** Whether the runner's CPU runs programs of `platform` without emulation. */
export function runsNatively(platform: Platform, runner: Platform): boolean {
  if (platform.os !== runner.os) return false;
  if (platform.architecture === runner.architecture) return true;
  return (ALSO_NATIVE[runner.architecture] ?? []).includes(platform.architecture);
}

const SETUP_QEMU =
  'where Docker is available, `uses: docker/setup-qemu-action@v3` before this step does the same';

/**
 * Why the runner cannot build `platform`, with the command that fixes it; `undefined` when it
 * can (natively, or through an enabled registration with the `F` flag).
 */
export function emulationProblem(
  platform: Platform,
  name: string,
  runner: Platform,
  registrations: readonly Registration[] | undefined,
  dir = BINFMT_DIR,
): string | undefined {
  if (runsNatively(platform, runner)) return undefined;
  const elf = ELF[platform.architecture];
  if (platform.os !== 'linux' || !elf) {
    return `${name} cannot be built on this ${runner.os}/${runner.architecture} runner.`;
  }
  const headers = [
    elfHeader(platform.architecture, 'exec')!,
    elfHeader(platform.architecture, 'dyn')!,
  ];
  const found = (registrations ?? []).filter((r) => headers.every((h) => matches(r, h)));
  const usable = found.find((r) => r.enabled && r.flags.includes('F'));
  if (usable) return undefined;
  const conf = `/usr/lib/binfmt.d/qemu-${elf.qemu}.conf`;
  const need = `${name} needs QEMU user emulation: this ${runner.os}/${runner.architecture} runner cannot run ${platform.architecture} programs (RUN steps) by itself`;
  const disabled = found.find((r) => !r.enabled && r.flags.includes('F'));
  if (disabled) {
    return `${need}, and its binfmt_misc registration ${disabled.name} is disabled. Enable it before this step: \`sudo sh -c 'echo 1 > ${dir}/${disabled.name}'\`.`;
  }
  const [withoutF] = found;
  if (withoutF) {
    return `${need}, and its binfmt_misc registration ${withoutF.name} lacks the F flag, without which the interpreter ${withoutF.interpreter || '(unknown)'} cannot be found inside the build's container. Register it again with the F flag before this step, e.g. with Debian/Ubuntu's qemu-user-static: \`sudo sh -c 'echo -1 > ${dir}/${withoutF.name} && cat ${conf} > ${dir}/register'\`; ${SETUP_QEMU}.`;
  }
  const mount =
    registrations === undefined ? `mount -t binfmt_misc binfmt_misc ${dir} 2>/dev/null; ` : '';
  return `${need}, and no binfmt_misc registration handles them. Register QEMU with the F flag before this step, e.g. with Debian/Ubuntu's qemu-user-static: \`sudo apt-get install -y qemu-user-static && sudo sh -c '${mount}[ -e ${dir}/qemu-${elf.qemu} ] || cat ${conf} > ${dir}/register'\`; ${SETUP_QEMU}.`;
}
