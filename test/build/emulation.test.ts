import { describe, expect, it } from 'vitest';
import { runsOnTargetPlatform } from '../../src/build/emulation.js';

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
    expect(runsOnTargetPlatform(dockerfile)).toBe(expected);
  });
});
