/**
 * The bundled actions (dist/) run the way the runner runs them, as root like CI, around the
 * runtime's lifecycle: a main step SIGKILLed in the middle of a build leaves a container that
 * the post step kills and deletes, with no process of it left; a forged step state never makes
 * the post step delete anything outside the action's own directories; and a repository
 * directory whose name holds a workflow command cannot issue it, in the plan or the main action.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type LocalRegistry } from '../support/registry.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { processesWith } from '../support/runtimes.js';
import { pushStandinImage, STANDIN_START } from '../support/standin.js';
import { gitIsolated as git, writeFiles } from '../support/git-repo.js';

const isRoot = process.getuid?.() === 0;
const TIMEOUT = 240_000;
/** The workflow commands the action itself writes to stdout. */
const OWN_COMMAND = /^::(group|endgroup|error|warning|notice|debug|add-mask)\b/;

let reg: LocalRegistry;
let scratch: string;
let toolCache: string;
let executorImage: string;

/** A repository whose second commit adds `files`; the push event of that commit. */
function pushedRepo(name: string, files: Record<string, string>): Record<string, string> {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README.md'), 'x\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const before = git(dir, 'rev-parse', 'HEAD');
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'change');
  const after = git(dir, 'rev-parse', 'HEAD');
  const eventPath = path.join(scratch, `${name}-event.json`);
  fs.writeFileSync(
    eventPath,
    JSON.stringify({
      before,
      after,
      repository: { default_branch: 'main', full_name: 'acme/mono' },
    }),
  );
  return {
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/mono',
    GITHUB_SHA: after,
    RUNNER_TOOL_CACHE: toolCache,
  };
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    registry: reg.host,
    namespace: 'acme',
    'executor-image': executorImage,
    'insecure-registries': reg.host,
    ...extra,
  };
}

/** Every path under `dir` with its size: to prove a tree did not change. */
function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map(
      (e) =>
        `${path.relative(dir, path.join(e.parentPath, e.name))} ${e.isFile() ? fs.statSync(path.join(e.parentPath, e.name)).size : e.isSymbolicLink() ? 'link' : 'dir'}`,
    )
    .sort();
}

beforeAll(async () => {
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-dist-')));
  toolCache = path.join(scratch, 'tool-cache');
  fs.mkdirSync(toolCache);
  reg = await startRegistry();
  await pushStandinImage(reg, 'tools/kaniko', 'standin');
  executorImage = `${reg.host}/tools/kaniko:standin`;
}, 600_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe.runIf(isRoot)('the bundled main and post steps', () => {
  it(
    'kill and delete the container of a main step killed mid-build; no process of it is left',
    async () => {
      const env = pushRepoSleeping();
      const main = await runAction('main', {
        inputs: inputs(),
        env,
        timeoutMs: TIMEOUT,
        killWhen: (stdout) => stdout.includes(STANDIN_START),
      });
      expect(main.exitCode).toBeNull(); // killed
      const workDir = main.state['work-dir']!;
      const ids = JSON.parse(main.state.containers ?? '[]') as string[];
      expect(ids).toHaveLength(1);
      const [id] = ids as [string];
      // The build lives on without the action: its container, the runtime waiting for it.
      expect(fs.existsSync(path.join(workDir, 'state', id))).toBe(true);
      expect(processesWith(id).length).toBeGreaterThan(0);

      const post = await runAction('post', {
        inputs: inputs(),
        env,
        state: main.state,
        runnerDir: main.runnerDir,
      });
      expect(post.exitCode).toBe(0);
      expect(post.warnings).toEqual([]);
      expect(post.stdout).toContain(
        `Killed and deleted 1 container(s) left by the main step: ${id}.`,
      );
      for (let i = 0; i < 100 && processesWith(id).length > 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(processesWith(id)).toEqual([]);
      expect(processesWith('standin:sleep')).toEqual([]);
      expect(fs.existsSync(workDir)).toBe(false);
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(main.runnerDir);
      expect(fs.readdirSync(path.join(main.runnerDir, 'temp'))).toEqual([]);
    },
    TIMEOUT,
  );

  function pushRepoSleeping(): Record<string, string> {
    return pushedRepo(`sleeping-${Math.random().toString(36).slice(2, 8)}`, {
      'app/Dockerfile': 'FROM scratch\n# standin:sleep 600\n',
    });
  }

  it(
    'refuse a forged state: nothing outside the action’s own directories is deleted',
    async () => {
      const runnerDir = fs.mkdtempSync(path.join(scratch, 'runner-'));
      const temp = path.join(runnerDir, 'temp');
      fs.mkdirSync(temp);
      const victim = path.join(runnerDir, 'victim');
      fs.mkdirSync(path.join(victim, 'deep'), { recursive: true });
      fs.writeFileSync(path.join(victim, 'deep', 'file'), 'precious');
      const inTemp = path.join(temp, 'important');
      fs.mkdirSync(inTemp);
      fs.writeFileSync(path.join(inTemp, 'file'), 'precious');
      fs.symlinkSync(victim, path.join(temp, 'kaniko-release-builds-link'));
      fs.symlinkSync(victim, path.join(temp, 'kaniko-release-auth-link'));
      const before = [tree(victim), tree(temp)];

      const forged = [
        '..',
        '/',
        temp,
        `${temp}/`,
        victim,
        inTemp,
        path.join(temp, 'kaniko-release-builds-link'),
        `${temp}/kaniko-release-builds-x/../important`,
        'kaniko-release-builds-x',
        `${temp}/kaniko-release-builds-`,
      ];
      for (const value of forged) {
        const post = await runAction('post', {
          inputs: inputs(),
          state: {
            'work-dir': value,
            'credentials-dir': value.replace('builds', 'auth'),
            containers: JSON.stringify(['../../etc', 'kaniko-build-zzz', '$(reboot)']),
          },
          runnerDir,
        });
        expect(post.exitCode, post.stdout).toBe(0);
        expect(post.warnings.join('\n')).toMatch(/Refusing to delete/);
        expect(post.warnings.filter((w) => w.includes('Refusing to delete'))).toHaveLength(2);
        expect([tree(victim), tree(temp)]).toEqual(before);
      }
    },
    TIMEOUT,
  );

  it(
    'never let a directory name issue a workflow command, in the plan or the main action',
    async () => {
      const evil = 'x\n::save-state name=work-dir::..\n::set-output name=changed::pwned';
      const env = pushedRepo('injection', {
        [`${evil}/Dockerfile`]: 'FROM scratch\n',
        'fine/Dockerfile': 'FROM scratch\n',
      });
      const expectInert = (run: ActionRun): void => {
        const commands = run.stdout.split('\n').filter((l) => /^\s*::/.test(l));
        expect(commands.filter((l) => !OWN_COMMAND.test(l))).toEqual([]);
        expect(
          run.stdout.split('\n').filter((l) => /^\s*::save-state|^\s*::set-output/.test(l)),
        ).toEqual([]);
        expect(run.state['work-dir'] ?? '').not.toBe('..');
        expect(run.outputs.changed).not.toBe('pwned');
      };
      const plan = await runAction('plan', { inputs: inputs({ version: 'v1.0.0' }), env });
      expectInert(plan);
      expect(plan.stdout).toContain('::save-state'); // shown, as text inside a line
      const main = await runAction('main', {
        inputs: inputs({ version: 'v1.0.0', push: 'false' }),
        env,
        timeoutMs: TIMEOUT,
      });
      expectInert(main);
      // The name is data: the directory fails as an image name, reported quoted.
      const images = JSON.parse(main.outputs.images ?? '[]') as {
        directory: string;
        status: string;
      }[];
      expect(images.map((i) => [i.directory, i.status])).toEqual([
        ['fine', 'built'],
        [evil, 'failed'],
      ]);
      const workDir = main.state['work-dir'];
      expect(workDir && path.isAbsolute(workDir)).toBe(true);
      expect(path.dirname(workDir!)).toBe(path.join(main.runnerDir, 'temp'));
      const post = await runAction('post', {
        inputs: inputs(),
        env,
        state: main.state,
        runnerDir: main.runnerDir,
      });
      expect(post.warnings).toEqual([]);
      expect(fs.readdirSync(path.join(main.runnerDir, 'temp'))).toEqual([]);
    },
    TIMEOUT,
  );
});
