/**
 * The life of a build's container, for real under runc and under crun (as root): exit codes,
 * abort and timeout, a container that cannot start, the id recorded before the start, the
 * action ended by SIGTERM (containers killed and deleted at once) or by SIGKILL (the post step's
 * `cleanupBuilds` kills and deletes what is left) — and afterwards no process, mount or file of
 * the build remains.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeFingerprint } from '../../src/executor/cache.js';
import { cleanupBuilds } from '../../src/runtime/cleanup.js';
import { mountsBelow } from '../../src/runtime/host.js';
import {
  selectRuntime,
  type Runtime,
  type RunOutcome,
  type RunSpec,
} from '../../src/runtime/select.js';
import { makeBusyboxFixture, type BusyboxFixture } from '../support/busybox-root.js';
import { hybridCgroups, processesWith, testRuntimes } from '../support/runtimes.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await wait(20)) if (check()) return true;
  return check();
}

/** A unique `sleep` a test can find among the runner's processes. */
const sleeper = (): string => `sleep ${70_000 + Math.floor(Math.random() * 20_000)}`;
/** Starts `needle` in the background without the shell's own command line holding it. */
const background = (needle: string): string =>
  `(s=${needle.split(' ')[0]}; exec /bin/busybox $s ${needle.split(' ')[1]}) &`;

describe.each(testRuntimes())('a container under $name', ({ name, choice, missing }) => {
  let fx: BusyboxFixture;
  let runtime: Runtime;
  /** The lists of ids handed to `record`, and whether the newest one's container existed then. */
  const recorded: string[][] = [];
  const existedAtRecord: boolean[] = [];
  const savedTemp = process.env.RUNNER_TEMP;

  beforeAll(async () => {
    if (missing) return;
    fx = makeBusyboxFixture(`lifecycle-${name}-`);
    process.env.RUNNER_TEMP = fx.runnerTemp;
    runtime = await selectRuntime(
      { runtime: choice, caCertificates: '' },
      {
        record: (ids) => {
          recorded.push([...ids]);
          existedAtRecord.push(fs.existsSync(path.join(runtime.workDir, 'state', ids.at(-1)!)));
        },
        log: () => undefined,
      },
    );
  });

  afterAll(() => {
    if (savedTemp === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = savedTemp;
    if (fx) fs.rmSync(fx.base, { recursive: true, force: true });
  });

  async function run(
    script: string,
    extra: Partial<RunSpec> = {},
  ): Promise<{ outcome: RunOutcome; lines: string[] }> {
    const lines: string[] = [];
    const outcome = await runtime.run({
      executor: fx.executor,
      args: [script],
      env: {},
      context: fx.context,
      dockerConfig: fx.dockerConfig,
      outputDir: fx.outputDir,
      ...extra,
      onLine: (line) => {
        lines.push(line);
        extra.onLine?.(line);
      },
    });
    return { outcome, lines };
  }

  function expectNothingLeft(workDir = runtime.workDir): void {
    expect(mountsBelow(fx.base)).toEqual([]);
    expect(fs.readdirSync(workDir)).toEqual(['state']);
    expect(fs.readdirSync(path.join(workDir, 'state'))).toEqual([]);
  }

  it.skipIf(missing)('passes the exit code through and deletes the container', async () => {
    const { outcome, lines } = await run('echo failing >&2; exit 7');
    expect(outcome).toEqual({ exitCode: 7, signal: null });
    expect(lines).toEqual(['failing']);
    expectNothingLeft();
  });

  it.skipIf(missing)(
    'records the id before the container exists, and runs it under that id',
    async () => {
      const stateRoot = path.join(runtime.workDir, 'state');
      const before = recorded.length;
      const gate = path.join(fx.outputDir, 'gate');
      execFileSync('mkfifo', [gate]);
      let existedWhileRunning: boolean | undefined;
      const { outcome } = await run('echo up; read _ < /kaniko/output/gate', {
        onLine: () => {
          existedWhileRunning = fs.existsSync(path.join(stateRoot, recorded.at(-1)!.at(-1)!));
          fs.writeFileSync(gate, 'go\n');
        },
      });
      fs.rmSync(gate);
      expect(outcome.exitCode).toBe(0);
      expect(recorded.length).toBe(before + 1);
      const ids = recorded.at(-1)!;
      expect(ids.slice(0, -1)).toEqual(recorded[before - 1] ?? []);
      expect(ids.at(-1)).toMatch(/^kaniko-build-[0-9a-f]{16}$/);
      expect(existedAtRecord.at(-1)).toBe(false);
      expect(existedWhileRunning).toBe(true);
      expectNothingLeft();
    },
  );

  it.skipIf(missing)('kills every process of the build when aborted', async () => {
    const needle = sleeper();
    const controller = new AbortController();
    let seen: number[] = [];
    const { outcome, lines } = await run(
      `${background(needle)} ${background(needle)} echo started; wait`,
      {
        signal: controller.signal,
        onLine: (line) => {
          if (line !== 'started') return;
          void until(() => (seen = processesWith(needle)).length === 2).then(() =>
            controller.abort(),
          );
        },
      },
    );
    expect(lines).toEqual(['started']);
    expect(seen).toHaveLength(2);
    expect(outcome).toEqual({ exitCode: null, signal: 'SIGKILL', killed: 'aborted' });
    expect(processesWith(needle)).toEqual([]);
    expectNothingLeft();
  });

  it.skipIf(missing)('kills the build at its timeout', async () => {
    const needle = sleeper();
    const { outcome } = await run(`${background(needle)} wait`, { timeoutMs: 500 });
    expect(outcome).toEqual({ exitCode: null, signal: 'SIGKILL', killed: 'timeout' });
    expect(processesWith(needle)).toEqual([]);
    expectNothingLeft();
  });

  it.skipIf(missing)(
    'fails with what the runtime said when the container cannot start',
    async () => {
      const saved = fx.executor;
      fx.executor = { ...saved, entrypoint: ['/kaniko/executor'] };
      try {
        await expect(run('ignored')).rejects.toThrow(
          new RegExp(
            `${path.basename(name)} could not start the build's container: .*kaniko/executor`,
          ),
        );
      } finally {
        fx.executor = saved;
      }
      expectNothingLeft();
    },
  );

  it.skipIf(missing)(
    'never runs an executor whose root changed after it was verified',
    async () => {
      const executor = { ...fx.executor, fingerprint: treeFingerprint(fx.executor.rootfs) };
      const added = path.join(fx.executor.rootfs, 'bin', 'planted');
      fs.writeFileSync(added, '#!/bin/sh\n');
      try {
        await expect(run('touch /kaniko/output/ran', { executor })).rejects.toThrow(
          /changed after it was verified; refusing to run it/,
        );
      } finally {
        fs.rmSync(added);
      }
      expect(fs.existsSync(path.join(fx.outputDir, 'ran'))).toBe(false);
      expectNothingLeft();
    },
  );

  it.skipIf(missing)('refuses a missing context before making anything', async () => {
    await expect(run('true', { context: path.join(fx.base, 'nope') })).rejects.toThrow(
      /build context .*nope is not a directory/,
    );
    expectNothingLeft();
  });

  /** Starts a build in a child process of its own, as the main step does. */
  async function childBuild(needle: string): Promise<{
    child: ReturnType<typeof spawn>;
    ended: Promise<NodeJS.Signals | null>;
    stdout: () => string;
    workDir: string;
    ids: () => string[];
  }> {
    // Next to the repository's node_modules, which the bundle leaves external.
    const script = path.resolve('test', '.cache', `lifecycle-child-${process.pid}.mjs`);
    fs.mkdirSync(path.dirname(script), { recursive: true });
    await build({
      stdin: {
        contents: `
          import { selectRuntime } from ${JSON.stringify(path.resolve('src/runtime/select.ts'))};
          const [choice, executor, context, dockerConfig, outputDir, needle] = JSON.parse(process.argv[2]);
          const runtime = await selectRuntime({ runtime: choice, caCertificates: '' },
            { record: (ids) => console.log('ids ' + JSON.stringify(ids)), log: () => {} });
          console.log('workdir ' + runtime.workDir);
          await runtime.run({ executor, args: [needle + ' echo started; wait'], env: {},
            context, dockerConfig, outputDir, onLine: (l) => console.log(l) });
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
    const args = [
      choice,
      fx.executor,
      fx.context,
      fx.dockerConfig,
      fx.outputDir,
      background(needle),
    ];
    const child = spawn(process.execPath, [script, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, RUNNER_TEMP: fx.runnerTemp },
    });
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const line = (prefix: string): string | undefined =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith(prefix))
        .at(-1)
        ?.slice(prefix.length);
    expect(
      await until(() => stdout.includes('started\n') && processesWith(needle).length === 1, 20_000),
      stdout,
    ).toBe(true);
    return {
      child,
      ended,
      stdout: () => stdout,
      workDir: line('workdir ')!,
      ids: () => JSON.parse(line('ids ') ?? '[]') as string[],
    };
  }

  it.skipIf(missing)(
    'kills and deletes its containers when the action is ended by SIGTERM',
    async () => {
      const needle = sleeper();
      const { child, ended, stdout, workDir, ids } = await childBuild(needle);
      try {
        child.kill('SIGTERM');
        expect(await ended).toBe('SIGTERM');
      } finally {
        child.kill('SIGKILL');
      }
      expect(stdout()).not.toContain('not reached');
      expect(ids()).toHaveLength(1);
      // Deleted by the signal handler, before the process ended.
      expect(fs.readdirSync(path.join(workDir, 'state'))).toEqual([]);
      expect(await until(() => processesWith(needle).length === 0)).toBe(true);
      // The rest is the post step's.
      await cleanupBuilds(workDir, ids(), choice, fx.runnerTemp);
      expect(fs.existsSync(workDir)).toBe(false);
      expect(mountsBelow(fx.base)).toEqual([]);
    },
  );

  it.skipIf(missing)(
    "leaves a SIGKILLed action's container to the post step, which kills and deletes it",
    async () => {
      const needle = sleeper();
      const { child, ended, workDir, ids } = await childBuild(needle);
      child.kill('SIGKILL');
      expect(await ended).toBe('SIGKILL');
      const [id] = ids();
      // The action is gone; its container is not.
      await wait(200);
      expect(processesWith(needle)).toHaveLength(1);
      expect(fs.existsSync(path.join(workDir, 'state', id!))).toBe(true);
      expect(mountsBelow(workDir).length).toBeGreaterThan(0);

      const report = await cleanupBuilds(workDir, ids(), choice, fx.runnerTemp);
      expect(report.deleted).toEqual([id]);
      expect(await until(() => processesWith(needle).length === 0)).toBe(true);
      // Nor is the runtime's own process left, waiting for the container it started.
      expect(await until(() => processesWith(id!).length === 0)).toBe(true);
      expect(fs.existsSync(workDir)).toBe(false);
      expect(mountsBelow(fx.base)).toEqual([]);
    },
  );
});

describe.runIf(process.getuid?.() === 0 && hybridCgroups() && fs.existsSync('/usr/bin/crun'))(
  'crun as installed, on a runner with hybrid cgroups',
  () => {
    it('fails the build with what crun said and what to do', async () => {
      const fx = makeBusyboxFixture('lifecycle-hybrid-');
      const saved = process.env.RUNNER_TEMP;
      process.env.RUNNER_TEMP = fx.runnerTemp;
      try {
        const runtime = await selectRuntime(
          { runtime: 'crun', caCertificates: '' },
          { log: () => undefined },
        );
        expect(runtime.name).toBe('crun');
        expect(runtime.version).toMatch(/^crun version \d/);
        await expect(
          runtime.run({
            executor: fx.executor,
            args: ['true'],
            env: {},
            context: fx.context,
            dockerConfig: fx.dockerConfig,
            outputDir: fx.outputDir,
            onLine: () => undefined,
          }),
        ).rejects.toThrow(
          /crun could not start the build's container: .*hybrid.*use 'runtime: runc'/,
        );
        expect(fs.readdirSync(runtime.workDir)).toEqual(['state']);
        expect(mountsBelow(fx.base)).toEqual([]);
      } finally {
        process.env.RUNNER_TEMP = saved;
        fs.rmSync(fx.base, { recursive: true, force: true });
      }
    });
  },
);
