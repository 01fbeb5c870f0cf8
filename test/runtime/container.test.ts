/**
 * What a build sees and can do, for real under runc and under crun (as root, as CI runs): a
 * hand-made executor root with a static busybox runs shell scripts in the container, as kaniko
 * runs a `RUN` step in its own root. The profile is Docker's default one: 14 capabilities,
 * seccomp, masked and read-only kernel paths, its own PID, mount, IPC, UTS and cgroup
 * namespaces, the runner's network; every escape a RUN step could try fails; the runner, the
 * cache and the context are unchanged afterwards.
 */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountsBelow } from '../../src/runtime/host.js';
import {
  selectRuntime,
  type Runtime,
  type RunOutcome,
  type RunSpec,
} from '../../src/runtime/select.js';
import { PIDS_LIMIT } from '../../src/runtime/spec.js';
import {
  IMAGE_ENV,
  listing,
  makeBusyboxFixture,
  type BusyboxFixture,
} from '../support/busybox-root.js';
import { processesWith, testRuntimes } from '../support/runtimes.js';

const CA = '-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----';
const MEMORY = 512 * 1024 * 1024;

/** `name: value` lines as an object (tabs and spaces folded). */
function fields(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    lines
      .map((l) => /^([\w-]+):\s*(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]!.trim()]),
  );
}

/** A shell line that prints `<what>-done` when `command` succeeds, `<what>-refused` otherwise. */
const attempt = (what: string, command: string): string =>
  `(${command}) >/dev/null 2>&1 && echo ${what}: done || echo ${what}: refused`;

describe.each(testRuntimes())('a build under $name', ({ name, choice, missing }) => {
  let fx: BusyboxFixture;
  let runtime: Runtime;
  let cacheListing: string[];
  let contextListing: string[];
  const recorded: string[][] = [];
  const savedTemp = process.env.RUNNER_TEMP;

  beforeAll(async () => {
    if (missing) return;
    fx = makeBusyboxFixture(`container-${name}-`);
    process.env.RUNNER_TEMP = fx.runnerTemp;
    runtime = await selectRuntime(
      { runtime: choice, caCertificates: CA, memoryBytes: MEMORY, cpus: 1.5 },
      { record: (ids) => recorded.push([...ids]), log: () => undefined },
    );
    cacheListing = listing(fx.executor.rootfs);
    contextListing = listing(fx.context);
  });

  afterAll(() => {
    if (savedTemp === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = savedTemp;
    if (fx) fs.rmSync(fx.base, { recursive: true, force: true });
  });

  async function run(
    script: string | string[],
    extra: Partial<RunSpec> = {},
  ): Promise<{ outcome: RunOutcome; lines: string[] }> {
    const lines: string[] = [];
    const outcome = await runtime.run({
      executor: fx.executor,
      args: [Array.isArray(script) ? script.join('\n') : script],
      env: { GIVEN: 'yes' },
      context: fx.context,
      dockerConfig: fx.dockerConfig,
      outputDir: fx.outputDir,
      onLine: (line) => lines.push(line),
      ...extra,
    });
    return { outcome, lines };
  }

  /** Nothing mounted or left in the work directory, the cache and the context unchanged. */
  function expectNothingLeft(): void {
    expect(mountsBelow(fx.base)).toEqual([]);
    expect(fs.readdirSync(runtime.workDir)).toEqual(['state']);
    expect(fs.readdirSync(path.join(runtime.workDir, 'state'))).toEqual([]);
    expect(listing(fx.executor.rootfs)).toEqual(cacheListing);
    expect(listing(fx.context)).toEqual(contextListing);
  }

  it.skipIf(missing)(
    "has Docker's default capabilities and seccomp filter, and nothing more",
    async () => {
      const { outcome, lines } = await run(
        'grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|Seccomp|NoNewPrivs):" /proc/self/status',
      );
      expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
      expect(fields(lines)).toEqual({
        CapInh: '0000000000000000',
        CapPrm: '00000000a80425fb',
        CapEff: '00000000a80425fb',
        CapBnd: '00000000a80425fb',
        CapAmb: '0000000000000000',
        Seccomp: '2',
        NoNewPrivs: '0',
      });
      expectNothingLeft();
    },
  );

  it.skipIf(missing)('refuses every escape a RUN step could try', async () => {
    const hostHostname = fs.readFileSync('/proc/sys/kernel/hostname', 'utf8');
    const { outcome, lines } = await run([
      attempt('mknod-block', 'mknod /disk b 8 0'),
      attempt('mknod-block-at', 'mkdir /d && mknod /d/disk b 259 0'),
      attempt('mount-tmpfs', 'mkdir -p /mnt && mount -t tmpfs t /mnt'),
      attempt('mount-cgroup', 'mkdir -p /cg && mount -t cgroup -o memory cgroup /cg'),
      attempt('remount-workspace', 'mount -o remount,bind,rw /workspace'),
      attempt('write-workspace', 'touch /workspace/escaped'),
      attempt('write-proc-sys', 'echo 1 > /proc/sys/vm/drop_caches'),
      attempt('write-sysrq', 'echo h > /proc/sysrq-trigger'),
      attempt('write-sys', 'echo 1 > /sys/kernel/mm/ksm/run'),
      attempt('write-release-agent', 'echo /x > /sys/fs/cgroup/memory/release_agent'),
      attempt('unshare', 'unshare -m true'),
      attempt('nsenter-host', 'nsenter -t 1 -m -n true'),
      attempt('sethostname', 'hostname evil'),
      attempt('insmod', 'insmod /nothing.ko'),
      attempt('link-add', 'ip link add kr0 type dummy'),
      attempt('set-clock', 'test -z "$(date -s 2000-01-01 2>&1 >/dev/null)"'),
      attempt('dmesg', 'dmesg'),
      // What Docker allows stays allowed: character devices, FIFOs, chroot.
      attempt('mknod-char', 'mknod /null2 c 1 3 && echo x > /null2'),
      attempt('mkfifo', 'mknod /fifo p'),
      attempt('chroot', 'chroot / /bin/sh -c true'),
    ]);
    expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
    expect(fields(lines)).toEqual({
      'mknod-block': 'refused',
      'mknod-block-at': 'refused',
      'mount-tmpfs': 'refused',
      'mount-cgroup': 'refused',
      'remount-workspace': 'refused',
      'write-workspace': 'refused',
      'write-proc-sys': 'refused',
      'write-sysrq': 'refused',
      'write-sys': 'refused',
      'write-release-agent': 'refused',
      unshare: 'refused',
      'nsenter-host': 'refused',
      sethostname: 'refused',
      insmod: 'refused',
      'link-add': 'refused',
      'set-clock': 'refused',
      dmesg: 'refused',
      'mknod-char': 'done',
      mkfifo: 'done',
      chroot: 'done',
    });
    expect(fs.readFileSync('/proc/sys/kernel/hostname', 'utf8')).toBe(hostHostname);
    expectNothingLeft();
  });

  it.skipIf(missing)(
    "masks the kernel's secrets and shares only the network with the runner",
    async () => {
      const hostNs = (kind: string): string => fs.readlinkSync(`/proc/self/ns/${kind}`);
      const { outcome, lines } = await run([
        'for p in kcore keys timer_list sched_debug; do test -e /proc/$p && echo "$p: $(wc -c < /proc/$p)"; done',
        'for p in acpi scsi; do test -d /proc/$p && echo "$p: $(ls /proc/$p | wc -l)"; done',
        'test -d /sys/firmware && echo "firmware: $(ls /sys/firmware | wc -l)"',
        'for p in sys sysrq-trigger irq bus fs; do test -e /proc/$p && grep -q " /proc/$p ro[ ,]" /proc/self/mountinfo && echo "ro-$p: yes"; done',
        'grep -q " /sys ro[ ,]" /proc/self/mountinfo && echo "ro-sys: yes"',
        'for ns in pid mnt ipc uts cgroup net; do echo "ns-$ns: $(readlink /proc/self/ns/$ns)"; done',
        'echo "pid: $$"',
        'echo "hostname: $(hostname)"',
        'echo "cgroup: $(cut -d: -f3 /proc/self/cgroup | sort -u | tr "\\n" " ")"',
        'echo "dev: $(ls /dev | tr "\\n" " ")"',
      ]);
      expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
      const seen = fields(lines);
      for (const p of ['kcore', 'keys', 'timer_list', 'sched_debug']) {
        if (fs.existsSync(`/proc/${p}`)) expect(seen[p], p).toBe('0');
      }
      for (const p of ['acpi', 'scsi'])
        if (fs.existsSync(`/proc/${p}`)) expect(seen[p], p).toBe('0');
      if (fs.existsSync('/sys/firmware')) expect(seen.firmware).toBe('0');
      for (const p of ['sys', 'sysrq-trigger', 'irq', 'bus', 'fs']) {
        if (fs.existsSync(`/proc/${p}`)) expect(seen[`ro-${p}`], p).toBe('yes');
      }
      expect(seen['ro-sys']).toBe('yes');
      for (const ns of ['pid', 'mnt', 'ipc', 'uts', 'cgroup']) {
        expect(seen[`ns-${ns}`], ns).not.toBe(hostNs(ns));
      }
      // The runner's network, as with `docker run --network host`.
      expect(seen['ns-net']).toBe(hostNs('net'));
      expect(seen.pid).toBe('1');
      expect(seen.hostname).toBe('kaniko');
      expect(seen.cgroup).toBe('/');
      // The standard devices only (crun adds a /dev/core link to /proc/kcore, which is masked).
      expect(seen.dev?.split(' ').filter((d) => d !== 'core')).toEqual(
        'fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero'.split(' '),
      );
      expectNothingLeft();
    },
  );

  it.skipIf(missing)('runs with a pids limit and the memory and cpus given', async () => {
    const { outcome, lines } = await run([
      'if [ -e /sys/fs/cgroup/pids.max ]; then',
      '  echo "pids: $(cat /sys/fs/cgroup/pids.max)"; echo "memory: $(cat /sys/fs/cgroup/memory.max)"',
      '  echo "cpu: $(cut -d" " -f1 /sys/fs/cgroup/cpu.max)"',
      'else',
      '  echo "pids: $(cat /sys/fs/cgroup/pids/pids.max)"',
      '  echo "memory: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"',
      '  echo "cpu: $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"',
      'fi',
    ]);
    expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
    expect(fields(lines)).toEqual({
      pids: String(PIDS_LIMIT),
      memory: String(MEMORY),
      cpu: '150000',
    });
    expectNothingLeft();
  });

  it.skipIf(missing)('kills a process that needs more than the memory given', async () => {
    const { outcome, lines } = await run([
      'dd if=/dev/zero of=/dev/null bs=600M count=1 2>/dev/null; echo "big: $?"',
      'dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null; echo "small: $?"',
    ]);
    expect(outcome.exitCode, lines.join('\n')).toBe(0);
    expect(fields(lines)).toEqual({ big: '137', small: '0' });
    expectNothingLeft();
  });

  it.skipIf(missing)(
    'has its own root: nothing of the runner, the cache read-only below a layer of its own',
    async () => {
      const marker = `written-by-build-${path.basename(fx.base)}`;
      const first = await run([
        'echo "root: $(ls / | tr "\\n" " ")"',
        `test -e ${fx.hostOnly} && echo "host-file: visible" || echo "host-file: hidden"`,
        'echo "cwd: $(pwd)"',
        `echo data > /${marker} && echo data > /bin/${marker} && rm /bin/sh && echo "writes: done"`,
      ]);
      expect(first.outcome.exitCode, first.lines.join('\n')).toBe(0);
      expect(fields(first.lines)).toEqual({
        root: 'bin dev etc kaniko proc sys workspace',
        'host-file': 'hidden',
        cwd: '/',
        writes: 'done',
      });
      expect(fs.existsSync(`/${marker}`)).toBe(false);
      const second = await run(
        `test -e /${marker} || echo "fresh: yes"; test -L /bin/sh && echo "sh: back"`,
      );
      expect(fields(second.lines)).toEqual({ fresh: 'yes', sh: 'back' });
      expectNothingLeft();
    },
  );

  it.skipIf(missing)(
    'binds the context and credentials read-only, the output read-write, and the host files',
    async () => {
      const { outcome, lines } = await run([
        'cat /workspace/Dockerfile',
        'cat /kaniko/.docker/config.json; echo',
        attempt('config-write', 'echo x >> /kaniko/.docker/config.json'),
        attempt('hosts-write', 'echo x >> /etc/hosts'),
        'echo result > /kaniko/output/digest',
        'test -s /etc/resolv.conf && echo "resolv: ok"',
        'grep -q localhost /etc/hosts && echo "hosts: ok"',
        'tail -n 3 /kaniko/ssl/certs/ca-certificates.crt',
      ]);
      expect(outcome.exitCode, lines.join('\n')).toBe(0);
      expect(lines).toEqual([
        'FROM scratch',
        '{"auths":{"registry.test":{"auth":"dTpw"}}}',
        'config-write: refused',
        'hosts-write: refused',
        'resolv: ok',
        'hosts: ok',
        '-----BEGIN CERTIFICATE-----',
        'TESTCA',
        '-----END CERTIFICATE-----',
      ]);
      expect(fs.readFileSync(path.join(fx.outputDir, 'digest'), 'utf8')).toBe('result\n');
      fs.rmSync(path.join(fx.outputDir, 'digest'));
      // The cache's CA bundle and its link at /etc/hosts are untouched.
      expect(
        fs.readFileSync(
          path.join(fx.executor.rootfs, 'kaniko/ssl/certs/ca-certificates.crt'),
          'utf8',
        ),
      ).toBe('IMAGE CA\n');
      expect(fs.readlinkSync(path.join(fx.executor.rootfs, 'etc', 'hosts'))).toBe(
        '/../../../../etc/passwd',
      );
      expectNothingLeft();
    },
  );

  it.skipIf(missing)(
    'gives the image environment and the given variables, nothing of the runner',
    async () => {
      process.env.RUNNER_SECRET_FOR_TEST = 'must not leak';
      const saved = fx.executor;
      // busybox's env as the entrypoint: a shell would add PWD and SHLVL of its own.
      fx.executor = { ...saved, entrypoint: ['/bin/busybox'] };
      try {
        const { outcome, lines } = await run('env', {
          env: { GIVEN: 'yes', https_proxy: 'http://p:3128' },
        });
        expect(outcome.exitCode).toBe(0);
        expect(lines.sort()).toEqual(
          [...IMAGE_ENV, 'GIVEN=yes', 'https_proxy=http://p:3128'].sort(),
        );
      } finally {
        fx.executor = saved;
        delete process.env.RUNNER_SECRET_FOR_TEST;
      }
      expectNothingLeft();
    },
  );

  it.skipIf(missing)(
    'keeps the environment in a 0600 config.json, out of every process argument',
    async () => {
      const secret = `http://user:proxy-${Math.random().toString(36).slice(2)}@proxy.test:3128`;
      const gate = path.join(fx.outputDir, 'gate');
      fs.rmSync(gate, { force: true });
      execFileSync('mkfifo', [gate]);
      let seen: { id: string; mode: number; pidsWithSecret: number[]; config: string } | undefined;
      const { outcome, lines } = await run(
        'echo "proxy: $https_proxy"; read _ < /kaniko/output/gate',
        {
          env: { https_proxy: secret },
          onLine: (line) => {
            if (!line.startsWith('proxy:') || seen) return;
            // The build waits on the gate while the host looks at the bundle and every process.
            const id = recorded.at(-1)!.at(-1)!;
            const config = path.join(runtime.workDir, id, 'config.json');
            seen = {
              id,
              mode: fs.statSync(config).mode & 0o777,
              pidsWithSecret: processesWith(secret),
              config: fs.readFileSync(config, 'utf8'),
            };
            fs.writeFileSync(gate, 'go\n');
          },
        },
      );
      fs.rmSync(gate);
      expect(outcome.exitCode, lines.join('\n')).toBe(0);
      expect(seen).toBeDefined();
      expect(seen!.mode).toBe(0o600);
      expect(seen!.pidsWithSecret).toEqual([]);
      expect(JSON.parse(seen!.config).process.env).toContain(`https_proxy=${secret}`);
      expect(recorded.at(-1)).toContain(seen!.id);
      expectNothingLeft();
    },
  );
});

// The overlay cannot be the root where the work directory itself is on an overlay (a job in a
// container): the runtime copies the executor's root instead, and says so once.
describe.each(testRuntimes())(
  'a build under $name without overlay',
  ({ name, choice, missing }) => {
    it.skipIf(missing)(
      'copies the root where overlay cannot be mounted, and says so once',
      async () => {
        const fx = makeBusyboxFixture(`container-copy-${name}-`);
        const saved = process.env.RUNNER_TEMP;
        const layers = path.join(fx.base, 'layers');
        for (const d of ['lower', 'upper', 'work', 'merged'])
          fs.mkdirSync(path.join(layers, d), { recursive: true });
        execFileSync('mount', [
          '-t',
          'overlay',
          'overlay',
          '-o',
          `lowerdir=${layers}/lower,upperdir=${layers}/upper,workdir=${layers}/work`,
          `${layers}/merged`,
        ]);
        try {
          process.env.RUNNER_TEMP = path.join(layers, 'merged');
          const notes: string[] = [];
          const runtime = await selectRuntime(
            { runtime: choice, caCertificates: '' },
            { log: (l) => notes.push(l) },
          );
          for (const n of [1, 2]) {
            const lines: string[] = [];
            const outcome = await runtime.run({
              executor: fx.executor,
              args: [`test -e /mine || echo build ${n} > /mine; cat /mine`],
              env: {},
              context: fx.context,
              dockerConfig: fx.dockerConfig,
              outputDir: fx.outputDir,
              onLine: (l) => lines.push(l),
            });
            expect(outcome.exitCode, lines.join('\n')).toBe(0);
            expect(lines).toEqual([`build ${n}`]);
          }
          expect(notes).toHaveLength(1);
          expect(notes[0]).toMatch(/cannot be an overlay here .*every build copies it instead/);
          expect(fs.readdirSync(runtime.workDir)).toEqual(['state']);
          expect(fs.existsSync(path.join(fx.executor.rootfs, 'mine'))).toBe(false);
        } finally {
          process.env.RUNNER_TEMP = saved;
          execFileSync('umount', [`${layers}/merged`]);
          fs.rmSync(fx.base, { recursive: true, force: true });
        }
      },
    );
  },
);
