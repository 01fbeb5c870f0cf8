/**
 * The sandbox for real (as root, as CI runs): a hand-made executor root holding only a static
 * busybox, run through `runInSandbox`, proving from inside and from the host what it sees,
 * what it can write, and that nothing is left mounted or on disk — also when the run fails or
 * is killed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledExecutor } from '../../src/executor/install.js';
import type { RunOutcome, RunSpec } from '../../src/runtime/select.js';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { cleanupSandboxes, mountsBelow, parseMountPoints } from '../../src/runtime/host.js';
import {
  caBundlePath,
  dockerConfigPath,
  runInSandbox,
  sandboxEnv,
  type SandboxOptions,
} from '../../src/runtime/sandbox.js';
import { descendantsNamed } from '../../src/runtime/supervise.js';

const isRoot = process.getuid?.() === 0;
const BUSYBOX = '/bin/busybox';

describe('sandbox helpers', () => {
  it('reads mount points from mountinfo, decoding escapes', () => {
    const text = [
      '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
      '40 22 0:35 / /tmp/with\\040space rw - tmpfs tmpfs rw',
      '41 22 0:36 / /tmp/sandboxes/build-1/root rw - ext4 /dev/sda1 rw',
      '',
    ].join('\n');
    expect(parseMountPoints(text)).toEqual(['/', '/tmp/with space', '/tmp/sandboxes/build-1/root']);
    expect(mountsBelow('/tmp/sandboxes', text)).toEqual(['/tmp/sandboxes/build-1/root']);
    expect(mountsBelow('/tmp/sandbox', text)).toEqual([]);
    expect(mountsBelow('/tmp/with space', text)).toEqual(['/tmp/with space']);
  });

  it('finds the processes of a name below a process', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 300 & sleep 300 & echo up; wait'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      let found: number[] = [];
      for (let i = 0; i < 200 && found.length < 2; i++) {
        found = descendantsNamed(child.pid!, 'sleep');
        if (found.length < 2) await new Promise((r) => setTimeout(r, 10));
      }
      expect(found).toHaveLength(2);
      expect(descendantsNamed(child.pid!, 'unshare')).toEqual([]);
      for (const pid of found) process.kill(pid, 'SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('gives the executor the image environment, the given variables, and nothing else', () => {
    expect(
      sandboxEnv(['PATH=/kaniko', 'HOME=/root', 'SSL_CERT_DIR=/kaniko/ssl/certs', 'bad', '=x'], {
        https_proxy: 'http://proxy:3128',
        HOME: '/home/other',
      }),
    ).toEqual([
      'PATH=/kaniko',
      'HOME=/home/other',
      'SSL_CERT_DIR=/kaniko/ssl/certs',
      'https_proxy=http://proxy:3128',
    ]);
    expect(sandboxEnv([], {})).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOME=/root',
    ]);
    expect(() => sandboxEnv([], { 'A=B': 'x' })).toThrow(/not an environment name/);
  });

  it.each([
    [['DOCKER_CONFIG=/kaniko/.docker/'], '/kaniko/.docker/config.json'],
    [['DOCKER_CONFIG=/etc/docker'], '/etc/docker/config.json'],
    [[], '/kaniko/.docker/config.json'],
  ])('puts the credentials where DOCKER_CONFIG says: %j', (env, expected) => {
    expect(dockerConfigPath(env)).toBe(expected);
  });

  it.each([
    [['SSL_CERT_DIR=/kaniko/ssl/certs'], '/kaniko/ssl/certs/ca-certificates.crt'],
    [['SSL_CERT_FILE=/etc/ssl/cert.pem', 'SSL_CERT_DIR=/x'], '/etc/ssl/cert.pem'],
    [['SSL_CERT_DIR=/a:/b'], '/a/ca-certificates.crt'],
    [[], '/kaniko/ssl/certs/ca-certificates.crt'],
  ])('adds CA certificates to the bundle the image reads: %j', (env, expected) => {
    expect(caBundlePath(env)).toBe(expected);
  });
});

describe.runIf(isRoot)('runInSandbox (as root)', () => {
  let base: string;
  let rootfs: string;
  let context: string;
  let outputDir: string;
  let dockerConfig: string;
  let hostOnly: string;
  let options: SandboxOptions;
  let executor: InstalledExecutor;
  let cacheListing: string[];

  const IMAGE_ENV = [
    'PATH=/usr/local/bin:/kaniko:/bin',
    'HOME=/root',
    'USER=root',
    'SSL_CERT_DIR=/kaniko/ssl/certs',
    'DOCKER_CONFIG=/kaniko/.docker/',
  ];
  const CA = '-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----';

  /** Every path under `dir`, with its size, sorted: to prove a tree did not change. */
  function listing(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const name of fs.readdirSync(d).sort()) {
        const p = path.join(d, name);
        const st = fs.lstatSync(p);
        out.push(`${path.relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size}`);
        if (st.isDirectory()) walk(p);
      }
    };
    walk(dir);
    return out;
  }

  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-')));
    rootfs = path.join(base, 'cache', 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    fs.copyFileSync(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(rootfs, 'bin', 'sh'));
    fs.mkdirSync(path.join(rootfs, 'kaniko', 'ssl', 'certs'), { recursive: true });
    fs.writeFileSync(
      path.join(rootfs, 'kaniko', 'ssl', 'certs', 'ca-certificates.crt'),
      'IMAGE CA\n',
    );
    fs.mkdirSync(path.join(rootfs, 'kaniko', '.docker'), { recursive: true });
    // A link an image could hold where the sandbox mounts: it must not lead the mount astray.
    fs.mkdirSync(path.join(rootfs, 'etc'));
    fs.symlinkSync('/../../../../etc/passwd', path.join(rootfs, 'etc', 'hosts'));
    cacheListing = listing(rootfs);

    context = path.join(base, 'context');
    fs.mkdirSync(context);
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    outputDir = path.join(base, 'output');
    fs.mkdirSync(outputDir);
    dockerConfig = path.join(base, 'config.json');
    fs.writeFileSync(dockerConfig, '{"auths":{"registry.test":{"auth":"dTpw"}}}', { mode: 0o600 });
    hostOnly = path.join(base, 'host-only-file');
    fs.writeFileSync(hostOnly, 'runner');
    options = { workDir: path.join(base, 'sandboxes'), privilege: 'root', caCertificates: CA };
    executor = {
      rootfs,
      digest: `sha256:${'0'.repeat(64)}`,
      env: IMAGE_ENV,
      entrypoint: ['/bin/busybox', 'sh', '-c'],
    };
  });

  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  async function run(
    script: string,
    extra: Partial<RunSpec> = {},
  ): Promise<{ outcome: RunOutcome; lines: string[] }> {
    const lines: string[] = [];
    const outcome = await runInSandbox(
      {
        executor,
        args: [script],
        env: { GIVEN: 'yes' },
        context,
        dockerConfig,
        outputDir,
        onLine: (line) => lines.push(line),
        ...extra,
      },
      options,
    );
    return { outcome, lines };
  }

  function expectNothingLeft(): void {
    expect(mountsBelow(base)).toEqual([]);
    expect(fs.readdirSync(options.workDir)).toEqual([]);
    expect(listing(rootfs)).toEqual(cacheListing);
  }

  it('runs the executor in its own root, PID namespace, /proc and /dev', async () => {
    const { outcome, lines } = await run(
      [
        'echo "pid=$$"',
        `test -e ${hostOnly} && echo host-visible || echo host-hidden`,
        'echo "root=$(ls / | tr "\\n" " ")"',
        'echo "dev=$(ls /dev | tr "\\n" " ")"',
        'echo "procs=$(ls /proc | grep -E "^[0-9]+$" | tr "\\n" " ")"',
        'echo "cwd=$(pwd)"',
      ].join('; '),
    );
    expect(outcome).toEqual({ exitCode: 0, signal: null });
    expect(lines).toContain('pid=1');
    expect(lines).toContain('host-hidden');
    expect(lines).toContain('root=bin dev etc kaniko proc workspace ');
    expect(lines).toContain('dev=fd full null random shm stderr stdin stdout tty urandom zero ');
    // PID 1 (sh) and the few processes of the pipeline above; none of the runner's hundreds.
    const procs = lines.find((l) => l.startsWith('procs='));
    expect(procs).toMatch(/^procs=1 /);
    expect(procs?.slice(6).trim().split(' ').length, procs).toBeLessThanOrEqual(5);
    expect(lines).toContain('cwd=/');
    expectNothingLeft();
  });

  it('has a host name and IPC objects of its own: renaming the host inside leaves the runner alone', async () => {
    const before = os.hostname();
    const hostIpc = fs.readlinkSync('/proc/self/ns/ipc');
    const { outcome, lines } = await run(
      [
        'echo "name=$(hostname)"',
        'hostname evil && echo "renamed=$(hostname)"',
        'echo "ipc=$(readlink /proc/self/ns/ipc)"',
        'echo "uts=$(readlink /proc/self/ns/uts)"',
      ].join('; '),
    );
    expect(outcome.exitCode).toBe(0);
    expect(lines.slice(0, 2)).toEqual(['name=kaniko', 'renamed=evil']);
    expect(os.hostname()).toBe(before);
    expect(fs.readFileSync('/proc/sys/kernel/hostname', 'utf8').trim()).toBe(before);
    expect(lines[2]).toMatch(/^ipc=ipc:\[\d+\]$/);
    expect(lines[2]).not.toBe(`ipc=${hostIpc}`);
    expect(lines[3]).not.toBe(`uts=${fs.readlinkSync('/proc/self/ns/uts')}`);
    expectNothingLeft();
  });

  it('keeps the kernel settings of /proc read-only and hides what reaches the host kernel', async () => {
    const hostHostname = fs.readFileSync('/proc/sys/kernel/hostname', 'utf8');
    const { outcome, lines } = await run(
      [
        '(echo evil > /proc/sys/kernel/hostname) 2>/dev/null && echo hostname-written || echo hostname-refused',
        '(echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null && echo drop-caches-written || echo drop-caches-refused',
        'for p in sys sysrq-trigger irq bus fs; do test -e /proc/$p || continue; grep -q " /proc/$p ro[ ,]" /proc/self/mountinfo && echo "$p ro" || echo "$p RW"; done',
        'for p in kcore keys timer_list sched_debug; do test -e /proc/$p || continue; test -s /proc/$p && echo "$p readable" || echo "$p masked"; done',
        'for p in scsi acpi; do test -d /proc/$p || continue; test -z "$(ls /proc/$p)" && echo "$p masked" || echo "$p listed"; done',
        'echo "self=$(readlink /proc/self)"',
        'grep -q "^Name:" /proc/self/status && echo status-ok',
        'echo "pids=$(ls /proc | grep -c -E "^[0-9]+$")"',
      ].join('; '),
    );
    expect(outcome.exitCode).toBe(0);
    expect(lines).toContain('hostname-refused');
    expect(lines).toContain('drop-caches-refused');
    expect(lines.filter((l) => / (RW|readable|listed)$/.test(l))).toEqual([]);
    expect(lines).toContain('sys ro');
    for (const [name, line] of [
      ['/proc/sysrq-trigger', 'sysrq-trigger ro'],
      ['/proc/keys', 'keys masked'],
      ['/proc/timer_list', 'timer_list masked'],
      ['/proc/kcore', 'kcore masked'],
      ['/proc/acpi', 'acpi masked'],
    ] as const) {
      if (fs.existsSync(name)) expect(lines).toContain(line);
    }
    expect(lines.find((l) => l.startsWith('self='))).toMatch(/^self=\d+$/);
    expect(lines).toContain('status-ok');
    expect(fs.readFileSync('/proc/sys/kernel/hostname', 'utf8')).toBe(hostHostname);
    expectNothingLeft();
  });

  it('detaches the runner tree: no mount of it is left, and re-entering the namespace finds nothing', async () => {
    const { outcome, lines } = await run(
      [
        'echo "mounts=$(cut -d " " -f 5 /proc/self/mountinfo | sort | tr "\\n" " ")"',
        `test -e ${hostOnly} && echo marker-visible || echo marker-hidden`,
        // Entering the mount namespace again puts a process at the namespace's root: with a
        // chroot that was the runner's /, with pivot_root it is the sandbox's own.
        `nsenter --mount=/proc/self/ns/mnt /bin/busybox sh -c 'test -e ${hostOnly} && echo escaped || echo contained; echo /*'`,
      ].join('; '),
    );
    expect(outcome.exitCode, lines.join('\n')).toBe(0);
    const mounts =
      lines
        .find((l) => l.startsWith('mounts='))
        ?.slice(7)
        .trim()
        .split(' ') ?? [];
    expect(mounts).toContain('/');
    expect(
      mounts.filter(
        (p) => !/^\/$|^\/(proc|dev|workspace|kaniko|etc\/hosts$|etc\/resolv\.conf$)/.test(p),
      ),
    ).toEqual([]);
    expect(lines).toContain('marker-hidden');
    expect(lines).toContain('contained');
    expect(lines).not.toContain('escaped');
    expect(lines, lines.join('\n')).toContain('/bin /dev /etc /kaniko /proc /workspace');
    expectNothingLeft();
  });

  it('gives the image environment and the given variables, nothing of the runner', async () => {
    process.env.RUNNER_SECRET_FOR_TEST = 'must not leak';
    const saved = executor;
    // busybox's env as the entrypoint: a shell would add PWD and SHLVL of its own.
    executor = { ...executor, entrypoint: ['/bin/busybox'] };
    try {
      const { lines } = await run('env');
      expect(lines.sort()).toEqual([...IMAGE_ENV, 'GIVEN=yes'].sort());
    } finally {
      executor = saved;
      delete process.env.RUNNER_SECRET_FOR_TEST;
    }
  });

  it('binds the context read-only, the credentials, the output directory and the host files', async () => {
    const { outcome, lines } = await run(
      [
        'cat /workspace/Dockerfile',
        'touch /workspace/new 2>/dev/null && echo context-writable || echo context-read-only',
        'cat /kaniko/.docker/config.json; echo',
        '(echo x >> /kaniko/.docker/config.json) 2>/dev/null && echo config-writable || echo config-read-only',
        'echo result > /kaniko/output/digest',
        'test -s /etc/resolv.conf && echo resolv-ok',
        'grep -q localhost /etc/hosts && echo hosts-ok',
        '(echo hosts-write >> /etc/hosts) 2>/dev/null || echo hosts-read-only',
        'tail -n 3 /kaniko/ssl/certs/ca-certificates.crt',
      ].join('; '),
    );
    expect(outcome.exitCode).toBe(0);
    expect(lines).toEqual([
      'FROM scratch',
      'context-read-only',
      '{"auths":{"registry.test":{"auth":"dTpw"}}}',
      'config-read-only',
      'resolv-ok',
      'hosts-ok',
      'hosts-read-only',
      '-----BEGIN CERTIFICATE-----',
      'TESTCA',
      '-----END CERTIFICATE-----',
    ]);
    expect(fs.readFileSync(path.join(outputDir, 'digest'), 'utf8')).toBe('result\n');
    expect(fs.readdirSync(context)).toEqual(['Dockerfile']);
    // The image's CA bundle in the cache is untouched; the link at /etc/hosts stayed a link.
    expect(fs.readFileSync(path.join(rootfs, 'kaniko/ssl/certs/ca-certificates.crt'), 'utf8')).toBe(
      'IMAGE CA\n',
    );
    expect(fs.readlinkSync(path.join(rootfs, 'etc', 'hosts'))).toBe('/../../../../etc/passwd');
    expectNothingLeft();
  });

  it('keeps what the build writes to / out of the host and the cache, and from the next build', async () => {
    const marker = `written-by-build-${path.basename(base)}`;
    const first = await run(
      `echo data > /${marker}; echo data > /bin/${marker}; rm /bin/sh; ls /${marker}`,
    );
    expect(first.lines).toEqual([`/${marker}`]);
    expect(fs.existsSync(`/${marker}`)).toBe(false);
    const second = await run(`test -e /${marker} || echo fresh; test -L /bin/sh && echo sh-back`);
    expect(second.lines).toEqual(['fresh', 'sh-back']);
    expectNothingLeft();
  });

  it('passes the exit code through and cleans up when the build fails', async () => {
    const { outcome, lines } = await run('echo failing >&2; exit 7');
    expect(outcome).toEqual({ exitCode: 7, signal: null });
    expect(lines).toEqual(['failing']);
    expectNothingLeft();
  });

  /** PIDs of host processes whose command line holds `needle`. */
  function processesWith(needle: string): number[] {
    const found: number[] = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
        if (cmdline.includes(needle) && !cmdline.includes('sh -c')) found.push(Number(name));
      } catch {
        // gone meanwhile
      }
    }
    return found;
  }

  it('kills every process of the build when aborted', async () => {
    const needle = `busybox sleep ${50_000 + Math.floor(Math.random() * 10_000)}`;
    const controller = new AbortController();
    const lines: string[] = [];
    let seen: number[] = [];
    const abortWhenRunning = async (): Promise<void> => {
      // Both sleeps are forked in the background; wait until the host sees them, then abort.
      for (let i = 0; i < 500 && seen.length < 2; i++) {
        seen = processesWith(needle);
        if (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
      }
      controller.abort();
    };
    const outcome = await runInSandbox(
      {
        executor,
        args: [`(exec /bin/${needle}) & (exec /bin/${needle}) & echo started; wait`],
        env: {},
        context,
        dockerConfig,
        outputDir,
        signal: controller.signal,
        onLine: (line) => {
          lines.push(line);
          if (line === 'started') void abortWhenRunning();
        },
      },
      options,
    );
    expect(lines).toEqual(['started']);
    expect(seen).toHaveLength(2);
    expect(outcome).toEqual({ exitCode: null, signal: 'SIGKILL', killed: 'aborted' });
    expect(processesWith(needle)).toEqual([]);
    expectNothingLeft();
  });

  it('kills the build at its timeout', async () => {
    const { outcome } = await run('echo waiting; sleep 600', { timeoutMs: 500 });
    expect(outcome.killed).toBe('timeout');
    expect(outcome.exitCode).toBeNull();
    expectNothingLeft();
  });

  it('reports an entrypoint the root does not have as exit code 127', async () => {
    const saved = executor;
    executor = { ...executor, entrypoint: ['/kaniko/executor'] };
    try {
      const { outcome, lines } = await run('ignored');
      expect(outcome.exitCode).toBe(127);
      expect(lines.join('\n')).toMatch(/kaniko\/executor/);
    } finally {
      executor = saved;
    }
    expectNothingLeft();
  });

  it('refuses a missing context before making anything', async () => {
    await expect(run('true', { context: path.join(base, 'nope') })).rejects.toThrow(
      /build context .*nope is not a directory/,
    );
    expectNothingLeft();
  });

  it('kills the namespace when the action itself is ended by a signal', async () => {
    const seconds = String(60_000 + Math.floor(Math.random() * 10_000));
    const needle = `busybox sleep ${seconds}`;
    const script = path.join(base, 'signalled.mjs');
    await build({
      stdin: {
        contents: `
          import { runInSandbox } from ${JSON.stringify(path.resolve('src/runtime/sandbox.ts'))};
          const [options, executor, context, dockerConfig, outputDir, seconds] = JSON.parse(process.argv[2]);
          await runInSandbox({ executor, args: ['(exec /bin/busybox sleep ' + seconds + ') & echo started; wait'], env: {},
            context, dockerConfig, outputDir, onLine: (l) => console.log(l) }, options);
          console.log('not reached');`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    const child = spawn(
      process.execPath,
      [script, JSON.stringify([options, executor, context, dockerConfig, outputDir, seconds])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    try {
      for (let i = 0; i < 1000 && (processesWith(needle).length === 0 || stdout === ''); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(processesWith(needle)).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await ended).toBe('SIGTERM');
    } finally {
      child.kill('SIGKILL');
    }
    expect(stdout).toBe('started\n');
    // The action is gone at once; the kernel ends the namespace's processes right after.
    for (let i = 0; i < 500 && processesWith(needle).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(processesWith(needle)).toEqual([]);
    // The sandbox directory is left for the post step, which deletes it.
    expect(fs.readdirSync(options.workDir)).toHaveLength(1);
    await cleanupSandboxes(options.workDir);
    expect(fs.existsSync(options.workDir)).toBe(false);
    expect(mountsBelow(base)).toEqual([]);
  });

  it('cleans up leftover sandboxes from the post step', async () => {
    const workDir = path.join(base, 'left-over');
    fs.mkdirSync(path.join(workDir, 'build-x', 'root', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(workDir, 'build-x', 'root', 'deep', 'file'), 'x');
    await cleanupSandboxes(workDir);
    expect(fs.existsSync(workDir)).toBe(false);
    await cleanupSandboxes(workDir);
  });

  it('does not delete a sandbox that still has a mount below it', async () => {
    const workDir = path.join(base, 'still-mounted');
    const mountPoint = path.join(workDir, 'build-y', 'root', 'workspace');
    fs.mkdirSync(mountPoint, { recursive: true });
    const { execFileSync } = await import('node:child_process');
    execFileSync('mount', ['--bind', context, mountPoint]);
    try {
      await expect(cleanupSandboxes(workDir)).rejects.toThrow(/still mounted/);
      expect(fs.existsSync(path.join(context, 'Dockerfile'))).toBe(true);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
    await cleanupSandboxes(workDir);
    expect(fs.existsSync(workDir)).toBe(false);
  });
});
