/**
 * The OCI runtime `config.json` of one build: a pure function from what the build needs to the
 * container `docker run` would make of it by default — Docker's capabilities, seccomp profile,
 * masked and read-only paths, mounts and device rules — with the runner's network (no network
 * namespace, as `docker run --network host`) and a pids limit. Field names follow the OCI
 * runtime spec (config.md, config-linux.md).
 */
import { seccompProfile, type SeccompArch, type SeccompProfile } from './seccomp-profile.js';

/** The capabilities `docker run` gives a container (moby's `oci.DefaultCapabilities`): CapEff 00000000a80425fb. */
export const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;

/** Parts of /proc and /sys that reach the host kernel: hidden (Docker's `MaskedPaths`). */
export const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** Kernel settings and triggers: read-only (Docker's `ReadonlyPaths`). */
export const READONLY_PATHS = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/** New namespaces of every build; the network namespace is the runner's. */
export const NAMESPACES = ['pid', 'mount', 'ipc', 'uts', 'cgroup'] as const;

/** Processes (threads included) a build may have at once: ends a fork bomb, not a parallel make. */
export const PIDS_LIMIT = 8192;

/** The host name inside the build's own UTS namespace. */
export const HOSTNAME = 'kaniko';

/** One CPU is this many microseconds of CPU time per period. */
const CPU_PERIOD = 100_000;

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/** A directory or file of the runner shown inside the build. */
export interface BindMount {
  /** Absolute host path. */
  source: string;
  /** Absolute path inside the container. */
  destination: string;
  readOnly: boolean;
}

export interface ContainerConfig {
  /** The command: the executor's entrypoint and arguments. */
  args: string[];
  /** `KEY=VALUE` entries, the whole environment of the command. */
  env: string[];
  /** The root file system, relative to the bundle or absolute. */
  root: string;
  binds: BindMount[];
  arch: SeccompArch;
  /** Bytes; 0: no limit. */
  memoryBytes: number;
  /** CPUs, e.g. 1.5; 0: no limit. */
  cpus: number;
}

/** The kernel file systems every container gets (moby's `oci.DefaultLinuxSpec` mounts). */
const SYSTEM_MOUNTS: OciMount[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
  },
  {
    destination: '/dev/pts',
    type: 'devpts',
    source: 'devpts',
    options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
  },
  {
    destination: '/sys',
    type: 'sysfs',
    source: 'sysfs',
    options: ['nosuid', 'noexec', 'nodev', 'ro'],
  },
  {
    destination: '/sys/fs/cgroup',
    type: 'cgroup',
    source: 'cgroup',
    options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
  },
  {
    destination: '/dev/mqueue',
    type: 'mqueue',
    source: 'mqueue',
    options: ['nosuid', 'noexec', 'nodev'],
  },
  {
    destination: '/dev/shm',
    type: 'tmpfs',
    source: 'shm',
    options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
  },
];

/**
 * Device access: nothing but the standard character devices the runtime creates (null, zero,
 * full, random, urandom, tty, the pty pair), as Docker's default rules.
 */
const DEVICE_RULES = [
  { allow: false, access: 'rwm' },
  ...(
    [
      [1, 3],
      [1, 5],
      [1, 7],
      [1, 8],
      [1, 9],
      [5, 0],
      [5, 1],
      [5, 2],
    ] as const
  ).map(([major, minor]) => ({ allow: true, type: 'c', major, minor, access: 'rwm' })),
  { allow: true, type: 'c', major: 136, access: 'rwm' },
];

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: false;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<
      'bounding' | 'effective' | 'permitted' | 'inheritable' | 'ambient',
      string[]
    >;
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  linux: {
    namespaces: { type: string }[];
    resources: {
      devices: object[];
      pids: { limit: number };
      memory?: { limit: number; swap: number };
      cpu?: { quota: number; period: number };
    };
    maskedPaths: string[];
    readonlyPaths: string[];
    seccomp: SeccompProfile;
  };
}

/** The `config.json` of one build. */
export function containerSpec(config: ContainerConfig): OciSpec {
  const caps = [...CAPABILITIES];
  const resources: OciSpec['linux']['resources'] = {
    devices: DEVICE_RULES,
    pids: { limit: PIDS_LIMIT },
  };
  // No swap beyond the limit: a build over its memory is ended, not slowed to a crawl.
  if (config.memoryBytes > 0) {
    resources.memory = { limit: config.memoryBytes, swap: config.memoryBytes };
  }
  if (config.cpus > 0) {
    resources.cpu = { quota: Math.round(config.cpus * CPU_PERIOD), period: CPU_PERIOD };
  }
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: config.args,
      env: config.env,
      cwd: '/',
      // Inheritable and ambient stay empty (as in Docker since 23.0): an executed file gains
      // no capability from its file capabilities beyond the bounding set.
      capabilities: {
        bounding: caps,
        effective: caps,
        permitted: caps,
        inheritable: [],
        ambient: [],
      },
      // As with `docker run`: a setuid binary in a RUN step (sudo, su) still works.
      noNewPrivileges: false,
    },
    root: { path: config.root, readonly: false },
    hostname: HOSTNAME,
    mounts: [
      ...SYSTEM_MOUNTS,
      ...config.binds.map((b): OciMount => ({
        destination: b.destination,
        type: 'bind',
        source: b.source,
        options: ['bind', b.readOnly ? 'ro' : 'rw', 'nosuid', 'nodev'],
      })),
    ],
    linux: {
      namespaces: NAMESPACES.map((type) => ({ type })),
      resources,
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      seccomp: seccompProfile(config.arch),
    },
  };
}

/** The seccomp architecture of this runner, or `undefined` where the action has no profile. */
export function seccompArch(nodeArch: string = process.arch): SeccompArch | undefined {
  if (nodeArch === 'x64') return 'amd64';
  if (nodeArch === 'arm64') return 'arm64';
  return undefined;
}
