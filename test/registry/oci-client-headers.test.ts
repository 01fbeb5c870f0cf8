/** `WWW-Authenticate` challenges, `Link` headers and token scopes as registries write them. */
import { describe, expect, it } from 'vitest';
import { mergeScopes } from '../../src/registry/token.js';
import { nextLink, parseChallenges } from '../../src/registry/www-authenticate.js';

describe('parseChallenges', () => {
  it.each([
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/alpine:pull',
          },
        },
      ],
    ],
    [
      'a scope with several actions (a comma inside quotes)',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://ghcr.io/token',
            service: 'ghcr.io',
            scope: 'repository:o/r:pull,push',
          },
        },
      ],
    ],
    [
      'Basic (htpasswd)',
      'Basic realm="basic-realm"',
      [{ scheme: 'basic', params: { realm: 'basic-realm' } }],
    ],
    [
      'two challenges joined by Headers.get',
      'Basic realm="r", Bearer realm="https://t/token", error="invalid_token"',
      [
        { scheme: 'basic', params: { realm: 'r' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', error: 'invalid_token' } },
      ],
    ],
    [
      'unquoted values, spaces and an escaped quote',
      'Bearer  realm = https://t/token , service=svc, note="a \\"q\\""',
      [{ scheme: 'bearer', params: { realm: 'https://t/token', service: 'svc', note: 'a "q"' } }],
    ],
    ['a scheme in capitals', 'BEARER realm="x"', [{ scheme: 'bearer', params: { realm: 'x' } }]],
    ['nothing', '', []],
  ])('%s', (_what, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });

  it('reads null as no challenge', () => {
    expect(parseChallenges(null)).toEqual([]);
  });
});

describe('nextLink', () => {
  const base = 'https://reg.example/v2/a/b/tags/list?n=100';
  it.each([
    [
      'relative (distribution)',
      '</v2/a/b/tags/list?last=v1&n=100>; rel="next"',
      'https://reg.example/v2/a/b/tags/list?last=v1&n=100',
    ],
    [
      'absolute',
      '<https://reg.example/v2/a/b/tags/list?last=v1>; rel="next"',
      'https://reg.example/v2/a/b/tags/list?last=v1',
    ],
    ['unquoted rel', '</v2/x?last=1>; rel=next', 'https://reg.example/v2/x?last=1'],
    [
      'next among other links',
      '</v2/p>; rel="prev", </v2/n>; rel="next"',
      'https://reg.example/v2/n',
    ],
    ['several relations', '</v2/n>; type="x"; rel="last next"', 'https://reg.example/v2/n'],
    ['only prev', '</v2/p>; rel="prev"', undefined],
    ['none', null, undefined],
  ])('%s', (_what, header, expected) => {
    expect(nextLink(header, base)).toBe(expected);
  });
});

describe('mergeScopes', () => {
  it.each<[string, string[], string, string[]]>([
    [
      'the challenge asks for what the request has',
      ['repository:a:pull'],
      'repository:a:pull',
      ['repository:a:pull'],
    ],
    [
      'push covers a challenge for pull',
      ['repository:a:pull,push'],
      'repository:a:pull',
      ['repository:a:pull,push'],
    ],
    [
      'a challenge for more is added',
      ['repository:a:pull'],
      'repository:a:pull,push',
      ['repository:a:pull', 'repository:a:pull,push'],
    ],
    [
      'several scopes in one challenge (a mount)',
      ['repository:a:pull,push'],
      'repository:a:pull,push repository:b:pull',
      ['repository:a:pull,push', 'repository:b:pull'],
    ],
    ['no scope in the challenge', ['repository:a:pull'], '', ['repository:a:pull']],
  ])('%s', (_what, ours, challenged, expected) => {
    expect(mergeScopes(ours, challenged)).toEqual(expected);
  });
});
