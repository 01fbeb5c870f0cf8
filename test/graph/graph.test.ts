/**
 * The build graph against real git repositories: what a push releases with a shared `context`,
 * and the images built from the images it releases, in waves. Detection and the graph run as
 * the plan step runs them; image references are made by the versions stage's own functions.
 */
import { describe, expect, it } from 'vitest';
import type { BuildTarget } from '../../src/contract.js';
import { detect } from '../../src/detect/detect.js';
import { planGraph, type GraphInputs } from '../../src/graph/targets.js';
import { Git } from '../../src/lib/git.js';
import { imageName, imageRef } from '../../src/versions/image-ref.js';
import { repoFixtures } from '../support/git-repo.js';

const fixture = repoFixtures();

const DIGEST = `sha256:${'c'.repeat(64)}`;

function inputsOf(overrides: Partial<GraphInputs> = {}): GraphInputs {
  return {
    patterns: ['*'],
    dockerfile: 'Dockerfile',
    directories: [],
    buildAll: false,
    context: '',
    buildArgs: [],
    target: '',
    base: '',
    head: '',
    ...overrides,
  } as GraphInputs;
}

interface Planned {
  targets: BuildTarget[];
  parsed: string[];
  notices: string[];
  warnings: string[];
  /** `directory (reason) wave N`, one per target. */
  lines: string[];
  /** Every git process of detection and the graph. */
  gitCalls: string[][];
}

/** A repository seeded with `files`; `push(change)` commits, pushes and plans that push. */
function monorepo(files: Record<string, string>) {
  const repo = fixture();
  repo.write(files);
  let before = repo.commit('seed');
  repo.push();
  return {
    repo,
    async push(
      change: Record<string, string>,
      overrides: Partial<GraphInputs> = {},
      remove: string[] = [],
    ): Promise<Planned> {
      repo.write(change).remove(...remove);
      const after = repo.commit('push');
      repo.push();
      const planned = await plan(repo.checkout(), repo.pushEvent({ before, after }), overrides);
      before = after;
      return planned;
    },
  };
}

async function plan(
  workspace: string,
  event: Parameters<typeof detect>[2],
  overrides: Partial<GraphInputs>,
): Promise<Planned> {
  const inputs = inputsOf(overrides);
  const git = new Git(workspace);
  const detection = await detect({ ...inputs, base: '', head: '' }, workspace, event, git);
  const graph = await planGraph(detection, inputs, {
    git,
    workspace,
    referenceOf: (d) => imageRef('docker.io', 'myorg', imageName(d)).reference,
    platform: 'linux/amd64',
  });
  return {
    ...graph,
    warnings: [...detection.warnings, ...graph.warnings],
    lines: graph.targets.map((t) => `${t.directory} (${t.reason}) wave ${t.wave}`),
    gitCalls: git.calls,
  };
}

describe('inputs of an image with a shared context', () => {
  const files = {
    '.dockerignore': '**/*.md\nlib/common/tests\n',
    'lib/common/util.py': '1\n',
    'lib/common/tests/test_util.py': '1\n',
    'lib/other/x.py': '1\n',
    'proto/api.proto': '1\n',
    'svc-a/Dockerfile': 'FROM python:3.12\nCOPY lib/common /lib/common\nCOPY svc-a/ /app/\n',
    'svc-a/app.py': '1\n',
    'svc-a/README.md': '1\n',
    'svc-b/Dockerfile': 'FROM python:3.12\nCOPY svc-b /app\nRUN echo "$PWD"\n',
    'svc-b/app.py': '1\n',
    'svc-c/Dockerfile': 'FROM python:3.12\nCOPY proto/*.proto lib/other /src/\n',
    'svc-d/Dockerfile':
      'FROM golang AS build\nCOPY --chown=1:1 --chmod=644 --link ["proto", "/p/"]\nFROM scratch\nCOPY --from=build /p /p\nCOPY <<EOF /etc/motd\nlib/common\nEOF\n',
  };

  it('a push that touches only lib/common releases exactly the images that copy it', async () => {
    const m = monorepo(files);
    const shared = await m.push({ 'lib/common/util.py': '2\n' }, { context: '.' });
    expect(shared.lines).toEqual(['svc-a (changed) wave 0']);
    expect(shared.warnings).toEqual([]);
    // Only the Dockerfiles that may read lib/common were parsed: svc-b's never names it.
    expect(shared.parsed).toEqual(['svc-a', 'svc-c', 'svc-d']);
    // Without a context the same push is no image directory's change.
    const plain = await m.push({ 'lib/common/util.py': '3\n' });
    expect(plain.lines).toEqual([]);
  });

  it('reads wildcards, several sources, flags, the JSON form; here-documents are no input', async () => {
    const m = monorepo(files);
    expect((await m.push({ 'proto/api.proto': '2\n' }, { context: '.' })).lines).toEqual([
      'svc-c (changed) wave 0',
      'svc-d (changed) wave 0',
    ]);
    expect((await m.push({ 'lib/other/x.py': '2\n' }, { context: '.' })).lines).toEqual([
      'svc-c (changed) wave 0',
    ]);
    // svc-d's here-document names lib/common; it is text, not a path of the context.
    expect((await m.push({ 'lib/common/util.py': '2\n' }, { context: '.' })).lines).toEqual([
      'svc-a (changed) wave 0',
    ]);
  });

  it('.dockerignore: ignored paths are no input; the file itself is every image’s', async () => {
    const m = monorepo(files);
    const ignored = await m.push(
      { 'svc-a/README.md': '2\n', 'lib/common/tests/test_util.py': '2\n' },
      { context: '.' },
    );
    expect(ignored).toMatchObject({ lines: [], warnings: [] });
    const own = await m.push(
      { 'svc-b/app.py': '2\n', 'svc-b/Dockerfile': files['svc-b/Dockerfile'] + '# x\n' },
      { context: '.' },
    );
    expect(own.lines).toEqual(['svc-b (changed) wave 0']);
    const all = await m.push({ '.dockerignore': '**/*.md\n' }, { context: '.' });
    expect(all.lines).toEqual([
      'svc-a (changed) wave 0',
      'svc-b (changed) wave 0',
      'svc-c (changed) wave 0',
      'svc-d (changed) wave 0',
    ]);
  });

  it('a Dockerfile change releases its image even when it reads nothing that changed', async () => {
    const m = monorepo(files);
    const found = await m.push(
      { 'svc-c/Dockerfile': 'FROM python:3.13\nCOPY proto/*.proto lib/other /src/\n' },
      { context: '.' },
    );
    expect(found.lines).toEqual(['svc-c (changed) wave 0']);
  });

  it('a source only the build knows makes the whole context an input, with a notice', async () => {
    const m = monorepo({
      ...files,
      'svc-v/Dockerfile': 'FROM python\nARG SRC=lib/other\nCOPY ${SRC} /src\n',
      'svc-u/Dockerfile': 'FROM python\nADD https://example.com/tool.tgz /opt/\nCOPY svc-u /app\n',
    });
    const found = await m.push({ 'proto/api.proto': '2\n' }, { context: '.' });
    expect(found.lines).toEqual([
      'svc-c (changed) wave 0',
      'svc-d (changed) wave 0',
      'svc-u (changed) wave 0',
      'svc-v (changed) wave 0',
    ]);
    expect(found.notices.sort()).toEqual([
      `"svc-u": its Dockerfile reads "https://example.com/tool.tgz", which only the build can resolve, so every path of the context "." counts as an input of this image.`,
      `"svc-v": its Dockerfile reads "\${SRC}", which only the build can resolve, so every path of the context "." counts as an input of this image.`,
    ]);
  });

  it('a context below the root: paths outside it are no input', async () => {
    const m = monorepo({
      'services/lib/a.py': '1\n',
      'services/api/Dockerfile': 'FROM python\nCOPY lib /lib\nCOPY api /app\n',
      'lib/a.py': '1\n',
    });
    const patterns = ['services/*'];
    expect((await m.push({ 'lib/a.py': '2\n' }, { context: 'services', patterns })).lines).toEqual(
      [],
    );
    expect(
      (await m.push({ 'services/lib/a.py': '2\n' }, { context: 'services', patterns })).lines,
    ).toEqual(['services/api (changed) wave 0']);
  });

  it('warns when no directory matches the patterns, with a context too', async () => {
    const m = monorepo(files);
    const found = await m.push(
      { 'lib/common/util.py': '2\n' },
      { context: '.', patterns: ['svc_*'] },
    );
    expect(found.lines).toEqual([]);
    expect(found.warnings).toEqual([
      expect.stringMatching(
        /^No directory at [0-9a-f]{7} matches 'patterns' \("svc_\*"\) and holds "Dockerfile"/,
      ),
    ]);
  });
});

describe('images built from each other', () => {
  const files = {
    'base/Dockerfile': 'FROM debian:bookworm\nRUN echo base\n',
    'mid/Dockerfile': 'FROM myorg/base:latest\n',
    'leaf/Dockerfile': 'ARG MID=myorg/mid\nFROM ${MID}\n',
    'hub-forms/Dockerfile': 'FROM index.docker.io/myorg/base AS b\nFROM docker.io/myorg/base\n',
    'copies/Dockerfile': 'FROM scratch\nCOPY --from=myorg/base /etc /etc\n',
    'pinned/Dockerfile': `FROM myorg/base:v1.2.3\nFROM myorg/base@${DIGEST}\n`,
    'stage/Dockerfile': 'FROM golang AS base\nFROM base\nCOPY --from=base /a /a\n',
    'other-org/Dockerfile': 'FROM otherorg/base\n',
    'by-arg/Dockerfile': 'ARG BASE=myorg/other\nFROM ${BASE}\n',
  };

  it('a change to the base releases every image built on it, base first, level by level', async () => {
    const m = monorepo(files);
    const found = await m.push({ 'base/Dockerfile': files['base/Dockerfile'] + 'RUN echo 2\n' });
    expect(found.lines).toEqual([
      'base (changed) wave 0',
      'copies (base base changed) wave 1',
      'hub-forms (base base changed) wave 1',
      'leaf (base mid changed) wave 2',
      'mid (base base changed) wave 1',
    ]);
    expect(found.targets.find((t) => t.directory === 'leaf')?.bases).toEqual(['mid']);
  });

  it('build args decide a base named by a variable', async () => {
    const m = monorepo(files);
    const found = await m.push({ 'base/x': '1\n' }, { buildArgs: ['BASE=myorg/base'] });
    expect(found.lines).toContain('by-arg (base base changed) wave 1');
  });

  it('a base and a dependent that both changed: the base first, each for its own change', async () => {
    const m = monorepo(files);
    const found = await m.push({ 'base/x': '1\n', 'leaf/x': '1\n' });
    expect(found.lines).toContain('base (changed) wave 0');
    expect(found.lines).toContain('leaf (changed) wave 2');
    expect(found.lines).toContain('mid (base base changed) wave 1');
  });

  it('explicit directories are built as named, in waves, without dependents', async () => {
    const m = monorepo(files);
    const ws = m.repo.checkout();
    const event = m.repo.event('workflow_dispatch', {});
    expect((await plan(ws, event, { directories: ['base'] })).lines).toEqual([
      'base (requested) wave 0',
    ]);
    expect((await plan(ws, event, { directories: ['leaf', 'base', 'mid'] })).lines).toEqual([
      'base (requested) wave 0',
      'leaf (requested) wave 2',
      'mid (requested) wave 1',
    ]);
  });

  it('a cycle fails the plan, naming its directories', async () => {
    const m = monorepo({
      'a/Dockerfile': 'FROM myorg/b\n',
      'b/Dockerfile': 'FROM myorg/c:latest\n',
      'c/Dockerfile': 'ARG A=myorg/a\nFROM ${A}\n',
      'd/Dockerfile': 'FROM myorg/a\n',
    });
    await expect(m.push({ 'd/x': '1\n', 'b/x': '1\n' })).rejects.toThrow(
      'built from each other in a circle: a → b → c → a',
    );
  });

  it('an image built on its own previous release is no cycle', async () => {
    const m = monorepo({ 'self/Dockerfile': 'FROM myorg/self:latest\n' });
    expect((await m.push({ 'self/x': '1\n' })).lines).toEqual(['self (changed) wave 0']);
  });

  it('build-all lists the image directories once, for detection and the graph together', async () => {
    const m = monorepo({
      'base/Dockerfile': 'FROM debian\n',
      'app/Dockerfile': 'FROM myorg/base\n',
      'tool/Dockerfile': 'FROM alpine\n',
    });
    const ws = m.repo.checkout();
    const planned = await plan(ws, m.repo.event('workflow_dispatch', {}), { buildAll: true });
    expect(planned.lines).toEqual([
      'app (build-all) wave 1',
      'base (build-all) wave 0',
      'tool (build-all) wave 0',
    ]);
    expect(planned.gitCalls.filter((c) => c.includes('ls-tree'))).toHaveLength(1);
  });
});
