/**
 * The screen that spares the parser: it may say "parse" for a Dockerfile that does not matter,
 * never "skip" for one that does. Each case is checked against the parser's own answer.
 */
import { describe, expect, it } from 'vitest';
import { baseImages, followsReleases } from '../../src/graph/base-images.js';
import { parseDockerfile } from '../../src/graph/dockerfile.js';
import { imageInputsOf, inputMatcher } from '../../src/graph/inputs.js';
import { mayNameImages, mayReadPaths, pathScreen } from '../../src/graph/screen.js';

/** What the parser says: does the Dockerfile follow one of these images (by name)? */
function namesByParser(text: string, names: Set<string>, buildArgs: string[] = []): boolean {
  return baseImages(text, { buildArgs })
    .filter(followsReleases)
    .some((b) => names.has(b.name!.repository.split('/').at(-1)!));
}

/** What the parser says: does the image read one of these paths? */
function readsByParser(text: string, paths: string[]): boolean {
  return paths.some(inputMatcher(imageInputsOf(parseDockerfile(text))));
}

const names = new Set(['airflow-base', 'assets']);

describe('mayNameImages', () => {
  it.each([
    ['FROM myorg/airflow-base\n'],
    ['FROM docker.io/myorg/airflow-base:latest AS b\n'],
    ['from   MYORG/AIRFLOW-BASE\n'.toLowerCase()],
    ['FROM python\nCOPY --from=myorg/assets /a /a\n'],
    ['FROM myorg/air\\\nflow-base\n'],
    ['FROM "myorg/airflow-base"\n'],
    ['FROM myorg/airflow-\\\n# a comment inside\nbase\n'],
    ['ARG BASE=myorg/airflow-base\nFROM $BASE\n'],
    ['ARG SUFFIX=base\nFROM myorg/airflow-${SUFFIX}\n'],
    ['FROM \\\n  ${BASE}\n'],
    ['FROM python\nARG A=assets\nCOPY --from=myorg/${A} /a /a\n'],
    ['# escape=`\nFROM myorg/airflow-`\nbase\n'],
  ])('says yes when the parser may: %j', (text) => {
    expect(mayNameImages(text, names)).toBe(true);
  });

  it('agrees with the parser where it says yes', () => {
    const text = 'ARG SUFFIX=base\nFROM myorg/airflow-${SUFFIX}\n';
    expect(namesByParser(text, names)).toBe(true);
    expect(namesByParser('FROM myorg/air\\\nflow-base\n', names)).toBe(true);
  });

  it.each([
    ['FROM python:3.12-slim\nRUN echo "$HOME" && pip install airflow\nCMD ["airflow"]\n'],
    ['FROM myorg/airflow-base-v2\n'],
    ['FROM myorg/other\n# FROM myorg/airflow-base\n'],
    ['FROM node\nRUN export X=$PATH\n'],
    ['FROM python\nCOPY airflow-base/requirements.txt /r\nLABEL image=assets\n'],
  ])('skips what cannot name them: %j', (text) => {
    expect(mayNameImages(text, names)).toBe(false);
    expect(namesByParser(text, names)).toBe(false);
  });

  it('does not count the image itself', () => {
    expect(mayNameImages('FROM myorg/airflow-base\n', names, 'airflow-base')).toBe(false);
    expect(
      mayNameImages('FROM myorg/airflow-base\n', new Set(['airflow-base']), 'airflow-base'),
    ).toBe(false);
    expect(mayNameImages('FROM myorg/assets\n', names, 'airflow-base')).toBe(true);
  });
});

describe('mayReadPaths', () => {
  const paths = ['lib/common/x.go', 'proto/api.proto', 'my dir/file'];
  const screen = pathScreen(paths);

  it.each([
    ['FROM x\nCOPY lib/common /lib\n'],
    ['FROM x\ncopy --chown=1:1 ./lib /lib\n'],
    ['FROM x\nCOPY /proto/ /proto\n'],
    ['FROM x\nCOPY . /app\n'],
    ['FROM x\nCOPY ./ /app\n'],
    ['FROM x\nCOPY other/../lib /app\n'],
    ['FROM x\nCOPY li* /app\n'],
    ['FROM x\nCOPY ["lib", "/app"]\n'],
    ['FROM x\nCOPY ["my dir/file", "/app"]\n'],
    ['FROM x\nCOPY $SRC /app\n'],
    ['FROM x\nADD https://example.com/x /app\n'],
    ['FROM x\nCOPY other \\\n  lib /app\n'],
    ['FROM x\nCOPY other \\\n# comment\n  lib /app\n'],
    ['FROM x\nCOPY "li"b /app\n'],
    ['FROM x\n  ADD\tproto /p\n'],
  ])('says yes when the parser may: %j', (text) => {
    expect(mayReadPaths(text, screen)).toBe(true);
  });

  it('agrees with the parser on the cases it must catch', () => {
    for (const text of [
      'FROM x\nCOPY other \\\n# comment\n  lib /app\n',
      'FROM x\nCOPY ["my dir/file", "/app"]\n',
      'FROM x\nCOPY other/../lib /app\n',
      'FROM x\nCOPY li* /app\n',
    ]) {
      expect(readsByParser(text, paths)).toBe(true);
    }
  });

  it.each([
    ['FROM x\nCOPY svc-1/ /app/\nRUN echo "$PWD" && make lib\n'],
    ['FROM x\nCOPY libs /libs\n'],
    ['FROM x\nCOPY --from=build other /o\n'],
    ['FROM x\nRUN cp -r lib /lib\n# COPY lib /lib\n'],
    ['FROM x\nONBUILD COPY lib /lib\n'],
  ])('skips what cannot read them: %j', (text) => {
    expect(mayReadPaths(text, screen)).toBe(false);
    expect(readsByParser(text, paths)).toBe(false);
  });

  it('has nothing to look for without paths', () => {
    expect(mayReadPaths('FROM x\nCOPY . /app\n', pathScreen([]))).toBe(false);
  });
});
