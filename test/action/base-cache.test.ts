/**
 * Base images once per job, end to end: the bundled root action (dist/main.js, then
 * dist/post.js) releases several images built on one base, with the stand-in executor image
 * downloaded from a real docker-registry with htpasswd auth and run in its container (runc). The
 * registry's own access log shows each base blob fetched once per job, with `parallel` 1 and 4.
 * Needs root (the container runtime) like CI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARM64_BUSYBOX,
  HOST_BUSYBOX,
  pushBusyboxImage,
  type BusyboxImage,
} from '../support/busybox-image.js';
import { startRegistry, type LocalRegistry } from '../support/registry.js';
import { runAction, runMainAndPost, type ActionRun } from '../support/run-action.js';
import { blobGets } from '../support/standin-fixture.js';
import { pushStandinImage } from '../support/standin.js';
import { gitIsolated as git, writeFiles } from '../support/git-repo.js';

const USERNAME = 'releaser';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-B4se`;
const TIMEOUT = 240_000;
const IMAGES = ['svc-a', 'svc-b', 'svc-c', 'svc-d'];

let reg: LocalRegistry;
let scratch: string;
let toolCache: string;
let base: BusyboxImage;
let baseRef: string;
/** The base's config and layers: every blob a build of it reads. */
let baseBlobs: string[];

/** A repository whose one commit holds `files`. */
function repository(name: string, files: Record<string, string>): { dir: string; sha: string } {
  const dir = path.join(scratch, name);
  writeFiles(dir, files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'images');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

/** main, then post with the state main saved, in the same runner directory. */
async function release(
  repo: { dir: string; sha: string },
  inputs: Record<string, string>,
): Promise<{ main: ActionRun; post: ActionRun }> {
  const env = {
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: 'acme/mono',
    GITHUB_SHA: repo.sha,
    RUNNER_TOOL_CACHE: toolCache,
  };
  const all = {
    registry: reg.host,
    username: USERNAME,
    password: PASSWORD,
    'executor-image': `${reg.host}/tools/kaniko:standin`,
    'insecure-registries': reg.host,
    ...inputs,
  };
  const { main, post } = await runMainAndPost({ inputs: all, env, timeoutMs: TIMEOUT - 30_000 });
  return { main, post };
}

function statuses(run: ActionRun): Record<string, string> {
  const images = JSON.parse(run.outputs.images ?? '[]') as { directory: string; status: string }[];
  return Object.fromEntries(images.map((i) => [i.directory, i.status]));
}

async function baseGets(): Promise<number[]> {
  return Promise.all(baseBlobs.map((d) => blobGets(reg, d)));
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kaniko-release-bases-e2e-'));
  toolCache = path.join(scratch, 'tool-cache');
  fs.mkdirSync(toolCache);
  reg = await startRegistry({ auth: { username: USERNAME, password: PASSWORD } });
  await pushStandinImage(reg, 'tools/kaniko', 'standin');
  base = await pushBusyboxImage(reg, 'base/busybox', '1', {
    extraLayers: [[{ path: 'etc/base-release', content: 'base 1\n' }]],
  });
  baseRef = `${reg.host}/base/busybox:1`;
  const manifest = (await (
    await fetch(`${reg.url}/v2/base/busybox/manifests/${base.digest}`, {
      headers: { ...reg.authHeader(), accept: 'application/vnd.oci.image.manifest.v1+json' },
    })
  ).json()) as { config: { digest: string }; layers: { digest: string }[] };
  baseBlobs = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('base images once per job, through the bundled root action', () => {
  it.each([1, 4])(
    'parallel %i: four images on one base read each base blob once from the registry',
    async (parallel) => {
      const files: Record<string, string> = {};
      for (const name of IMAGES) {
        files[`${name}/Dockerfile`] = `FROM ${baseRef}\nRUN echo ${name} > /name\nCOPY . /app\n`;
      }
      const repo = repository(`parallel-${parallel}`, files);
      const before = await baseGets();
      const { main, post } = await release(repo, {
        directories: IMAGES.join('\n'),
        namespace: `p${parallel}`,
        parallel: String(parallel),
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(Object.values(statuses(main))).toEqual(IMAGES.map(() => 'pushed'));

      // Each build read the base through the job's cache; the registry served each blob once.
      const cache = /by the cache on (127\.0\.0\.1:\d+)\./.exec(main.stdout)?.[1];
      expect(cache).toBeDefined();
      const resolved = main.stdout.match(/standin: base image \S+ resolved to \S+/g) ?? [];
      expect(resolved).toHaveLength(IMAGES.length);
      for (const line of resolved) {
        expect(line).toContain(
          `resolved to ${cache}/${reg.host.replace(/[.:]/g, '-')}/base/busybox@${base.digest}`,
        );
      }
      const after = await baseGets();
      expect(after.map((n, i) => n - before[i]!)).toEqual(baseBlobs.map(() => 1));
      expect(main.stdout).toMatch(
        new RegExp(
          `Base-image cache: ${IMAGES.length * baseBlobs.length} blobs .* served to the builds, ${baseBlobs.length} \\(`,
        ),
      );

      // The cache's store lives only as long as the step; the post step finds nothing left.
      const store = main.state['base-cache-dir'];
      expect(store).toMatch(/kaniko-release-bases-/);
      expect(fs.existsSync(store!)).toBe(false);
      expect(post.exitCode).toBe(0);
      const temp = path.join(main.runnerDir, 'temp');
      expect(fs.readdirSync(temp).filter((n) => n.startsWith('kaniko-release-bases-'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'with platforms: each platform of a multi-platform base read once, for every image',
    async () => {
      const multi = await pushBusyboxImage(reg, 'base/multi', '1', {
        platforms: [
          { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
          // No RUN below: any file makes a layer of its own for the other platform.
          { platform: 'linux/arm64', busybox: ARM64_BUSYBOX || '/usr/bin/env' },
        ],
      });
      const layers = [
        ...multi.layerDigests['linux/amd64']!,
        ...multi.layerDigests['linux/arm64/v8']!,
      ];
      const names = ['multi-a', 'multi-b', 'multi-c'];
      const files: Record<string, string> = {};
      for (const name of names) {
        files[`${name}/Dockerfile`] = `FROM ${reg.host}/base/multi:1\nCOPY . /app\n`;
      }
      const repo = repository('platforms', files);
      const before = await Promise.all(layers.map((d) => blobGets(reg, d)));
      const { main } = await release(repo, {
        directories: names.join('\n'),
        namespace: 'multi',
        platforms: 'linux/amd64,linux/arm64',
        parallel: '3',
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(Object.values(statuses(main))).toEqual(names.map(() => 'pushed'));
      const resolved = main.stdout.match(
        /standin: base image \S+ resolved to 127\.0\.0\.1:\d+\/\S+/g,
      );
      expect(resolved).toHaveLength(names.length * 2);
      const after = await Promise.all(layers.map((d) => blobGets(reg, d)));
      expect(after.map((n, i) => n - before[i]!)).toEqual(layers.map(() => 1));
    },
    TIMEOUT,
  );

  it(
    'gives an image of wave 1 the base its wave 0 just pushed, not the latest cached before',
    async () => {
      const ns = 'waves';
      // A latest from an earlier release, which the cache must not serve to the dependent.
      const stale = await pushBusyboxImage(reg, `${ns}/base-img`, 'v1.0.0', {
        extraLayers: [[{ path: 'etc/stale', content: 'stale\n' }]],
      });
      await pushBusyboxImage(reg, `${ns}/base-img`, 'latest', {
        extraLayers: [[{ path: 'etc/stale', content: 'stale\n' }]],
      });
      const repo = repository('waves', {
        'base-img/Dockerfile': `FROM ${baseRef}\nRUN echo fresh > /release\n`,
        'app/Dockerfile': `FROM ${reg.host}/${ns}/base-img:latest\nRUN cat /release > /seen\n`,
      });
      const { main } = await release(repo, {
        directories: 'base-img\napp',
        namespace: ns,
        parallel: '2',
      });
      expect(main.exitCode, main.stdout).toBe(0);
      const images = JSON.parse(main.outputs.images ?? '[]') as {
        directory: string;
        digest: string;
        status: string;
      }[];
      const pushed = images.find((i) => i.directory === 'base-img')!;
      expect(pushed.status).toBe('pushed');
      expect(pushed.digest).not.toBe(stale.digest);
      const cache = /by the cache on (127\.0\.0\.1:\d+)\./.exec(main.stdout)?.[1];
      const prefix = reg.host.replace(/[.:]/g, '-');
      expect(main.stdout).toContain(
        `base image ${reg.host}/${ns}/base-img:latest resolved to ${cache}/${prefix}/${ns}/base-img@${pushed.digest}`,
      );
      expect(images.find((i) => i.directory === 'app')!.status).toBe('pushed');
    },
    TIMEOUT,
  );

  it('has the post step delete a store the main step left behind, and nothing else', async () => {
    const runnerDir = fs.mkdtempSync(path.join(scratch, 'runner-'));
    const temp = path.join(runnerDir, 'temp');
    const left = path.join(temp, 'kaniko-release-bases-left');
    fs.mkdirSync(left, { recursive: true });
    fs.writeFileSync(path.join(left, 'sha256-abc'), 'blob');
    const post = await runAction('post', { runnerDir, state: { 'base-cache-dir': left } });
    expect(post.exitCode).toBe(0);
    expect(fs.existsSync(left)).toBe(false);

    const elsewhere = path.join(scratch, 'kaniko-release-bases-elsewhere');
    fs.mkdirSync(elsewhere);
    const refused = await runAction('post', { runnerDir, state: { 'base-cache-dir': elsewhere } });
    expect(refused.exitCode).toBe(0);
    expect(refused.warnings.join('\n')).toContain('Did not remove the base-image cache');
    expect(fs.existsSync(elsewhere)).toBe(true);
  });

  it(
    'leaves a base named by a build arg only kaniko knows to kaniko, and still builds it',
    async () => {
      const repo = repository('build-arg', {
        'svc-arg/Dockerfile': 'ARG BASE\nFROM ${BASE}\nRUN cat /etc/base-release > /copy\n',
      });
      const { main } = await release(repo, {
        directories: 'svc-arg',
        namespace: 'arg',
        'extra-args': `--build-arg=BASE=${baseRef}`,
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(statuses(main)).toEqual({ 'svc-arg': 'pushed' });
      // The build graph cannot know the base: no cache is started, kaniko pulls it itself.
      expect(main.stdout).toContain(
        '::debug::Base image ${BASE}: FROM in svc-arg/Dockerfile (line 2) is not known before the build; kaniko pulls it itself.',
      );
      expect(main.stdout).not.toMatch(/by the cache on/);
      expect(main.stdout).toContain(
        `base image ${baseRef} resolved to ${reg.host}/base/busybox@${base.digest}`,
      );
    },
    TIMEOUT,
  );

  it(
    'never touches a registry the user maps to a mirror of their own',
    async () => {
      const repo = repository('own-mirror', {
        'svc-own/Dockerfile': `FROM ${baseRef}\nRUN true\n`,
      });
      const before = await baseGets();
      const { main } = await release(repo, {
        directories: 'svc-own',
        namespace: 'own',
        // A map of the registry to itself: kaniko pulls from it, the cache does not serve it.
        'extra-args': `--registry-map=${reg.host}=${reg.host}`,
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(main.stdout).toContain(`resolved to ${reg.host}/base/busybox@${base.digest}`);
      expect((await baseGets()).map((n, i) => n - before[i]!)).toEqual(baseBlobs.map(() => 1));
      expect(main.stdout).toContain(
        `::debug::Base image ${baseRef}: 'extra-args' maps ${reg.host} to a mirror of your own.`,
      );
    },
    TIMEOUT,
  );
});
