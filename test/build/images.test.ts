/**
 * The build loop against a real local registry with htpasswd auth and the real stand-in
 * executor binary, run directly on the host by test/support/host-runtime.ts; the container runtime itself
 * is tested by the runtime's own tests and end to end in e2e.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const annotations: string[] = [];
const notices: string[] = [];
vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return {
    ...actual,
    error: (message: string | Error) => annotations.push(String(message)),
    notice: (message: string | Error) => notices.push(String(message)),
    info: () => undefined,
    setSecret: () => undefined,
  };
});

const { buildImages } = await import('../../src/build/images.js');
const { headRevision } = await import('../../src/build/image.js');
const { errorLines } = await import('../../src/build/executor-run.js');
const { writeCredentials } = await import('../../src/credentials/docker-config.js');
const { imageRef } = await import('../../src/versions/image-ref.js');
const { inputsFrom, planOf } = await import('../support/inputs.js');
const { gitIsolated } = await import('../support/git-repo.js');
type InputValues = import('../support/inputs.js').InputValues;
const { buildStandin, hostGoArch } = await import('../support/standin.js');
const { HostRuntime } = await import('../support/host-runtime.js');
const { listTags, manifestDigest, pushRandomImage, startRegistry } =
  await import('../support/registry.js');
const { recordingSink: recorder } = await import('../support/log-sink.js');

type BuildContext = import('../../src/build/images.js').BuildContext;
type ImagePlan = import('../../src/contract.js').ImagePlan;
type Inputs = import('../../src/contract.js').Inputs;
type Runtime = import('../../src/runtime/select.js').Runtime;
type LocalRegistry = import('../support/registry.js').LocalRegistry;
type ReleaseRegistries = import('../../src/release/release.js').ReleaseRegistries;

const USERNAME = 'builder';
const PASSWORD = 'build-pw-123';

let reg: LocalRegistry;
let standin: string;
let scratch: string;
let workspace: string;
let runnerTemp: string;
let namespaceCounter = 0;
/** A namespace per test, so the tests share the registry without seeing each other's tags. */
let namespace: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
  [reg, standin] = await Promise.all([
    startRegistry({ auth: { username: USERNAME, password: PASSWORD } }),
    buildStandin(hostGoArch()),
  ]);
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  annotations.length = 0;
  notices.length = 0;
  namespace = `t${++namespaceCounter}`;
  workspace = fs.mkdtempSync(path.join(scratch, 'ws-'));
  runnerTemp = fs.mkdtempSync(path.join(scratch, 'temp-'));
});

function inputsWith(extra: InputValues = {}): Inputs {
  const values: InputValues = {
    registry: reg.host,
    namespace,
    username: USERNAME,
    password: PASSWORD,
    'insecure-registries': reg.host,
    ...extra,
  };
  return inputsFrom(values, { workspace });
}

function directory(dir: string, ...directives: string[]): ImagePlan & { dir: string } {
  fs.mkdirSync(path.join(workspace, dir), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, dir, 'Dockerfile'),
    ['FROM scratch', ...directives.map((d) => `# standin:${d}`), ''].join('\n'),
  );
  return { dir, ...planOf(dir, { registry: reg.host, namespace }) };
}

/** Registry clients for builds kaniko pushes: only the digest lookups are asked. */
function digestsOnly(digestOf: ReleaseRegistries['digestOf']): ReleaseRegistries {
  const unused = (): never => {
    throw new Error('only the release flow (platforms, skip-unchanged) asks for this');
  };
  return { digestOf, listTags: unused, client: unused, pusher: unused };
}

async function context(
  runtime: Runtime,
  inputs: Inputs,
  extra: Omit<Partial<BuildContext>, 'log'> = {},
): Promise<BuildContext & { log: ReturnType<typeof recorder> }> {
  const env = { RUNNER_TEMP: runnerTemp, HOME: scratch };
  return {
    inputs,
    workspace,
    executor: { rootfs: '/nonexistent', digest: '', env: [], entrypoint: ['/kaniko/executor'] },
    runtime,
    credentials: await writeCredentials(inputs, env),
    revision: 'abc123',
    created: new Date('2026-02-03T04:05:06Z'),
    env,
    log: recorder(),
    ...extra,
  };
}

describe('buildImages', () => {
  it('pushes both tags of every directory in one run each and checks the digests', async () => {
    const plans = [directory('airflow-a'), directory('nested/airflow-b')];
    const runtime = new HostRuntime(standin);
    runtime.workDir = fs.mkdtempSync(path.join(runnerTemp, 'sandboxes-'));
    const ctx = await context(runtime, inputsWith());
    const results = await buildImages(plans, ctx);

    expect(runtime.specs).toHaveLength(2);
    expect(results.map((r) => [r.directory, r.status, r.error])).toEqual([
      ['airflow-a', 'pushed', ''],
      ['nested/airflow-b', 'pushed', ''],
    ]);
    for (const [i, r] of results.entries()) {
      const repo = plans[i]!.ref.repository;
      expect(r.image).toBe(`${reg.host}/${repo}`);
      expect(r.tags).toEqual(['v1.0.0', 'latest']);
      expect(r.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(await manifestDigest(reg, repo, 'v1.0.0')).toBe(r.digest);
      expect(await manifestDigest(reg, repo, 'latest')).toBe(r.digest);
      expect(r.durationMs).toBeGreaterThan(0);
    }
    // The run got the context, the credentials and a fresh output dir, all removed afterwards.
    expect(runtime.specs[1]!.context).toBe(path.join(workspace, 'nested/airflow-b'));
    expect(runtime.specs[0]!.dockerConfig).toBe(ctx.credentials.configPath);
    expect(runtime.specs[0]!.outputDir).not.toBe(runtime.specs[1]!.outputDir);
    // Output dirs live in the runtime's work dir, which the post step deletes after a cancel.
    expect(path.dirname(runtime.specs[0]!.outputDir)).toBe(runtime.workDir);
    for (const spec of runtime.specs) expect(fs.existsSync(spec.outputDir)).toBe(false);
    expect(runtime.specs[0]!.args).toContain('--label=org.opencontainers.image.revision=abc123');
    expect(runtime.specs[0]!.args).toContain(
      '--label=org.opencontainers.image.created=2026-02-03T04:05:06.000Z',
    );
    // One live group per directory, in order.
    const groups = ctx.log.lines.filter((l) => l.startsWith('::group::'));
    expect(groups).toEqual([
      `::group::Build airflow-a → ${reg.host}/${namespace}/airflow-a:v1.0.0 (1/2)`,
      `::group::Build nested/airflow-b → ${reg.host}/${namespace}/nested-airflow-b:v1.0.0 (2/2)`,
    ]);
    expect(annotations).toEqual([]);
  });

  it('fails a directory whose version already exists, without running kaniko for it', async () => {
    const taken = directory('taken');
    const free = directory('free');
    const theirs = await pushRandomImage(reg, taken.ref.repository, ['v1.0.0']);
    const runtime = new HostRuntime(standin);
    const results = await buildImages([free, taken], await context(runtime, inputsWith()));

    expect(results[0]!.status).toBe('pushed');
    expect(results[1]).toMatchObject({ status: 'failed', digest: '' });
    expect(results[1]!.error).toBe(
      `${reg.host}/${namespace}/taken:v1.0.0 already exists; another run may have pushed it`,
    );
    expect(runtime.specs.map((s) => path.basename(s.context))).toEqual(['free']);
    expect(await manifestDigest(reg, taken.ref.repository, 'v1.0.0')).toBe(theirs);
    expect(await listTags(reg, taken.ref.repository)).toEqual(['v1.0.0']);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^taken: .*already exists.*\nA released version is never overwritten/,
    );
  });

  it('reports kaniko exit code and error lines, and goes on with the others', async () => {
    const plans = [directory('broken', 'fail 3'), directory('fine')];
    const runtime = new HostRuntime(standin);
    const results = await buildImages(plans, await context(runtime, inputsWith()));
    expect(results[0]!.status).toBe('failed');
    expect(results[0]!.error).toMatch(/^kaniko exited with code 3: /);
    expect(results[0]!.error).toContain(
      'error building image: standin:fail 3: failing as the Dockerfile asks',
    );
    expect(results[1]!.status).toBe('pushed');
    expect(await listTags(reg, plans[0]!.ref.repository)).toEqual([]);
    expect(annotations[0]).toMatch(/^broken: kaniko exited with code 3/);
  });

  it('with fail-fast, skips the directories not started yet', async () => {
    const plans = [directory('a-broken', 'fail 1'), directory('b'), directory('c')];
    const runtime = new HostRuntime(standin);
    const results = await buildImages(
      plans,
      await context(runtime, inputsWith({ 'fail-fast': 'true' })),
    );
    expect(results.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(results[1]!.error).toMatch(/fail-fast/);
    expect(results[1]!.durationMs).toBe(0);
    expect(runtime.specs).toHaveLength(1);
    expect(await listTags(reg, plans[1]!.ref.repository)).toEqual([]);
  });

  it('fails when the registry serves another digest after the push (a tag moved meanwhile)', async () => {
    const plan = directory('moved');
    const runtime = new HostRuntime(standin);
    let theirs = '';
    runtime.afterRun = async () => {
      theirs = await pushRandomImage(reg, plan.ref.repository, ['latest']);
    };
    const [result] = await buildImages([plan], await context(runtime, inputsWith()));
    expect(result!.status).toBe('failed');
    expect(result!.error).toMatch(
      new RegExp(
        `^the registry serves ${theirs} for ${reg.host}/${namespace}/moved:latest, but kaniko pushed sha256:[a-f0-9]{64}$`,
      ),
    );
    expect(annotations[0]).toMatch(/Another run may have pushed the same tag/);
  });

  it('with push false, builds, reports the digest, pushes nothing and asks the registry nothing', async () => {
    const plan = directory('pr');
    const lookups: string[] = [];
    const runtime = new HostRuntime(standin);
    const [result] = await buildImages(
      [plan],
      await context(runtime, inputsWith({ push: 'false' }), {
        registry: digestsOnly(async (ref, tag) => {
          lookups.push(`${ref.reference}:${tag}`);
          return null;
        }),
      }),
    );
    expect(result).toMatchObject({ status: 'built', error: '', tags: ['v1.0.0', 'latest'] });
    expect(result!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(runtime.specs[0]!.args).toContain('--no-push');
    expect(lookups).toEqual([]);
    expect(await listTags(reg, plan.ref.repository)).toEqual([]);
  });

  it('with parallel 2, runs two at once and prints each group whole when it ends', async () => {
    const plans = [directory('p1'), directory('p2'), directory('p3')];
    const runtime = new HostRuntime(standin);
    // The first two runs wait for each other: this only finishes if they run at once.
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    runtime.beforeRun = async () => {
      if (runtime.specs.length === 2) release();
      if (runtime.specs.length <= 2) await bothStarted;
    };
    const ctx = await context(runtime, inputsWith({ parallel: '2' }));
    const results = await buildImages(plans, ctx);
    expect(results.map((r) => [r.status, r.error])).toEqual([
      ['pushed', ''],
      ['pushed', ''],
      ['pushed', ''],
    ]);
    expect(runtime.maxInFlight).toBe(2);

    const lines = ctx.log.lines;
    const starts = lines.filter((l) => l.startsWith('::group::'));
    expect(starts).toHaveLength(3);
    let open: string | undefined;
    for (const line of lines) {
      if (line.startsWith('::group::')) {
        expect(open).toBeUndefined();
        open = line;
      } else if (line === '::endgroup::') {
        expect(open).toBeDefined();
        open = undefined;
      } else if (open && line.startsWith('INFO[')) {
        // An executor line inside a group names only that group's image when it names one.
        const own = /\/(p\d):/.exec(open)?.[1];
        for (const other of ['p1', 'p2', 'p3'].filter((p) => p !== own)) {
          expect(line).not.toContain(`/${namespace}/${other}`);
        }
      }
    }
    expect(lines[0]).toBe('Building 3 directories, 2 at once.');
  });

  it('names the signal that stopped kaniko', async () => {
    const runtime = new HostRuntime(standin);
    runtime.killWith = 'SIGKILL';
    const [result] = await buildImages([directory('killed')], await context(runtime, inputsWith()));
    expect(result!.status).toBe('failed');
    expect(result!.error).toMatch(/^kaniko was stopped by SIGKILL/);
  });

  it('passes proxies to the executor environment, and as build args named without their values', async () => {
    const runtime = new HostRuntime(standin);
    const ctx = await context(runtime, inputsWith({ push: 'false' }), {
      registry: digestsOnly(async () => null),
    });
    ctx.env = { ...ctx.env, https_proxy: 'http://proxy.local:3128', NO_PROXY: '127.0.0.1' };
    const [result] = await buildImages([directory('proxied')], ctx);
    expect(result!.status).toBe('built');
    expect(runtime.specs[0]!.env).toEqual({
      https_proxy: 'http://proxy.local:3128',
      NO_PROXY: '127.0.0.1',
    });
    expect(runtime.specs[0]!.args).toEqual(
      expect.arrayContaining(['--build-arg=https_proxy', '--build-arg=NO_PROXY']),
    );
  });

  it('builds a directory named --foo or $(id) as data', async () => {
    const dash = { ...directory('images/--foo'), ref: imageRef(reg.host, namespace, 'dash') };
    const shell = { ...directory('images/$(id)'), ref: imageRef(reg.host, namespace, 'shell') };
    const runtime = new HostRuntime(standin);
    const results = await buildImages([dash, shell], await context(runtime, inputsWith()));
    expect(results.map((r) => r.status)).toEqual(['pushed', 'pushed']);
    expect(runtime.specs.map((s) => s.context)).toEqual([
      path.join(workspace, 'images/--foo'),
      path.join(workspace, 'images/$(id)'),
    ]);
  });

  it('fails every directory clearly when the registry cannot be asked', async () => {
    const runtime = new HostRuntime(standin);
    const inputs = inputsWith({ password: 'wrong-password' });
    const [result] = await buildImages([directory('denied')], await context(runtime, inputs));
    expect(result!.status).toBe('failed');
    expect(result!.error).toMatch(/^cannot look up .*denied:v1\.0\.0 before the build: /);
    expect(runtime.specs).toEqual([]);
  });
});

describe('waves', () => {
  /** A directory whose image is built on another's, as the plan gives it. */
  function dependent(dir: string, wave: number, bases: string[], ...directives: string[]) {
    return {
      ...directory(dir, ...directives),
      wave,
      bases,
      reason: `base ${bases[0]} changed` as const,
    };
  }

  it('starts a wave once every image of the earlier waves was pushed; parallel within a wave', async () => {
    const base = directory('base', 'sleep 1');
    const other = directory('other');
    const app = dependent('app', 1, ['base']);
    const tool = dependent('tool', 1, ['base']);
    const runtime = new HostRuntime(standin);
    const seen: Record<string, string[]> = {};
    runtime.beforeRun = async (spec) => {
      const dir = path.basename(spec.context);
      seen[dir] = await listTags(reg, base.ref.repository);
    };
    const ctx = await context(runtime, inputsWith({ parallel: '2' }));
    const results = await buildImages([app, base, other, tool], ctx);
    expect(results.map((r) => [r.directory, r.status])).toEqual([
      ['app', 'pushed'],
      ['base', 'pushed'],
      ['other', 'pushed'],
      ['tool', 'pushed'],
    ]);
    // Wave 0 ran before wave 1, and wave 1 saw the base's tags in the registry.
    const order = runtime.specs.map((s) => path.basename(s.context));
    expect(order.slice(0, 2).sort()).toEqual(['base', 'other']);
    expect(order.slice(2).sort()).toEqual(['app', 'tool']);
    expect(seen.base).toEqual([]);
    expect(seen.app?.sort()).toEqual(['latest', 'v1.0.0']);
    expect(seen.tool?.sort()).toEqual(['latest', 'v1.0.0']);
    expect(runtime.maxInFlight).toBe(2);
    expect(ctx.log.lines).toContain('Building 4 directories in 2 waves, 2 at once.');
    expect(ctx.log.lines).toContain('Wave 2 of 2: app, tool.');
  });

  it('skips the images whose base failed, naming it, and builds the others', async () => {
    const base = directory('base', 'fail 4');
    const mid = dependent('mid', 1, ['base']);
    const leaf = dependent('leaf', 2, ['mid']);
    const fine = directory('fine');
    const onFine = dependent('on-fine', 1, ['fine']);
    const runtime = new HostRuntime(standin);
    const results = await buildImages(
      [base, mid, leaf, fine, onFine],
      await context(runtime, inputsWith()),
    );
    expect(results.map((r) => [r.directory, r.status, r.error.slice(0, 40)])).toEqual([
      ['base', 'failed', 'kaniko exited with code 4: error buildin'],
      ['mid', 'skipped', 'base base failed'],
      ['leaf', 'skipped', 'base base failed'],
      ['fine', 'pushed', ''],
      ['on-fine', 'pushed', ''],
    ]);
    expect(runtime.specs.map((s) => path.basename(s.context))).toEqual(['base', 'fine', 'on-fine']);
    expect(await listTags(reg, mid.ref.repository)).toEqual([]);
  });

  it('with push false, says that dependents were built on the registry’s base', async () => {
    const runtime = new HostRuntime(standin);
    const ctx = await context(runtime, inputsWith({ push: 'false' }), {
      registry: digestsOnly(async () => null),
    });
    const results = await buildImages([directory('base'), dependent('app', 1, ['base'])], ctx);
    expect(results.map((r) => r.status)).toEqual(['built', 'built']);
    expect(notices).toEqual([
      "Nothing is pushed ('push' is false), so app was built on the base image the registry holds, not on the base built in this run.",
    ]);
  });
});

describe('context', () => {
  it('gives kaniko the context and the Dockerfile inside it', async () => {
    fs.mkdirSync(path.join(workspace, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'lib', 'common.txt'), 'shared\n');
    const plan = directory('services/api');
    const runtime = new HostRuntime(standin);
    const [result] = await buildImages(
      [plan],
      await context(runtime, inputsWith({ context: '.' })),
    );
    expect(result!.status).toBe('pushed');
    expect(runtime.specs[0]!.context).toBe(workspace);
    expect(runtime.specs[0]!.args).toContain('--dockerfile=/workspace/services/api/Dockerfile');
    expect(runtime.specs[0]!.args).toContain('--context=dir:///workspace');
  });

  it('fails an image directory outside the context, naming both, without running kaniko', async () => {
    fs.mkdirSync(path.join(workspace, 'services'), { recursive: true });
    const outside = directory('tools/cli');
    const runtime = new HostRuntime(standin);
    const [result] = await buildImages(
      [outside],
      await context(runtime, inputsWith({ context: 'services' })),
    );
    expect(result).toMatchObject({ status: 'failed' });
    expect(result!.error).toBe(
      'the image directory tools/cli is outside the build context services, so kaniko cannot read its Dockerfile',
    );
    expect(runtime.specs).toEqual([]);
    expect(annotations[0]).toMatch(/Set 'context' to a directory that holds every image directory/);
  });
});

describe('errorLines', () => {
  it.each([
    [['INFO[0000] a', 'ERRO[0001] boom', 'INFO[0001] b'], ['ERRO[0001] boom']],
    [
      ['one', 'two', '', 'three'],
      ['one', 'two', 'three'],
    ],
    [['x', 'error building image: y'], ['error building image: y']],
    [
      ['1', '2', '3', '4', '5', '6', '7'],
      ['3', '4', '5', '6', '7'],
    ],
    [[], []],
  ])('%j → %j', (tail, expected) => {
    expect(errorLines(tail)).toEqual(expected);
  });
});

describe('headRevision', () => {
  it('is the commit checked out, else GITHUB_SHA, else empty', async () => {
    const repo = fs.mkdtempSync(path.join(scratch, 'repo-'));
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: scratch };
    gitIsolated(repo, 'init', '-q');
    gitIsolated(repo, 'commit', '-q', '--allow-empty', '-m', 'x');
    const sha = gitIsolated(repo, 'rev-parse', 'HEAD');
    expect(await headRevision(repo, { ...env, GITHUB_SHA: 'f'.repeat(40) })).toBe(sha);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'not-git-'));
    try {
      expect(
        await headRevision(plain, { PATH: process.env.PATH, GITHUB_SHA: 'e'.repeat(40) }),
      ).toBe('e'.repeat(40));
      expect(await headRevision(plain, { PATH: process.env.PATH })).toBe('');
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
