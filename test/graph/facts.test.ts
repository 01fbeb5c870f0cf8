import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/graph/dockerfile.js';
import { baseRepositoriesOn, runsOnTargetPlatform } from '../../src/graph/facts.js';

describe('runsOnTargetPlatform', () => {
  it.each<[string, string, boolean]>([
    ['a RUN step in the only stage', 'FROM alpine\nRUN apk add curl\n', true],
    ['no RUN step', 'FROM scratch\nCOPY app /app\n', false],
    [
      'RUN only in a stage pinned to the build platform (cross-compiling)',
      'FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app\nFROM scratch\nCOPY --from=build /app /app\n',
      false,
    ],
    [
      'the braced form of $BUILDPLATFORM',
      'FROM --platform=${BUILDPLATFORM} golang AS build\nRUN go build\nFROM scratch\n',
      false,
    ],
    [
      'RUN in the final stage too',
      'FROM --platform=$BUILDPLATFORM golang AS build\nRUN go build\nFROM alpine\nRUN apk add ca-certificates\n',
      true,
    ],
    ['a stage for $TARGETPLATFORM', 'FROM --platform=$TARGETPLATFORM alpine\nRUN true\n', true],
    ['a platform from another variable', 'ARG P\nFROM --platform=$P alpine\nRUN true\n', true],
    ['lower-case instructions', 'from alpine\nrun true\n', true],
  ])('%s: %s', (_, dockerfile, expected) => {
    expect(runsOnTargetPlatform(parseDockerfile(dockerfile))).toBe(expected);
  });
});

describe('baseRepositoriesOn', () => {
  it.each<[string, string, string, string[]]>([
    ['same registry', 'FROM 127.0.0.1:5000/base/busybox:1\n', '127.0.0.1:5000', ['base/busybox']],
    ['another registry', 'FROM ghcr.io/acme/base:1\n', '127.0.0.1:5000', []],
    [
      'Docker Hub short names',
      'FROM ubuntu:24.04\nFROM acme/base\n',
      'docker.io',
      ['library/ubuntu', 'acme/base'],
    ],
    [
      'Docker Hub long names',
      `FROM index.docker.io/library/alpine@sha256:${'a'.repeat(64)}\n`,
      'docker.io',
      ['library/alpine'],
    ],
    ['no Docker Hub image elsewhere', 'FROM ubuntu\n', 'ghcr.io', []],
    [
      'stages, scratch and unknown variables',
      'FROM ghcr.io/a/b AS build\nFROM build\nFROM scratch\nFROM ghcr.io/${BASE}\nFROM ghcr.io/a/b:2\n',
      'ghcr.io',
      ['a/b'],
    ],
  ])('%s', (_, dockerfile, registry, expected) => {
    expect(baseRepositoriesOn(parseDockerfile(dockerfile), registry)).toEqual(expected);
  });

  it('resolves build args and stops at the target', () => {
    const text = 'ARG BASE=ghcr.io/a/one\nFROM $BASE AS one\nFROM ghcr.io/a/two AS two\n';
    expect(baseRepositoriesOn(parseDockerfile(text), 'ghcr.io', { target: 'one' })).toEqual([
      'a/one',
    ]);
    expect(
      baseRepositoriesOn(parseDockerfile(text), 'ghcr.io', { buildArgs: ['BASE=ghcr.io/a/x'] }),
    ).toEqual(['a/x', 'a/two']);
  });
});
