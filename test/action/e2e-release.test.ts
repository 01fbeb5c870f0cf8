/**
 * End to end, `platforms` and `skip-unchanged`: the bundled root action (main, then post) on a
 * monorepo in real git, against a real docker-registry with htpasswd auth, with the stand-in
 * executor downloaded from it and run in its container (runc), once per platform. The base image is a
 * two-platform busybox the test pushes; arm64 RUN steps run through the machine's binfmt_misc.
 * Needs root (the container runtime) like CI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_RUN_ARM64, pushBusyboxImage, TWO_PLATFORMS } from '../support/busybox-image.js';
import { isolateGit, RepoFixture } from '../support/git-repo.js';
import { layerFiles } from '../support/layer-files.js';
import { getBlob, getManifest } from '../support/oci-image.js';
import { listTags, manifestDigest, pushRandomImage, startRegistry } from '../support/registry.js';
import type { LocalRegistry } from '../support/registry.js';
import {
  runMainAndPost,
  type ActionRun,
  type ImageOutput as Image,
} from '../support/run-action.js';
import { executorRuns, hostGoArch, pushStandinImage } from '../support/standin.js';

const USERNAME = 'releaser';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-Rel3ase`;
const TIMEOUT = 300_000;
const BINFMT = '/proc/sys/fs/binfmt_misc';

let reg: LocalRegistry;
let executorImage: string;
let scratch: string;
let toolCache: string;
let base: string;

beforeAll(async () => {
  isolateGit();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kaniko-release-e2e-release-'));
  toolCache = path.join(scratch, 'tool-cache');
  fs.mkdirSync(toolCache);
  reg = await startRegistry({ auth: { username: USERNAME, password: PASSWORD } });
  await pushStandinImage(reg, 'tools/kaniko', 'standin');
  executorImage = `${reg.host}/tools/kaniko:standin`;
  await pushBusyboxImage(reg, 'acme/busybox', '1', TWO_PLATFORMS);
  base = `${reg.host}/acme/busybox:1`;
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** Commits and pushes `files`; returns the commit. */
function commit(repo: RepoFixture, files: Record<string, string>): string {
  repo.write(files);
  const sha = repo.commit();
  repo.push();
  return sha;
}

/** main, then post, for a push of `before..after`, in a fresh checkout. */
async function release(
  repo: RepoFixture,
  before: string,
  after: string,
  inputs: Record<string, string>,
): Promise<{ main: ActionRun; images: Image[] }> {
  const workspace = repo.checkout({ sha: after });
  const eventPath = path.join(scratch, `event-${after}.json`);
  fs.writeFileSync(
    eventPath,
    JSON.stringify({
      ref: 'refs/heads/main',
      before,
      after,
      repository: { default_branch: 'main' },
    }),
  );
  const env = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/mono',
    GITHUB_SHA: after,
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TOOL_CACHE: toolCache,
  };
  const all = {
    registry: reg.host,
    namespace: 'acme',
    username: USERNAME,
    password: PASSWORD,
    'executor-image': executorImage,
    'insecure-registries': reg.host,
    ...inputs,
  };
  const { main, post } = await runMainAndPost({ inputs: all, env, timeoutMs: TIMEOUT - 60_000 });
  expect(post.exitCode).toBe(0);
  expect(fs.existsSync(main.state['credentials-dir'] ?? '/nonexistent')).toBe(false);
  const images = JSON.parse(main.outputs.images ?? '[]') as Image[];
  return { main, images };
}

/** What `RUN uname -m > /arch` recorded in the image of `digest`. */
async function unameOf(repo: string, digest: string): Promise<string> {
  const manifest = (await getManifest(reg, repo, digest)).json as { layers: { digest: string }[] };
  const files = await layerFiles(await getBlob(reg, repo, manifest.layers[1]!.digest));
  return files.find((f) => f.path === 'arch')?.content.toString() ?? '(no /arch)';
}

describe('the root action with platforms and skip-unchanged', () => {
  it.runIf(CAN_RUN_ARM64)(
    CAN_RUN_ARM64
      ? 'releases v1.2.4, latest and the extra tags of a two-platform image as one index whose arm64 layer says aarch64; a change that alters nothing in the image releases nothing'
      : 'two-platform release (skipped: no qemu-aarch64 binfmt_misc registration with the F flag, or no test/.cache/busybox-arm64; run scripts/setup.sh)',
    async () => {
      const repo = RepoFixture.create();
      const dockerfile = `FROM ${base}\nRUN uname -m > /arch\nCOPY app.txt /app.txt\n`;
      const first = commit(repo, {
        'airflow-multi/Dockerfile': dockerfile,
        'airflow-multi/app.txt': 'one\n',
        'README.md': 'monorepo\n',
      });
      await pushRandomImage(reg, 'acme/airflow-multi', ['v1.2.3']);
      const second = commit(repo, { 'airflow-multi/app.txt': 'two\n' });
      const inputs = {
        patterns: 'airflow-*',
        platforms: 'linux/amd64,linux/arm64',
        tags: '{{prefix}}{{major}}\nsha-{{sha}}',
        'skip-unchanged': 'true',
      };

      const { main, images } = await release(repo, first, second, inputs);
      expect(main.errors).toEqual([]);
      expect(main.exitCode, main.stdout).toBe(0);
      const sha7 = second.slice(0, 7);
      const [img] = images;
      expect(img).toMatchObject({
        directory: 'airflow-multi',
        version: 'v1.2.4',
        previous: 'v1.2.3',
        tags: ['v1.2.4', 'latest', 'v1', `sha-${sha7}`],
        status: 'pushed',
        error: '',
      });
      expect(Object.keys(img!.platforms)).toEqual(['linux/amd64', 'linux/arm64']);
      const repoName = 'acme/airflow-multi';
      // One index under every tag, and no other tag.
      expect((await listTags(reg, repoName)).sort()).toEqual(
        ['latest', `sha-${sha7}`, 'v1', 'v1.2.3', 'v1.2.4'].sort(),
      );
      for (const tag of img!.tags)
        expect(await manifestDigest(reg, repoName, tag)).toBe(img!.digest);
      const index = await getManifest(reg, repoName, 'v1.2.4');
      expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(
        (index.json as { manifests: { digest: string }[] }).manifests.map((m) => m.digest),
      ).toEqual(Object.values(img!.platforms));
      expect(await unameOf(repoName, img!.platforms['linux/arm64']!)).toBe('aarch64\n');
      expect(await unameOf(repoName, img!.platforms['linux/amd64']!)).toBe(
        hostGoArch() === 'amd64' ? 'x86_64\n' : 'aarch64\n',
      );
      expect(executorRuns(main)).toBe(2);
      expect(main.stdout).toContain('--custom-platform=linux/arm64');
      expect(main.summary).toContain('linux/arm64');

      // A commit that changes nothing the image holds.
      const third = commit(repo, { 'airflow-multi/README.md': 'docs only\n' });
      const again = await release(repo, second, third, inputs);
      expect(again.main.exitCode, again.main.stdout).toBe(0);
      expect(again.images[0]).toMatchObject({
        status: 'unchanged',
        version: 'v1.2.4',
        previous: 'v1.2.4',
        tags: [],
        digest: img!.digest,
        platforms: img!.platforms,
        error: '',
      });
      expect(executorRuns(again.main)).toBe(2);
      expect(again.main.stdout).toContain('nothing pushed, v1.2.5 not used');
      expect(again.main.summary).toContain('unchanged');
      expect((await listTags(reg, repoName)).sort()).toEqual(
        ['latest', `sha-${sha7}`, 'v1', 'v1.2.3', 'v1.2.4'].sort(),
      );
      repo.cleanup();
    },
    TIMEOUT,
  );

  it(
    'releases a changed single-platform image and leaves an unchanged one alone',
    async () => {
      const repo = RepoFixture.create();
      const first = commit(repo, { 'README.md': 'monorepo\n' });
      const second = commit(repo, {
        'airflow-single/Dockerfile': 'FROM scratch\nCOPY app.txt /app.txt\n',
        'airflow-single/app.txt': 'one\n',
      });
      const inputs = { patterns: 'airflow-*', 'skip-unchanged': 'true' };
      const { main, images } = await release(repo, first, second, inputs);
      expect(main.exitCode, main.stdout).toBe(0);
      expect(images[0]).toMatchObject({ status: 'pushed', version: 'v1.0.0', platforms: {} });
      expect(await manifestDigest(reg, 'acme/airflow-single', 'latest')).toBe(images[0]!.digest);

      const third = commit(repo, { 'airflow-single/notes.md': 'not copied\n' });
      const again = await release(repo, second, third, inputs);
      expect(again.main.exitCode, again.main.stdout).toBe(0);
      expect(again.images[0]).toMatchObject({
        status: 'unchanged',
        version: 'v1.0.0',
        previous: 'v1.0.0',
        digest: images[0]!.digest,
      });
      expect((await listTags(reg, 'acme/airflow-single')).sort()).toEqual(['latest', 'v1.0.0']);

      const fourth = commit(repo, { 'airflow-single/app.txt': 'two\n' });
      const changed = await release(repo, third, fourth, inputs);
      expect(changed.images[0]).toMatchObject({
        status: 'pushed',
        version: 'v1.0.1',
        previous: 'v1.0.0',
      });
      repo.cleanup();
    },
    TIMEOUT,
  );

  const s390x = fs.existsSync(`${BINFMT}/qemu-s390x`);
  it.runIf(!s390x)(
    s390x
      ? 'unregistered platform (skipped: this machine registers qemu-s390x)'
      : 'fails a directory whose platform has no binfmt_misc registration before building, saying how to register QEMU',
    async () => {
      const repo = RepoFixture.create();
      const first = commit(repo, { 'README.md': 'monorepo\n' });
      const second = commit(repo, {
        'airflow-s390x/Dockerfile': `FROM ${base}\nRUN echo hi > /hi\n`,
      });
      const { main, images } = await release(repo, first, second, {
        patterns: 'airflow-*',
        platforms: 'linux/amd64,linux/s390x',
      });
      expect(main.exitCode).toBe(1);
      expect(images[0]!.status).toBe('failed');
      expect(images[0]!.error).toContain('linux/s390x needs QEMU user emulation');
      const annotation = main.errors.join('\n');
      expect(annotation).toContain('sudo apt-get install -y qemu-user-static');
      expect(annotation).toContain('docker/setup-qemu-action');
      expect(executorRuns(main)).toBe(0);
      expect(await listTags(reg, 'acme/airflow-s390x')).toEqual([]);
      repo.cleanup();
    },
    TIMEOUT,
  );
});
