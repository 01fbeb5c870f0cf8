/**
 * The stand-in executor builds for real: it pulls a busybox base, unpacks it under
 * --kaniko-dir, runs RUN steps chrooted there, copies from the context, and pushes the layers
 * it snapshotted. (Pulling through mirrors and the outputs: standin-pull.test.ts.)
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, type BusyboxImage } from './busybox-image.js';
import { layerFiles } from './layer-files.js';
import type { LocalRegistry } from './registry.js';
import { listTags } from './registry.js';
import { hostGoArch } from './standin.js';
import {
  COMPILE_TIMEOUT,
  UNAME,
  byPath,
  startStandinFixture,
  type StandinFixture,
} from './standin-fixture.js';

describe('stand-in executor: real builds', () => {
  let f: StandinFixture;
  let reg: LocalRegistry;
  let base: BusyboxImage;
  let baseRef: string;
  let baseLayers: string[];
  const build: StandinFixture['build'] = (...args) => f.build(...args);
  const pushed: StandinFixture['pushed'] = (...args) => f.pushed(...args);

  beforeAll(async () => {
    f = await startStandinFixture();
    ({ reg, base, baseRef, baseLayers } = f);
  }, COMPILE_TIMEOUT);
  afterAll(() => f?.stop());

  it('pulls the base, runs RUN in a chroot under --kaniko-dir, and pushes base + new layers', async () => {
    const dockerfile = `FROM ${baseRef}\nRUN echo hi > /hello && uname -m > /arch && echo run-output-marker\n`;
    const r = await build('run', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/run/app:1`,
    ]);
    expect(r.stderr).toContain('Pushed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('run-output-marker');
    expect(r.stderr).toContain(`Retrieving image manifest ${baseRef}`);
    expect(r.stderr).toContain(`Retrieving image ${baseRef} from registry ${reg.host}`);
    expect(r.stderr).toContain(
      `standin: base image ${baseRef} resolved to ${reg.host}/base/busybox@${base.digest}`,
    );

    const img = await pushed('run/app', '1');
    expect(img.layerDigests.slice(0, baseLayers.length)).toEqual(baseLayers);
    expect(img.layers).toHaveLength(baseLayers.length + 2);
    const files = byPath(await layerFiles(img.layers[baseLayers.length]!));
    expect([...files.keys()].sort()).toEqual(['arch', 'hello']);
    expect(files.get('hello')!.content.toString()).toBe('hi\n');
    expect(files.get('arch')!.content.toString()).toBe(`${UNAME}\n`);
    const last = await layerFiles(img.layers.at(-1)!);
    expect(last.map((f) => f.path)).toEqual(['standin/', 'standin/build.txt']);
    expect(img.config).toMatchObject({ architecture: hostGoArch(), os: 'linux' });
    expect(img.config.config.Cmd).toEqual(['sh']);
    expect(img.config.rootfs.diff_ids).toHaveLength(img.layers.length);
    expect(img.config.history!.map((h) => [h.created_by, !!h.empty_layer])).toEqual([
      ['ADD busybox / # test support', false],
      [dockerfile.split('\n')[1], false],
      ['standin: build of target (last stage)', false],
    ]);
    // The stage's root lives under --kaniko-dir, never in /.
    expect(await readFile(path.join(r.kanikoDir, 'stages/0/rootfs/hello'), 'utf8')).toBe('hi\n');
  });

  it('fails a RUN that exits non-zero like kaniko, with exit code 1, and pushes nothing', async () => {
    const r = await build(
      'run-fails',
      { Dockerfile: `FROM ${baseRef}\nRUN echo before && exit 3\n` },
      [`--destination=${reg.host}/run/fails:1`],
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('before');
    expect(r.stderr).toContain(
      'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3',
    );
    expect(await listTags(reg, 'run/fails')).toEqual([]);
  });

  it('fails clearly when the shell cannot be executed (exec format error)', async () => {
    await pushBusyboxImage(reg, 'base/broken', '1', {
      extraLayers: [
        [
          { path: 'bin', type: 'dir' },
          { path: 'bin/sh', content: 'not a program', mode: 0o755 },
        ],
      ],
    });
    const r = await build(
      'exec-format',
      { Dockerfile: `FROM ${reg.host}/base/broken:1\nRUN true\n` },
      ['--no-push'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'failed to execute command: starting command: fork/exec /bin/sh: exec format error',
    );
  });

  it('gives RUN the ENV, ARG, WORKDIR and USER in effect, and records deletions as whiteouts', async () => {
    const dockerfile = [
      `FROM ${baseRef}`,
      'ARG GREETING=hello',
      'ENV NAME=world',
      'WORKDIR /work',
      'RUN rm /etc/group && echo "$GREETING $NAME $(pwd) $(id -u) $HOME" > /tmp/env.txt',
      'USER 1000',
      'RUN id -u > /tmp/uid',
      '',
    ].join('\n');
    const r = await build('env', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/env/app:1`,
      '--build-arg=GREETING=hi',
      '--cleanup',
    ]);
    expect(r.stderr).toContain('Pushed');
    const img = await pushed('env/app', '1');
    const first = byPath(await layerFiles(img.layers[baseLayers.length]!));
    expect(first.get('tmp/env.txt')!.content.toString()).toBe('hi world /work 0 /root\n');
    expect(first.has('work')).toBe(true);
    expect(first.has('etc/.wh.group')).toBe(true);
    const second = byPath(await layerFiles(img.layers[baseLayers.length + 1]!));
    expect(second.get('tmp/uid')).toMatchObject({ uid: 1000 });
    expect(second.get('tmp/uid')!.content.toString()).toBe('1000\n');
    expect(img.config.config).toMatchObject({ WorkingDir: '/work', User: '1000' });
    expect(img.config.config.Env).toContain('NAME=world');
    expect(img.config.history!.filter((h) => h.empty_layer).map((h) => h.created_by)).toEqual([
      'ARG GREETING=hello',
      'ENV NAME=world',
      'WORKDIR /work',
      'USER 1000',
    ]);
    expect(existsSync(path.join(r.kanikoDir, 'stages'))).toBe(false); // --cleanup
  });

  it('copies from the context with wildcards, .dockerignore, --chown and --chmod', async () => {
    const dockerfile = [
      `FROM ${baseRef}`,
      'WORKDIR /app',
      'COPY *.txt ./',
      'COPY --chown=1000:1000 --chmod=0640 dir /app/dir/',
      'COPY . /ctx/',
      '',
    ].join('\n');
    const r = await build(
      'copy',
      {
        Dockerfile: dockerfile,
        '.dockerignore': '*.log\nsecret/\n!keep.log\n',
        'a.txt': 'a\n',
        'b.txt': 'b\n',
        'c.log': 'ignored\n',
        'keep.log': 'kept\n',
        'secret/key': 'never copied\n',
        'dir/sub/x.txt': 'x\n',
      },
      [`--destination=${reg.host}/copy/app:1`],
    );
    expect(r.stderr).toContain('Pushed');
    const img = await pushed('copy/app', '1');
    const [txt, chowned, all] = await Promise.all(
      img.layers.slice(baseLayers.length, baseLayers.length + 3).map(layerFiles),
    );
    expect(txt!.map((f) => f.path)).toEqual(['app/', 'app/a.txt', 'app/b.txt']);
    const x = byPath(chowned!).get('app/dir/sub/x.txt')!;
    expect(x).toMatchObject({ uid: 1000, gid: 1000 });
    expect(x.mode & 0o7777).toBe(0o640);
    const copied = [...byPath(all!).keys()].filter((p) => p.startsWith('ctx/')).sort();
    expect(copied).toEqual([
      'ctx/.dockerignore',
      'ctx/Dockerfile',
      'ctx/a.txt',
      'ctx/b.txt',
      'ctx/dir',
      'ctx/dir/sub',
      'ctx/dir/sub/x.txt',
      'ctx/keep.log',
    ]);
  });

  it('builds multi-stage: ARG in FROM, FROM an earlier stage, COPY --from', async () => {
    const dockerfile = [
      `ARG REPO=${reg.host}/base/busybox`,
      'ARG TAG=0',
      'FROM ${REPO}:${TAG} AS builder',
      'RUN echo built > /out.txt',
      'FROM builder AS second',
      'RUN cp /out.txt /copy.txt',
      'FROM scratch',
      'COPY --from=second /copy.txt /result.txt',
      'COPY --from=0 /out.txt /',
      '',
    ].join('\n');
    const r = await build('multi', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/multi/app:1`,
      '--build-arg',
      'TAG=1',
    ]);
    expect(r.stderr).toContain('Pushed');
    expect(r.stderr).toContain(`Resolved base name \${REPO}:\${TAG} to ${baseRef}`);
    expect(r.stderr).toContain("Building stage 'builder' [idx: '1', base-idx: '0']");
    const img = await pushed('multi/app', '1');
    expect(img.layers).toHaveLength(3);
    const [first, second] = await Promise.all(img.layers.slice(0, 2).map(layerFiles));
    expect(first!.map((f) => [f.path, f.content.toString()])).toEqual([['result.txt', 'built\n']]);
    expect(second!.map((f) => f.path)).toEqual(['out.txt']);
    expect(img.config.config.Env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
  });
});
