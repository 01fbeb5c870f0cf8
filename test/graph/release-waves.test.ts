/**
 * End to end: the bundled root action (dist/main.js, then dist/post.js) releases a base image
 * and an image built `FROM <registry>/acme/base:latest` in one push, on a real local registry
 * with htpasswd auth, with the stand-in executor (which pulls `FROM` images as kaniko does) in
 * its container (runc). The base is built first; the dependent's log shows it pulled the base just
 * pushed, not the release before it. Needs root (the container runtime) like CI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listTags,
  manifestDigest,
  pushRandomImage,
  startRegistry,
  type LocalRegistry,
} from '../support/registry.js';
import { runMainAndPost, type ImageOutput as Image } from '../support/run-action.js';
import { pushStandinImage } from '../support/standin.js';
import { gitIsolated as git, writeFiles as write } from '../support/git-repo.js';

const USERNAME = 'releaser';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const TIMEOUT = 240_000;

let reg: LocalRegistry;
let scratch: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kaniko-release-waves-'));
  reg = await startRegistry({ auth: { username: USERNAME, password: PASSWORD } });
  await pushStandinImage(reg, 'tools/kaniko', 'standin');
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the root action releases images built from each other', () => {
  it(
    'builds the base first; the image built on it pulls the base just pushed',
    async () => {
      // The release before this push: what a dependent built too early would read.
      const previous = await pushRandomImage(reg, 'acme/base', ['v1.0.0', 'latest']);
      await pushRandomImage(reg, 'acme/app', ['v1.0.0', 'latest']);

      const dir = path.join(scratch, 'mono');
      fs.mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      write(dir, {
        'lib/common/greeting.txt': 'hello\n',
        'base/Dockerfile': 'FROM scratch\nCOPY lib/common /common\n',
        'app/Dockerfile': `FROM ${reg.host}/acme/base:latest\nCOPY app/main.txt /app/main.txt\n`,
        'app/main.txt': 'app\n',
      });
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'seed');
      const before = git(dir, 'rev-parse', 'HEAD');
      write(dir, { 'lib/common/greeting.txt': 'hello, again\n' });
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'shared code');
      const after = git(dir, 'rev-parse', 'HEAD');
      const eventPath = path.join(scratch, 'event.json');
      fs.writeFileSync(eventPath, JSON.stringify({ ref: 'refs/heads/main', before, after }));

      const inputs = {
        patterns: '*',
        context: '.',
        registry: reg.host,
        namespace: 'acme',
        username: USERNAME,
        password: PASSWORD,
        'executor-image': `${reg.host}/tools/kaniko:standin`,
        'insecure-registries': reg.host,
      };
      const env = {
        GITHUB_WORKSPACE: dir,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'acme/mono',
        GITHUB_SHA: after,
        RUNNER_TOOL_CACHE: path.join(scratch, 'tool-cache'),
      };
      const { main, post } = await runMainAndPost({ inputs, env, timeoutMs: TIMEOUT - 30_000 });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(post.exitCode).toBe(0);

      expect(JSON.parse(main.outputs.waves ?? '')).toEqual([
        { include: [{ directory: 'base', version: 'v1.0.1', previous: 'v1.0.0', wave: 0 }] },
        { include: [{ directory: 'app', version: 'v1.0.1', previous: 'v1.0.0', wave: 1 }] },
      ]);
      const images = Object.fromEntries(
        (JSON.parse(main.outputs.images ?? '[]') as Image[]).map((i) => [i.directory, i]),
      );
      expect(images.base).toMatchObject({ status: 'pushed', reason: 'changed', error: '' });
      expect(images.app).toMatchObject({
        status: 'pushed',
        reason: 'base base changed',
        error: '',
      });
      const pushed = images.base!.digest;
      expect(pushed).not.toBe(previous);
      expect(await manifestDigest(reg, 'acme/base', 'latest')).toBe(pushed);
      expect((await listTags(reg, 'acme/app')).sort()).toEqual(['latest', 'v1.0.0', 'v1.0.1']);

      // The base's group comes first, and the app's group shows the base it pulled: this one.
      const lines = main.stdout.split('\n');
      const baseGroup = lines.findIndex((l) => l.startsWith('::group::Build base '));
      const appGroup = lines.findIndex((l) => l.startsWith('::group::Build app '));
      expect(baseGroup).toBeGreaterThanOrEqual(0);
      expect(appGroup).toBeGreaterThan(baseGroup);
      const appLog = lines.slice(appGroup, lines.indexOf('::endgroup::', appGroup)).join('\n');
      expect(appLog).toMatch(
        new RegExp(`standin: base image ${reg.host}/acme/base:latest resolved to \\S+@${pushed}`),
      );
      expect(appLog).not.toContain(previous);
    },
    TIMEOUT,
  );
});
