import { describe, expect, it } from 'vitest';
import { imageRef } from '../../src/versions/image-ref.js';
import {
  argsForLog,
  kanikoArgs,
  proxyEnv,
  sourceUrl,
  type KanikoInputs,
} from '../../src/build/kaniko-args.js';

const inputs: KanikoInputs = {
  dockerfile: 'Dockerfile',
  push: true,
  buildArgs: [],
  labels: [],
  target: '',
  cache: false,
  cacheRepo: '',
  insecureRegistries: [],
  extraArgs: [],
};
const meta = {
  source: 'https://github.com/acme/mono',
  revision: '0123456789abcdef0123456789abcdef01234567',
  created: '2026-01-02T03:04:05.000Z',
  branch: 'main',
};
const paths = { context: '/workspace', outputDir: '/kaniko/output' };
const hubPlan = {
  ref: imageRef('docker.io', 'acme', 'airflow-base'),
  version: 'v1.0.5',
  tags: ['v1.0.5', 'latest'],
};

describe('kanikoArgs', () => {
  it('builds one run that pushes the version and latest, with the OCI labels', () => {
    expect(kanikoArgs(hubPlan, inputs, meta, paths)).toEqual([
      '--force',
      '--context=dir:///workspace',
      '--dockerfile=/workspace/Dockerfile',
      '--destination=docker.io/acme/airflow-base:v1.0.5',
      '--destination=docker.io/acme/airflow-base:latest',
      '--digest-file=/kaniko/output/digest',
      '--label=org.opencontainers.image.source=https://github.com/acme/mono',
      '--label=org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567',
      '--label=org.opencontainers.image.version=v1.0.5',
      '--label=org.opencontainers.image.created=2026-01-02T03:04:05.000Z',
    ]);
  });

  it('uses host[:port] for other registries and one destination per tag', () => {
    const args = kanikoArgs(
      {
        ref: imageRef('127.0.0.1:5000', 'team/sub', 'api'),
        version: '2.0.0',
        tags: ['2.0.0', '2', 'sha-0123456'],
      },
      inputs,
      meta,
      paths,
    );
    expect(args.filter((a) => a.startsWith('--destination='))).toEqual([
      '--destination=127.0.0.1:5000/team/sub/api:2.0.0',
      '--destination=127.0.0.1:5000/team/sub/api:2',
      '--destination=127.0.0.1:5000/team/sub/api:sha-0123456',
    ]);
  });

  it('writes an OCI layout instead of pushing, for one platform, reproducibly', () => {
    const args = kanikoArgs(
      hubPlan,
      inputs,
      meta,
      paths,
      {},
      {
        platform: 'linux/arm64',
        reproducible: true,
      },
    );
    expect(args.slice(0, 8)).toEqual([
      '--force',
      '--context=dir:///workspace',
      '--dockerfile=/workspace/Dockerfile',
      '--digest-file=/kaniko/output/digest',
      '--no-push',
      '--oci-layout-path=/kaniko/output/layout',
      '--custom-platform=linux/arm64',
      '--reproducible',
    ]);
    expect(args.filter((a) => a.startsWith('--destination='))).toEqual([]);
    expect(args).toContain('--label=org.opencontainers.image.version=v1.0.5');
  });

  it('names the cache repository kaniko would infer, since a layout build has no destination', () => {
    const layout = { reproducible: false };
    expect(kanikoArgs(hubPlan, { ...inputs, cache: true }, meta, paths, {}, layout)).toContain(
      '--cache-repo=docker.io/acme/airflow-base/cache',
    );
    const given = kanikoArgs(
      hubPlan,
      { ...inputs, cache: true, cacheRepo: 'ghcr.io/acme/cache' },
      meta,
      paths,
      {},
      layout,
    );
    expect(given.filter((a) => a.startsWith('--cache-repo='))).toEqual([
      '--cache-repo=ghcr.io/acme/cache',
    ]);
    expect(kanikoArgs(hubPlan, { ...inputs, cache: true }, meta, paths)).not.toContain(
      '--cache-repo=docker.io/acme/airflow-base/cache',
    );
  });

  it('adds --no-push without push', () => {
    const args = kanikoArgs(hubPlan, { ...inputs, push: false }, meta, paths);
    expect(args).toContain('--no-push');
    expect(args.filter((a) => a.startsWith('--destination='))).toHaveLength(2);
  });

  it('leaves out the labels it does not know', () => {
    const args = kanikoArgs(
      hubPlan,
      inputs,
      { source: '', revision: '', created: '', branch: '' },
      paths,
    );
    expect(args.filter((a) => a.startsWith('--label='))).toEqual([
      '--label=org.opencontainers.image.version=v1.0.5',
    ]);
  });

  it('appends proxies, build args, labels, target, cache, insecure registries, extra args in order', () => {
    const args = kanikoArgs(
      hubPlan,
      {
        ...inputs,
        dockerfile: 'docker/prod.Dockerfile',
        buildArgs: ['A=1', 'HTTP_PROXY=http://user-choice:3128', 'B=x=y z'],
        labels: ['team=data', 'org.opencontainers.image.source=https://example.com/x'],
        target: 'runtime',
        cache: true,
        cacheRepo: 'ghcr.io/acme/cache',
        insecureRegistries: ['127.0.0.1:5000', 'registry.local'],
        extraArgs: ['--snapshot-mode=redo', '--verbosity=debug'],
      },
      meta,
      { context: '/ctx', outputDir: '/out/' },
      { http_proxy: 'http://proxy:3128', NO_PROXY: 'localhost' },
    );
    expect(args.slice(0, 3)).toEqual([
      '--force',
      '--context=dir:///ctx',
      '--dockerfile=/ctx/docker/prod.Dockerfile',
    ]);
    expect(args).toContain('--digest-file=/out/digest');
    expect(args.slice(10)).toEqual([
      '--build-arg=http_proxy',
      '--build-arg=NO_PROXY',
      '--build-arg=A=1',
      '--build-arg=HTTP_PROXY=http://user-choice:3128',
      '--build-arg=B=x=y z',
      '--label=team=data',
      '--label=org.opencontainers.image.source=https://example.com/x',
      '--target=runtime',
      '--cache=true',
      '--cache-repo=ghcr.io/acme/cache',
      '--insecure-registry=127.0.0.1:5000',
      '--insecure-registry=registry.local',
      '--snapshot-mode=redo',
      '--verbosity=debug',
    ]);
    expect(args).not.toContain('--insecure');
    expect(args).not.toContain('--insecure-pull');
  });

  it.each([
    ['a directory-like Dockerfile path starting with dashes', '--foo/Dockerfile'],
    ['shell syntax', '$(id)/`id`;Dockerfile'],
    ['spaces and quotes', 'my dir/it\'s "the" Dockerfile'],
  ])('keeps %s as data in one --flag=value element', (_what, dockerfile) => {
    const args = kanikoArgs(hubPlan, { ...inputs, dockerfile }, meta, paths);
    expect(args).toContain(`--dockerfile=/workspace/${dockerfile}`);
    for (const arg of args) expect(arg).toMatch(/^--[a-z-]+(=|$)/);
  });

  it('gives every value-taking flag its value after = (never as the next element)', () => {
    const args = kanikoArgs(
      { ref: imageRef('ghcr.io', 'acme', 'images---foo'), version: '-1', tags: ['-1'] },
      { ...inputs, buildArgs: ['X=--no-push'], labels: ['l=-d'], target: 'x' },
      meta,
      paths,
    );
    const bare = args.filter((a) => !a.includes('='));
    expect(bare).toEqual(['--force']);
    expect(args).not.toContain('--no-push');
    expect(args).toContain('--build-arg=X=--no-push');
    expect(args).toContain('--destination=ghcr.io/acme/images---foo:-1');
  });
});

describe('proxyEnv', () => {
  it('takes the proxy variables that are set, in both spellings', () => {
    expect(
      proxyEnv({
        http_proxy: 'http://a:1',
        HTTPS_PROXY: 'http://b:2',
        no_proxy: '',
        NO_PROXY: '.local',
        PATH: '/bin',
        ALL_PROXY: 'socks://x',
      }),
    ).toEqual({ http_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', NO_PROXY: '.local' });
  });
});

describe('sourceUrl', () => {
  it.each([
    [
      { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'a/b' },
      'https://github.com/a/b',
    ],
    [
      { GITHUB_SERVER_URL: 'https://ghe.example/', GITHUB_REPOSITORY: 'a/b' },
      'https://ghe.example/a/b',
    ],
    [{ GITHUB_REPOSITORY: 'a/b' }, 'https://github.com/a/b'],
    [{ GITHUB_SERVER_URL: 'https://github.com' }, ''],
  ])('%j → %s', (env, url) => {
    expect(sourceUrl(env)).toBe(url);
  });
});

describe('argsForLog', () => {
  it('hides proxy credentials and nothing else', () => {
    expect(
      argsForLog([
        '--build-arg=https_proxy=http://user:secret@proxy:3128',
        '--build-arg=HTTP_PROXY=http://proxy:3128',
        '--build-arg=A=http://u:p@x',
      ]),
    ).toEqual([
      '--build-arg=https_proxy=<redacted>',
      '--build-arg=HTTP_PROXY=http://proxy:3128',
      '--build-arg=A=http://u:p@x',
    ]);
  });
});
