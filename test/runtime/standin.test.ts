/**
 * The stand-in executor, installed from a real registry and run in a container of the real
 * runtime, under runc and under crun (as root, as CI runs): its `# standin:probe` report proves
 * from inside what the container gives it, the host and the cache prove afterwards that nothing
 * leaked or stayed — after a build that succeeds, one that fails, and one that is killed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InstalledExecutor } from '../../src/executor/install.js';
import { cleanupBuilds } from '../../src/runtime/cleanup.js';
import {
  selectRuntime,
  CONTAINER_CONTEXT,
  CONTAINER_OUTPUT,
  type RunOutcome,
  type Runtime,
} from '../../src/runtime/select.js';
import { mountsBelow } from '../../src/runtime/host.js';
import { listing } from '../support/busybox-root.js';
import { manifestDigest, startRegistry, type LocalRegistry } from '../support/registry.js';
import { processesWith, testRuntimes } from '../support/runtimes.js';
import { installPushedStandin, KANIKO_IMAGE_ENV, pushStandinImage } from '../support/standin.js';

const SETUP_TIMEOUT = 600_000;

interface Probe {
  pid: number;
  uid: number;
  executorExists: boolean;
  paths: Record<string, boolean>;
  contextDir: string;
  contextWrite: { ok: boolean; error?: string };
  dockerConfig: { path: string; exists: boolean; size: number };
  env: string[];
  mounts: string;
  etcHosts: boolean;
  resolvConf: boolean;
  rootWrite: { ok: boolean };
}

describe.each(testRuntimes())(
  'the stand-in executor in a $name container',
  ({ name, choice, missing }) => {
    let reg: LocalRegistry;
    let base: string;
    let executor: InstalledExecutor;
    let runtime: Runtime;
    let cacheListing: string[];
    let dockerConfig: string;
    let hostOnly: string;

    beforeAll(async () => {
      if (missing) return;
      base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `standin-${name}-`)));
      vi.stubEnv('RUNNER_TOOL_CACHE', path.join(base, 'tool-cache'));
      vi.stubEnv('RUNNER_TEMP', path.join(base, 'runner-temp'));
      fs.mkdirSync(process.env.RUNNER_TOOL_CACHE!);
      fs.mkdirSync(process.env.RUNNER_TEMP!);
      reg = await startRegistry();
      await pushStandinImage(reg, 'tools/kaniko', 'v1');
      executor = await installPushedStandin(reg);
      cacheListing = listing(executor.rootfs);
      runtime = await selectRuntime(
        { runtime: choice, caCertificates: '' },
        { log: () => undefined },
      );
      dockerConfig = path.join(base, 'config.json');
      fs.writeFileSync(dockerConfig, JSON.stringify({ auths: { [reg.host]: { auth: 'dTpw' } } }), {
        mode: 0o600,
      });
      hostOnly = path.join(base, 'only-on-the-runner');
      fs.writeFileSync(hostOnly, 'runner');
    }, SETUP_TIMEOUT);

    afterAll(async () => {
      if (runtime) await cleanupBuilds(runtime.workDir, [], choice, process.env.RUNNER_TEMP!);
      await reg?.stop();
      vi.unstubAllEnvs();
      if (base) fs.rmSync(base, { recursive: true, force: true });
    });

    let builds = 0;

    /** One build of a Dockerfile, the way the build stage runs the executor. */
    async function build(
      dockerfile: string,
      extra: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
    ): Promise<{ outcome: RunOutcome; lines: string[]; output: string; destination: string }> {
      const n = ++builds;
      const context = path.join(base, `context-${n}`);
      const output = path.join(base, `output-${n}`);
      fs.mkdirSync(context);
      fs.mkdirSync(output);
      fs.writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
      const destination = `${reg.host}/built/app:v${n}`;
      const lines: string[] = [];
      const outcome = await runtime.run({
        executor,
        args: [
          `--context=dir://${CONTAINER_CONTEXT}`,
          `--dockerfile=${CONTAINER_CONTEXT}/Dockerfile`,
          `--destination=${destination}`,
          `--digest-file=${CONTAINER_OUTPUT}/digest`,
          `--insecure-registry=${reg.host}`,
          `--build-arg=PROBE_PATHS=${hostOnly}:/kaniko/executor:/standin-was-here:/kaniko/junk/new.txt`,
          '--force',
        ],
        env: { GIVEN: 'by the build stage' },
        context,
        dockerConfig,
        outputDir: output,
        onLine: (line) => {
          lines.push(line);
          extra.onLine?.(line);
        },
        ...(extra.signal ? { signal: extra.signal } : {}),
      });
      return { outcome, lines, output, destination };
    }

    function expectNothingLeft(): void {
      expect(mountsBelow(base)).toEqual([]);
      expect(fs.readdirSync(runtime.workDir)).toEqual(['state']);
      expect(fs.readdirSync(path.join(runtime.workDir, 'state'))).toEqual([]);
      expect(listing(executor.rootfs)).toEqual(cacheListing);
      expect(fs.existsSync('/standin-was-here')).toBe(false);
    }

    /** The mount points the container has; anything else would be the runner's. */
    const CONTAINER_MOUNT =
      /^\/$|^\/(proc|dev|sys|workspace|kaniko|etc\/hosts$|etc\/resolv\.conf$)/;

    it.skipIf(missing)(
      'sees its own root, a read-only context, the credentials, and nothing of the runner',
      async () => {
        const { outcome, lines, output, destination } = await build(
          '# standin:probe\nFROM scratch\n',
        );
        expect(outcome, lines.join('\n')).toEqual({ exitCode: 0, signal: null });
        const probe = JSON.parse(fs.readFileSync(path.join(output, 'probe.json'), 'utf8')) as Probe;
        expect(probe.pid).toBe(1);
        expect(probe.uid).toBe(0);
        expect(probe.executorExists).toBe(true);
        expect(probe.paths).toEqual({
          [hostOnly]: false,
          '/kaniko/executor': true,
          '/standin-was-here': false,
          '/kaniko/junk/new.txt': true,
        });
        expect(probe.contextDir).toBe(CONTAINER_CONTEXT);
        expect(probe.contextWrite.ok).toBe(false);
        expect(probe.contextWrite.error).toMatch(/read-only file system/);
        expect(probe.dockerConfig).toEqual({
          path: '/kaniko/.docker/config.json',
          exists: true,
          size: fs.statSync(dockerConfig).size,
        });
        expect([...probe.env].sort()).toEqual(
          [...KANIKO_IMAGE_ENV, 'GIVEN=by the build stage'].sort(),
        );
        expect(probe.mounts).toMatch(/ \/workspace \S+ ro[ ,]/);
        expect(probe.mounts).toMatch(/ \/kaniko\/.docker\/config.json \S+ ro[ ,]/);
        expect(probe.mounts).not.toContain(base);
        // Every mount the executor sees is one of the container's own.
        const mountPoints = probe.mounts
          .split('\n')
          .map((line) => line.split(' ')[1])
          .filter((p): p is string => p !== undefined && p !== '');
        expect(mountPoints).toContain('/');
        expect(mountPoints.filter((p) => !CONTAINER_MOUNT.test(p))).toEqual([]);
        expect(probe.etcHosts && probe.resolvConf).toBe(true);
        // It could write to its / — that layer is gone now, and never reached the host or the cache.
        expect(probe.rootWrite.ok).toBe(true);
        expect(fs.readFileSync(path.join(output, 'digest'), 'utf8')).toBe(
          await manifestDigest(reg, 'built/app', destination.split(':').pop()!),
        );
        expectNothingLeft();
      },
    );

    it.skipIf(missing)('starts the next build from a fresh layer over the executor', async () => {
      const { outcome, output } = await build('# standin:probe\nFROM scratch\n');
      expect(outcome.exitCode).toBe(0);
      const probe = JSON.parse(fs.readFileSync(path.join(output, 'probe.json'), 'utf8')) as Probe;
      expect(probe.paths['/standin-was-here']).toBe(false);
      expectNothingLeft();
    });

    it.skipIf(missing)('passes a failing exit code through and leaves nothing behind', async () => {
      const { outcome, lines } = await build('# standin:fail 3\nFROM scratch\n');
      expect(outcome).toEqual({ exitCode: 3, signal: null });
      expect(lines.length).toBeGreaterThan(0);
      expectNothingLeft();
    });

    it.skipIf(missing)('kills the executor when aborted and leaves nothing behind', async () => {
      const controller = new AbortController();
      const { outcome, lines, destination } = await build('# standin:sleep 600\nFROM scratch\n', {
        signal: controller.signal,
        onLine: (line) => {
          if (line.includes('standin')) controller.abort();
        },
      });
      expect(outcome).toEqual({ exitCode: null, signal: 'SIGKILL', killed: 'aborted' });
      expect(lines.some((l) => l.includes('standin'))).toBe(true);
      expect(processesWith(destination)).toEqual([]);
      expectNothingLeft();
    });
  },
);
