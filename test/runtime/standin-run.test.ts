/**
 * `RUN` steps of a real Dockerfile, under runc and under crun (as root): the stand-in executor,
 * installed from a real registry, pulls a busybox base image and runs each `RUN` for real (in a
 * chroot of its stage root, inside the container). A RUN step tries what the issue found
 * possible before — make a block device, mount, leave its namespaces, rename the host, change
 * the network or the clock, load a module — and everything fails; it has Docker's capability
 * set and no more; the build still succeeds and pushes, and the context is unchanged.
 *
 * The stand-in's RUN sees no /proc (it is chrooted into the stage root), so the capability set
 * is read with `setpriv -d` (capget), and the seccomp filter is shown by `unshare -U`, which the
 * kernel allows any process but Docker's profile refuses. `/proc/self/status` (CapEff,
 * Seccomp: 2) is asserted from a process of the container's own root in container.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InstalledExecutor } from '../../src/executor/install.js';
import { cleanupBuilds } from '../../src/runtime/cleanup.js';
import { mountsBelow } from '../../src/runtime/host.js';
import {
  selectRuntime,
  CONTAINER_CONTEXT,
  CONTAINER_OUTPUT,
  type Runtime,
} from '../../src/runtime/select.js';
import { pushBusyboxImage } from '../support/busybox-image.js';
import { listing } from '../support/busybox-root.js';
import { manifestDigest, startRegistry, type LocalRegistry } from '../support/registry.js';
import { testRuntimes } from '../support/runtimes.js';
import { installPushedStandin, pushStandinImage } from '../support/standin.js';

const SETUP_TIMEOUT = 600_000;

/** Docker's 14 capabilities as `setpriv -d` names them, in bit order. */
const DOCKER_CAPS =
  'chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap';

/** A RUN step that prints `<what>: done` or `<what>: refused`. */
const attempt = (what: string, command: string): string =>
  `RUN (${command}) >/dev/null 2>&1 && echo "${what}: done" || echo "${what}: refused"`;

let reg: LocalRegistry;
let base: string;
let executor: InstalledExecutor;
const runtimes = testRuntimes();

beforeAll(async () => {
  if (runtimes.every((r) => r.missing)) return;
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'standin-run-')));
  vi.stubEnv('RUNNER_TOOL_CACHE', path.join(base, 'tool-cache'));
  vi.stubEnv('RUNNER_TEMP', path.join(base, 'runner-temp'));
  fs.mkdirSync(process.env.RUNNER_TOOL_CACHE!);
  fs.mkdirSync(process.env.RUNNER_TEMP!);
  reg = await startRegistry();
  await Promise.all([
    pushStandinImage(reg, 'tools/kaniko', 'v1'),
    pushBusyboxImage(reg, 'base/busybox', '1'),
  ]);
  executor = await installPushedStandin(reg);
}, SETUP_TIMEOUT);

afterAll(async () => {
  await reg?.stop();
  vi.unstubAllEnvs();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe.each(runtimes)('RUN steps in a $name container', ({ name, choice, missing }) => {
  let runtime: Runtime;

  beforeAll(async () => {
    if (missing) return;
    runtime = await selectRuntime(
      { runtime: choice, caCertificates: '' },
      { log: () => undefined },
    );
  });

  afterAll(async () => {
    if (runtime) await cleanupBuilds(runtime.workDir, [], choice, process.env.RUNNER_TEMP!);
  });

  it.skipIf(missing)('cannot escape, and the build still pushes', async () => {
    const context = fs.mkdtempSync(path.join(base, `context-${name}-`));
    const output = fs.mkdtempSync(path.join(base, `output-${name}-`));
    const dockerConfig = path.join(base, 'config.json');
    fs.writeFileSync(dockerConfig, '{"auths":{}}', { mode: 0o600 });
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      [
        `FROM ${reg.host}/base/busybox:1`,
        'RUN setpriv -d | sed -n "s/^Capability bounding set: /bounding: /p; s/^no_new_privs: /nnp: /p"',
        attempt('mknod-block', 'mknod /disk b 8 0'),
        attempt('mount-proc', 'mkdir -p /p && mount -t proc proc /p'),
        attempt('mount-tmpfs', 'mkdir -p /t && mount -t tmpfs t /t'),
        attempt('user-namespace', 'unshare -U true'),
        attempt('mount-namespace', 'unshare -m true'),
        attempt('sethostname', 'hostname evil'),
        attempt('link-add', 'ip link add kr0 type dummy'),
        attempt('insmod', 'insmod /nothing.ko'),
        attempt('set-clock', 'test -z "$(date -s 2000-01-01 2>&1 >/dev/null)"'),
        attempt('mknod-char', 'mknod /null2 c 1 3'),
        'RUN echo built > /result',
        '',
      ].join('\n'),
    );
    const contextBefore = listing(context);
    const destination = `${reg.host}/built/run-${name}:v1`;
    const lines: string[] = [];
    const outcome = await runtime.run({
      executor,
      args: [
        `--context=dir://${CONTAINER_CONTEXT}`,
        `--dockerfile=${CONTAINER_CONTEXT}/Dockerfile`,
        `--destination=${destination}`,
        `--digest-file=${CONTAINER_OUTPUT}/digest`,
        `--insecure-registry=${reg.host}`,
        '--force',
      ],
      env: {},
      context,
      dockerConfig,
      outputDir: output,
      onLine: (line) => lines.push(line),
    });
    expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
    const said = Object.fromEntries(
      lines
        .map((l) => /^([a-z-]+): (.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect(said).toEqual({
      bounding: DOCKER_CAPS,
      nnp: '0',
      'mknod-block': 'refused',
      'mount-proc': 'refused',
      'mount-tmpfs': 'refused',
      'user-namespace': 'refused',
      'mount-namespace': 'refused',
      sethostname: 'refused',
      'link-add': 'refused',
      insmod: 'refused',
      'set-clock': 'refused',
      'mknod-char': 'done',
    });
    expect(fs.readFileSync(path.join(output, 'digest'), 'utf8')).toBe(
      await manifestDigest(reg, `built/run-${name}`, 'v1'),
    );
    expect(listing(context)).toEqual(contextBefore);
    expect(mountsBelow(base)).toEqual([]);
    expect(fs.readdirSync(path.join(runtime.workDir, 'state'))).toEqual([]);
  });
});
