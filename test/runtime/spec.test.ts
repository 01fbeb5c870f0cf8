/**
 * The bundle's `config.json` as data: Docker's capabilities (bit for bit what `CapEff` shows),
 * namespaces without the network, mounts, device rules, limits, and the seccomp profile's
 * shape — what it allows, what it refuses, per architecture. The container tests prove the
 * same from inside a real container.
 */
import { describe, expect, it } from 'vitest';
import { seccompProfile, type SeccompRule } from '../../src/runtime/seccomp-profile.js';
import {
  CAPABILITIES,
  containerSpec,
  MASKED_PATHS,
  PIDS_LIMIT,
  READONLY_PATHS,
  seccompArch,
  type ContainerConfig,
} from '../../src/runtime/spec.js';

/** Capability numbers from linux/capability.h. */
const CAP_NUMBERS: Record<string, number> = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_ADMIN: 21,
  CAP_MKNOD: 27,
  CAP_AUDIT_WRITE: 29,
  CAP_SETFCAP: 31,
};

const config: ContainerConfig = {
  args: ['/kaniko/executor', '--force'],
  env: ['PATH=/kaniko', 'https_proxy=http://proxy:3128'],
  root: 'rootfs',
  binds: [
    { source: '/tmp/ctx', destination: '/workspace', readOnly: true },
    { source: '/tmp/out', destination: '/kaniko/output', readOnly: false },
  ],
  arch: 'amd64',
  memoryBytes: 0,
  cpus: 0,
};

function allowed(rules: SeccompRule[]): Set<string> {
  return new Set(
    rules.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names),
  );
}

describe('containerSpec', () => {
  it("gives Docker's 14 default capabilities, which are CapEff 00000000a80425fb", () => {
    const spec = containerSpec(config);
    const caps = spec.process.capabilities;
    expect(caps.effective).toHaveLength(14);
    const bits = caps.effective.reduce((sum, c) => sum + 2 ** CAP_NUMBERS[c]!, 0);
    expect(bits.toString(16).padStart(16, '0')).toBe('00000000a80425fb');
    expect(caps.bounding).toEqual(caps.effective);
    expect(caps.permitted).toEqual(caps.effective);
    expect(caps.inheritable).toEqual([]);
    expect(caps.ambient).toEqual([]);
    for (const dangerous of [
      'CAP_SYS_ADMIN',
      'CAP_NET_ADMIN',
      'CAP_SYS_PTRACE',
      'CAP_DAC_READ_SEARCH',
    ]) {
      expect(CAPABILITIES).not.toContain(dangerous);
    }
  });

  it('makes new PID, mount, IPC, UTS and cgroup namespaces and keeps the runner network', () => {
    const types = containerSpec(config).linux.namespaces.map((n) => n.type);
    expect(types.sort()).toEqual(['cgroup', 'ipc', 'mount', 'pid', 'uts']);
  });

  it('binds without following submounts, read-only where asked, never with devices or setuid', () => {
    const mounts = containerSpec(config).mounts.filter((m) => m.type === 'bind');
    expect(mounts).toEqual([
      {
        destination: '/workspace',
        type: 'bind',
        source: '/tmp/ctx',
        options: ['bind', 'ro', 'nosuid', 'nodev'],
      },
      {
        destination: '/kaniko/output',
        type: 'bind',
        source: '/tmp/out',
        options: ['bind', 'rw', 'nosuid', 'nodev'],
      },
    ]);
  });

  it('mounts /sys and the cgroup tree read-only, and masks and protects the kernel paths', () => {
    const spec = containerSpec(config);
    const byDestination = Object.fromEntries(spec.mounts.map((m) => [m.destination, m]));
    expect(byDestination['/sys']?.options).toContain('ro');
    expect(byDestination['/sys/fs/cgroup']?.options).toContain('ro');
    expect(byDestination['/proc']?.options).toEqual(['nosuid', 'noexec', 'nodev']);
    expect(spec.linux.maskedPaths).toBe(MASKED_PATHS);
    expect(spec.linux.readonlyPaths).toBe(READONLY_PATHS);
    expect(READONLY_PATHS).toContain('/proc/sys');
    expect(MASKED_PATHS).toEqual(
      expect.arrayContaining(['/proc/kcore', '/proc/keys', '/sys/firmware']),
    );
  });

  it('denies every device but the standard character ones', () => {
    const rules = containerSpec(config).linux.resources.devices as {
      allow: boolean;
      type?: string;
    }[];
    expect(rules[0]).toEqual({ allow: false, access: 'rwm' });
    expect(rules.slice(1).every((r) => r.allow && r.type === 'c')).toBe(true);
  });

  it.each([
    [0, 0, {}],
    [4 * 1024 ** 3, 0, { memory: { limit: 4 * 1024 ** 3, swap: 4 * 1024 ** 3 } }],
    [0, 1.5, { cpu: { quota: 150_000, period: 100_000 } }],
    [0, 0.25, { cpu: { quota: 25_000, period: 100_000 } }],
  ])('limits pids always, memory %d and cpus %d when given', (memoryBytes, cpus, extra) => {
    const { resources } = containerSpec({ ...config, memoryBytes, cpus }).linux;
    const { devices: _devices, ...limits } = resources;
    expect(limits).toEqual({ pids: { limit: PIDS_LIMIT }, ...extra });
  });

  it('puts the environment in the spec, as root in /, without a terminal', () => {
    const spec = containerSpec(config);
    expect(spec.process).toMatchObject({
      terminal: false,
      user: { uid: 0, gid: 0 },
      cwd: '/',
      args: config.args,
      env: config.env,
    });
    expect(spec.root).toEqual({ path: 'rootfs', readonly: false });
    expect(spec.hostname).toBe('kaniko');
  });

  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['ppc64', undefined],
  ])('has a seccomp profile for %s: %s', (nodeArch, expected) => {
    expect(seccompArch(nodeArch)).toBe(expected);
  });
});

describe('seccompProfile', () => {
  it.each(['amd64', 'arm64'] as const)(
    'refuses by default with EPERM on %s and its 32-bit ABIs',
    (arch) => {
      const profile = seccompProfile(arch);
      expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
      expect(profile.defaultErrnoRet).toBe(1);
      expect(profile.architectures).toEqual(
        arch === 'amd64'
          ? ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']
          : ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
      );
    },
  );

  it('lists every system call once', () => {
    const names = seccompProfile('amd64')
      .syscalls.filter((r) => !r.args)
      .flatMap((r) => r.names);
    expect(new Set(names).size).toBe(names.length);
  });

  it('allows what builds do and nothing that reaches beyond the container', () => {
    const allow = allowed(seccompProfile('amd64').syscalls);
    for (const name of [
      'read',
      'openat',
      'execve',
      'fork',
      'chown',
      'setxattr',
      'chroot',
      'ptrace',
      'arch_prctl',
    ]) {
      expect(allow, name).toContain(name);
    }
    for (const name of [
      'mount',
      'umount2',
      'unshare',
      'setns',
      'pivot_root',
      'keyctl',
      'add_key',
      'request_key',
      'bpf',
      'perf_event_open',
      'kexec_load',
      'init_module',
      'finit_module',
      'delete_module',
      'reboot',
      'swapon',
      'acct',
      'settimeofday',
      'clock_settime',
      'open_by_handle_at',
      'iopl',
      'ioperm',
      'syslog',
      'userfaultfd',
      'fsopen',
      'move_mount',
      'open_tree',
      'sethostname',
      'clone3',
      'mknod',
      'mknodat',
      'socket',
      'clone',
      'personality',
    ]) {
      expect(allow, name).not.toContain(name);
    }
  });

  it('allows the architecture-only calls on their architecture alone', () => {
    expect(allowed(seccompProfile('arm64').syscalls)).not.toContain('arch_prctl');
    expect(allowed(seccompProfile('arm64').syscalls)).toContain('cacheflush');
    expect(allowed(seccompProfile('amd64').syscalls)).not.toContain('cacheflush');
  });

  it('allows clone without namespace flags, clone3 as ENOSYS, sockets but vsock', () => {
    const rules = seccompProfile('amd64').syscalls;
    expect(rules.find((r) => r.names.includes('clone'))).toEqual({
      names: ['clone'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    });
    expect(rules.find((r) => r.names.includes('clone3'))).toEqual({
      names: ['clone3'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: 38,
    });
    expect(rules.find((r) => r.names.includes('socket'))?.args).toEqual([
      { index: 0, value: 40, op: 'SCMP_CMP_NE' },
    ]);
  });

  it('allows mknod of every file type but a block device', () => {
    const rules = seccompProfile('amd64').syscalls.filter((r) => r.names[0] === 'mknodat');
    const allowedTypes = rules.map((r) => r.args![0]!.valueTwo);
    expect(rules.every((r) => r.args![0]!.index === 2 && r.args![0]!.value === 0o170000)).toBe(
      true,
    );
    expect(allowedTypes).not.toContain(0o060000);
    expect(allowedTypes.sort()).toEqual([0, 0o010000, 0o020000, 0o100000, 0o140000].sort());
  });
});
