/**
 * The OCI runtimes the tests run builds under: runc as installed, and crun as installed where
 * it works, else through a test-only wrapper.
 *
 * crun 1.8 refuses a "hybrid" cgroup layout (cgroup v1 controllers plus a cgroup2 hierarchy at
 * /sys/fs/cgroup/unified that holds a controller), which some CI machines have. The wrapper
 * runs crun in a mount namespace of its own where a small tmpfs covers
 * /sys/fs/cgroup/unified, so crun sees a plain cgroup v1 layout and manages the v1 controllers
 * as on any v1 host. Everything else — the bundle, namespaces, capabilities, seccomp, mounts,
 * kill and delete — is crun's own. The wrapper is given to the action as `runtime:
 * <absolute path>`, which the action accepts for any runc-compatible binary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestRuntime {
  /** `runc` or `crun`, for test titles. */
  name: string;
  /** The `runtime` input that selects it. */
  choice: string;
  /** Why it cannot run here (the test is skipped), `undefined` when it can. */
  missing?: string;
}

function which(name: string): string | undefined {
  for (const dir of [
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ]) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether this machine has cgroup v1 controllers next to a cgroup2 hierarchy with controllers. */
export function hybridCgroups(): boolean {
  try {
    const controllers = fs.readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8');
    return controllers.trim() !== '';
  } catch {
    return false;
  }
}

let wrapperDir: string | undefined;

/** The crun wrapper described above (made once per process). */
function crunWrapper(crun: string): string {
  wrapperDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'crun-v1-view-'));
  const wrapper = path.join(wrapperDir, 'crun');
  if (!fs.existsSync(wrapper)) {
    const unshare = which('unshare') ?? '/usr/bin/unshare';
    fs.writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        '# Test only: crun with a cgroup v1 view of this hybrid machine (see test/support/runtimes.ts).',
        `exec ${unshare} --mount --propagation private -- /bin/sh -c 'mount -t tmpfs -o size=4k,mode=755 tmpfs /sys/fs/cgroup/unified && exec "$0" "$@"' ${crun} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
  return wrapper;
}

/** runc and crun, each with the `runtime` input that runs it here. */
export function testRuntimes(): TestRuntime[] {
  const root = process.getuid?.() === 0;
  const out: TestRuntime[] = [];
  const runc = which('runc');
  out.push({
    name: 'runc',
    choice: 'runc',
    ...(runc && root ? {} : { missing: root ? 'runc is not installed' : 'not root' }),
  });
  const crun = which('crun');
  if (!crun || !root) {
    out.push({
      name: 'crun',
      choice: 'crun',
      missing: root ? 'crun is not installed' : 'not root',
    });
  } else {
    out.push({ name: 'crun', choice: hybridCgroups() ? crunWrapper(crun) : 'crun' });
  }
  return out;
}

/** The pids of every process (but this one) whose command line holds `needle`. */
export function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
