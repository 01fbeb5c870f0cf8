import { describe, expect, it } from 'vitest';
import { imageRef, imageWebUrl } from '../../src/versions/image-ref.js';

describe('imageWebUrl', () => {
  const github = { repository: 'Acme/mono', serverUrl: 'https://github.com' };

  it.each([
    ['docker.io', 'acme', 'api', {}, 'https://hub.docker.com/r/acme/api'],
    ['ghcr.io', 'acme', 'api', github, 'https://github.com/Acme/mono/pkgs/container/api'],
    [
      'ghcr.io',
      'acme/team',
      'api',
      github,
      'https://github.com/Acme/mono/pkgs/container/team%2Fapi',
    ],
    // Another owner's package is not linked to this repository: no page is known.
    ['ghcr.io', 'other', 'api', github, ''],
    ['ghcr.io', 'acme', 'api', {}, ''],
    ['ghcr.io', 'acme', 'api', { ...github, serverUrl: 'https://ghe.example.com' }, ''],
    ['localhost:5000', 'acme', 'api', github, ''],
  ])('%s/%s/%s', (registry, namespace, name, repo, expected) => {
    expect(imageWebUrl(imageRef(registry, namespace, name), repo)).toBe(expected);
  });
});
