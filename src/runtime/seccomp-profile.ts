/**
 * The seccomp filter of every build: Docker's default profile, resolved for the one set of
 * capabilities a build has (`CAPABILITIES` in `spec.ts`) and for the runner's architecture.
 *
 * Written from the facts of moby's `profiles/seccomp/default.json` (the allow-list Docker
 * applies to `docker run` without `--security-opt seccomp=…`): everything not listed fails with
 * EPERM. That profile also has rules that apply only with extra capabilities (CAP_SYS_ADMIN,
 * CAP_SYS_PTRACE, CAP_SYS_MODULE, …); a build never has those, so those rules are left out
 * here, which is exactly what Docker's engine does when it resolves the profile for a
 * container with the default capabilities. The format is the OCI runtime spec's
 * `linux.seccomp` (config-linux.md, "Seccomp"). Pure data, no I/O.
 *
 * One deliberate difference: Docker lets `mknod` make block devices (its device cgroup then
 * refuses to open them); here `mknod`/`mknodat` of a block device fail at once, so a
 * Dockerfile cannot even name the runner's disk.
 */

/** One argument test; for `SCMP_CMP_MASKED_EQ`: `(argument & value) === valueTwo`. */
export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: 'SCMP_CMP_EQ' | 'SCMP_CMP_NE' | 'SCMP_CMP_MASKED_EQ';
}

export interface SeccompRule {
  names: string[];
  action: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';
  errnoRet?: number;
  args?: SeccompArg[];
}

export interface SeccompProfile {
  defaultAction: 'SCMP_ACT_ERRNO';
  defaultErrnoRet: number;
  architectures: string[];
  syscalls: SeccompRule[];
}

/** The Go/OCI names of the architectures the action runs on. */
export type SeccompArch = 'amd64' | 'arm64';

const EPERM = 1;
const ENOSYS = 38;

/** Whitespace-separated names as a list. */
function names(text: string): string[] {
  return text.trim().split(/\s+/);
}

/**
 * Allowed unconditionally by Docker's profile, grouped here by what they are for (the profile
 * keeps one alphabetical list). Names a kernel or libseccomp does not know are skipped by
 * the runtime, as with Docker.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  files: names(`
    access chdir chmod chown chown32 close close_range copy_file_range creat dup dup2 dup3
    faccessat faccessat2 fadvise64 fadvise64_64 fallocate fchdir fchmod fchmodat fchown
    fchown32 fchownat fcntl fcntl64 fdatasync flock fstat fstat64 fstatat64 fstatfs
    fstatfs64 fsync ftruncate ftruncate64 futimesat getcwd getdents getdents64 lchown
    lchown32 link linkat _llseek lseek lstat lstat64 mkdir mkdirat name_to_handle_at
    newfstatat open openat openat2 pread64 preadv preadv2 pwrite64 pwritev pwritev2 read
    readahead readlink readlinkat readv rename renameat renameat2 rmdir sendfile sendfile64
    splice stat stat64 statfs statfs64 statx symlink symlinkat sync sync_file_range syncfs
    tee truncate truncate64 umask unlink unlinkat utime utimensat utimensat_time64 utimes
    vmsplice write writev
  `),
  'extended attributes': names(`
    fgetxattr flistxattr fremovexattr fsetxattr getxattr lgetxattr listxattr llistxattr
    lremovexattr lsetxattr removexattr setxattr
  `),
  'polling, events, asynchronous I/O': names(`
    epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
    epoll_wait_old eventfd eventfd2 fanotify_mark inotify_add_watch inotify_init
    inotify_init1 inotify_rm_watch io_cancel io_destroy io_getevents io_pgetevents
    io_pgetevents_time64 io_setup io_submit io_uring_enter io_uring_register io_uring_setup
    ioctl _newselect poll ppoll ppoll_time64 pselect6 pselect6_time64 select signalfd
    signalfd4 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
    timerfd_settime64
  `),
  'processes and threads': names(`
    capget capset execve execveat exit exit_group fork futex futex_time64 futex_waitv
    get_robust_list get_thread_area getcpu getegid getegid32 geteuid geteuid32 getgid
    getgid32 getgroups getgroups32 getpgid getpgrp getpid getppid getpriority getresgid
    getresgid32 getresuid getresuid32 getrlimit getrusage getsid gettid getuid getuid32
    ioprio_get ioprio_set kill landlock_add_rule landlock_create_ruleset
    landlock_restrict_self membarrier pidfd_open pidfd_send_signal prctl prlimit64
    process_mrelease restart_syscall rseq sched_get_priority_max sched_get_priority_min
    sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_rr_get_interval
    sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam
    sched_setscheduler sched_yield seccomp set_robust_list set_thread_area set_tid_address
    setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setpgid
    setpriority setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid
    setreuid32 setrlimit setsid setuid setuid32 tgkill tkill ugetrlimit uname vfork wait4
    waitid waitpid
  `),
  signals: names(`
    alarm pause rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
    rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sigaltstack
    sigprocmask sigreturn
  `),
  memory: names(`
    brk madvise memfd_create memfd_secret mincore mlock mlock2 mlockall mmap mmap2 mprotect
    mremap msync munlock munlockall munmap pkey_alloc pkey_free pkey_mprotect
    remap_file_pages
  `),
  'clocks and timers': names(`
    adjtimex clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime
    clock_gettime64 clock_nanosleep clock_nanosleep_time64 getitimer gettimeofday nanosleep
    setitimer time timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64
    timer_settime timer_settime64 times
  `),
  'sockets (socket itself below)': names(`
    accept accept4 bind connect getpeername getsockname getsockopt listen recv recvfrom
    recvmmsg recvmmsg_time64 recvmsg send sendmmsg sendmsg sendto setsockopt shutdown
    socketcall socketpair
  `),
  'pipes and System V / POSIX IPC (in the build’s own IPC namespace)': names(`
    ipc mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
    mq_timedsend_time64 mq_unlink msgctl msgget msgrcv msgsnd pipe pipe2 semctl semget semop
    semtimedop semtimedop_time64 shmat shmctl shmdt shmget
  `),
  'system information': names(`
    getrandom sysinfo
  `),
};

/**
 * Allowed by the profile from Linux 4.8 on, which every supported runner has: before 4.8
 * ptrace could bypass seccomp.
 */
const FROM_KERNEL_4_8 = ['process_vm_readv', 'process_vm_writev', 'ptrace'];

/** Allowed only on one architecture (the profile's `includes.arches`). */
const ARCH_ONLY: Readonly<Record<SeccompArch, readonly string[]>> = {
  amd64: ['arch_prctl', 'modify_ldt'],
  arm64: [
    'arm_fadvise64_64',
    'arm_sync_file_range',
    'sync_file_range2',
    'breakpoint',
    'cacheflush',
    'set_tls',
  ],
};

/**
 * The native architecture and the compatibility ones its kernel also runs (the profile's
 * `archMap`): a filter that left them out would let a 32-bit binary call anything.
 */
const ARCHITECTURES: Readonly<Record<SeccompArch, readonly string[]>> = {
  amd64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

/** Namespace flags of clone(2) (CLONE_NEWNS … CLONE_NEWNET): 0x7E020000. */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;
/** File type bits of a mode, and the types `mknod` may make (regular, char, FIFO, socket). */
const S_IFMT = 0o170000;
const MKNOD_TYPES = [0, 0o100000, 0o020000, 0o010000, 0o140000];

/** A rule for each allowed value of one argument: they are alternatives (any one allows). */
function allowWhen(name: string, index: number, values: readonly number[], mask?: number) {
  return values.map((value): SeccompRule => ({
    names: [name],
    action: 'SCMP_ACT_ALLOW',
    args: [
      mask === undefined
        ? { index, value, op: 'SCMP_CMP_EQ' }
        : { index, value: mask, valueTwo: value, op: 'SCMP_CMP_MASKED_EQ' },
    ],
  }));
}

/** Docker's default seccomp profile for a build on `arch`. */
export function seccompProfile(arch: SeccompArch): SeccompProfile {
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: EPERM,
    architectures: [...ARCHITECTURES[arch]],
    syscalls: [
      {
        names: [...Object.values(ALLOWED).flat(), ...FROM_KERNEL_4_8, ...ARCH_ONLY[arch]],
        action: 'SCMP_ACT_ALLOW',
      },
      // Any socket but AF_VSOCK (40), which reaches the hypervisor.
      {
        names: ['socket'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: 40, op: 'SCMP_CMP_NE' }],
      },
      // personality(2) only to query it or for the Linux, UNAME26 and 32-bit personas.
      ...allowWhen('personality', 0, [0x0, 0x8, 0x20000, 0x20008, 0xffffffff]),
      // CAP_SYS_CHROOT is one of the build's capabilities, so the profile allows chroot(2).
      { names: ['chroot'], action: 'SCMP_ACT_ALLOW' },
      // Without CAP_SYS_ADMIN: clone(2) without namespace flags (the mask must come out 0;
      // flags are the first argument on both architectures here), and clone3(2) reports
      // ENOSYS, so C libraries fall back to clone(2), whose flags the filter can read.
      {
        names: ['clone'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
      },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
      // Stricter than Docker: mknod(2)/mknodat(2) of anything but a block device.
      ...allowWhen('mknod', 1, MKNOD_TYPES, S_IFMT),
      ...allowWhen('mknodat', 2, MKNOD_TYPES, S_IFMT),
    ],
  };
}
