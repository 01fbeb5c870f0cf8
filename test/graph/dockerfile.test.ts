/**
 * What the graph reads from a Dockerfile, through dockerfile-ast: the paths `COPY`/`ADD` read
 * from the context, and the images `FROM`/`COPY --from=` pull, with variables resolved.
 */
import { describe, expect, it } from 'vitest';
import { baseImages, followsReleases, type BaseImage } from '../../src/graph/base-images.js';
import { parseDockerfile } from '../../src/graph/dockerfile.js';
import {
  imageInputsOf,
  inputMatcher,
  normaliseSource,
  readsUnder,
} from '../../src/graph/inputs.js';

const inputs = (text: string) => imageInputsOf(parseDockerfile(text));
const refs = (text: string, options = {}): string[] =>
  baseImages(text, options).map((b) => (b.known ? b.reference : `unknown ${b.written}`));
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('image inputs', () => {
  it('reads the sources of every COPY and ADD, in every stage, but not those --from a stage', () => {
    const text = [
      'FROM golang:1.22 AS build',
      'COPY go.mod go.sum ./',
      'COPY --chown=1000:1000 --chmod=755 --link lib/common ./lib/',
      'ADD tools/*.tar.gz /opt/',
      'FROM scratch',
      'COPY --from=build /out/app /app',
      'COPY services/api/config.yaml /etc/api/',
      '',
    ].join('\n');
    expect(inputs(text)).toEqual({
      sources: ['go.mod', 'go.sum', 'lib/common', 'tools/*.tar.gz', 'services/api/config.yaml'],
      unknown: [],
    });
  });

  it('reads the JSON form as JSON, spaces and all', () => {
    expect(inputs('FROM x\nCOPY ["my dir/a b.txt", "lib", "/dst/"]\n').sources).toEqual([
      'my dir/a b.txt',
      'lib',
    ]);
  });

  it('ignores here-documents, of COPY and of ADD', () => {
    const text = [
      'FROM x',
      'COPY <<EOF /etc/motd',
      'lib/common',
      'EOF',
      'ADD <<-CONF /etc/app.conf',
      '  path = other/dir',
      'CONF',
      'COPY <<A real/source /dst/',
      'x',
      'A',
      '',
    ].join('\n');
    expect(inputs(text)).toEqual({ sources: ['real/source'], unknown: [] });
  });

  it('joins continued lines and resolves escapes as Docker does', () => {
    expect(inputs('FROM x\nCOPY lib/com\\\nmon \\\n  other /dst\n').sources).toEqual([
      'lib/common',
      'other',
    ]);
  });

  it('normalises sources to the context: leading slash, dots, a climb out', () => {
    expect(['/lib/', './a/./b', '.', '', 'x/..', '../up'].map(normaliseSource)).toEqual([
      'lib',
      'a/b',
      '.',
      '.',
      '.',
      '.',
    ]);
  });

  it('leaves to the build what only the build knows: variables, URLs, git', () => {
    const text = [
      'FROM x',
      'ARG SRC=lib',
      'COPY $SRC /dst',
      'COPY ${OTHER:-x}/y /dst',
      'ADD https://example.com/a.tgz /a',
      'ADD git@github.com:acme/repo.git /repo',
      'COPY plain /p',
      '',
    ].join('\n');
    expect(inputs(text)).toEqual({
      sources: ['plain'],
      unknown: [
        '$SRC',
        '${OTHER:-x}/y',
        'https://example.com/a.tgz',
        'git@github.com:acme/repo.git',
      ],
    });
  });

  it('matches changed paths as Docker copies: directories and wildcards', () => {
    const reads = inputMatcher({
      sources: ['lib/common', 'go.mod', 'tools/*.tar.gz', 'svc-?/conf', 'a[bc]'],
      unknown: [],
    });
    expect(
      [
        'lib/common/x.go',
        'lib/common',
        'lib/commonplace/x',
        'lib/other/x',
        'go.mod',
        'go.mod.bak',
        'tools/a.tar.gz',
        'tools/sub/a.tar.gz',
        'svc-1/conf/x.yaml',
        'svc-12/conf/x.yaml',
        'ac/file',
        'ad/file',
      ].filter(reads),
    ).toEqual([
      'lib/common/x.go',
      'lib/common',
      'go.mod',
      'tools/a.tar.gz',
      'svc-1/conf/x.yaml',
      'ac/file',
    ]);
    expect(inputMatcher({ sources: ['.'], unknown: [] })('any/path')).toBe(true);
    expect(
      readsUnder({ sources: ['lib/common', 'go.mod', 'svc-?/conf'], unknown: [] }),
    ).toBeUndefined();
    expect(readsUnder({ sources: ['lib/common', 'go.mod', 'tools/*.gz'], unknown: [] })).toEqual(
      new Set(['lib', 'go.mod', 'tools']),
    );
    expect(readsUnder({ sources: ['.'], unknown: [] })).toBeUndefined();
    expect(readsUnder({ sources: ['a'], unknown: ['$X'] })).toBeUndefined();
    expect(inputMatcher({ sources: [], unknown: ['$X'] })('any/path')).toBe(true);
  });
});

describe('base images', () => {
  it('normalises every FROM form, and skips scratch, stage names and stage numbers', () => {
    const text = [
      'FROM alpine AS one',
      'FROM docker.io/library/alpine:3.20 AS Two',
      'FROM index.docker.io/myorg/base',
      'FROM ghcr.io/acme/tool:v1',
      `FROM myorg/pinned@${DIGEST}`,
      'FROM one',
      'FROM two AS three',
      'COPY --from=one /a /a',
      'COPY --from=0 /a /a',
      'COPY --from=myorg/assets:latest /a /a',
      'FROM scratch',
      '',
    ].join('\n');
    expect(refs(text)).toEqual([
      'docker.io/library/alpine:latest',
      'docker.io/library/alpine:3.20',
      'docker.io/myorg/base:latest',
      'ghcr.io/acme/tool:v1',
      `docker.io/myorg/pinned@${DIGEST}`,
      'docker.io/myorg/assets:latest',
    ]);
    const found = baseImages(text);
    expect(found.map((b) => [b.instruction, b.line])).toEqual([
      ['FROM', 1],
      ['FROM', 2],
      ['FROM', 3],
      ['FROM', 4],
      ['FROM', 5],
      ['COPY --from', 10],
    ]);
  });

  it('resolves ARG defaults, build args overriding, in FROM and in COPY --from', () => {
    const text = [
      'ARG REGISTRY=docker.io',
      'ARG BASE=${REGISTRY}/myorg/base',
      'ARG TAG=latest',
      'ARG UNSET',
      'FROM ${BASE}:${TAG}',
      'FROM myorg/app${UNSET}:${UNSET:-v2}',
      'ARG ASSETS=myorg/assets',
      'COPY --from=${ASSETS} /a /a',
      'FROM ${REGISTRY:+ghcr.io}/x/y',
      '',
    ].join('\n');
    expect(refs(text)).toEqual([
      'docker.io/myorg/base:latest',
      'docker.io/myorg/app:v2',
      'docker.io/myorg/assets:latest',
      'ghcr.io/x/y:latest',
    ]);
    expect(
      refs(text, { buildArgs: ['TAG=v9', 'ASSETS=other/assets:v1', 'NOT_DECLARED=x'] }),
    ).toEqual([
      'docker.io/myorg/base:v9',
      'docker.io/myorg/app:v2',
      'docker.io/other/assets:v1',
      'ghcr.io/x/y:latest',
    ]);
  });

  it('a global ARG reaches a stage only when the stage declares it again', () => {
    const text =
      'ARG IMG=myorg/assets\nFROM scratch\nCOPY --from=${IMG} /a /a\nARG IMG\nCOPY --from=${IMG} /b /b\n';
    expect(baseImages(text).map((b) => [b.known, b.reference])).toEqual([
      [false, ''],
      [true, 'docker.io/myorg/assets:latest'],
    ]);
  });

  it('knows the platform arguments only for a platform', () => {
    const text = 'FROM --platform=$BUILDPLATFORM golang AS build\nFROM myorg/base-${TARGETARCH}\n';
    expect(refs(text)).toEqual([
      'docker.io/library/golang:latest',
      'unknown myorg/base-${TARGETARCH}',
    ]);
    expect(refs(text, { platform: 'linux/arm64' })).toEqual([
      'docker.io/library/golang:latest',
      'docker.io/myorg/base-arm64:latest',
    ]);
  });

  it('stops at the target stage', () => {
    const text = 'FROM a AS first\nFROM b AS second\nFROM c\n';
    expect(refs(text, { target: 'SECOND' })).toEqual([
      'docker.io/library/a:latest',
      'docker.io/library/b:latest',
    ]);
  });

  it('follows releases: no tag, latest, or a tag from a build arg; never a pinned tag or digest', () => {
    const follows = (text: string, buildArgs: string[] = []): boolean[] =>
      baseImages(text, { buildArgs }).map((b: BaseImage) => followsReleases(b));
    expect(follows('FROM myorg/base\n')).toEqual([true]);
    expect(follows('FROM myorg/base:latest\n')).toEqual([true]);
    expect(follows('FROM myorg/base:v1.2.3\n')).toEqual([false]);
    expect(follows(`FROM myorg/base@${DIGEST}\n`)).toEqual([false]);
    expect(follows('ARG T=v1.2.3\nFROM myorg/base:${T}\n')).toEqual([true]);
    expect(follows('ARG B=myorg/base:v1.2.3\nFROM ${B}\n')).toEqual([true]);
    expect(follows(`ARG B=myorg/base@${DIGEST}\nFROM \${B}\n`)).toEqual([false]);
    expect(follows('ARG N=base\nFROM myorg/${N}:v1\n')).toEqual([false]);
    expect(follows('ARG T\nFROM myorg/base:${T}\n', ['T=v3'])).toEqual([true]);
  });
});
