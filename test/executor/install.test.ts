/**
 * The install stage against a real `docker-registry` holding the stand-in executor image (an
 * OCI index of linux/amd64 and linux/arm64/v8, attestation entries, layers with whiteouts),
 * behind a token service that answers like public registries do (anonymous Bearer tokens,
 * blobs redirected to another origin).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tc from '@actions/tool-cache';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { installExecutor, TOOL_NAME, type InstallOptions } from '../../src/executor/install.js';
import { cacheVersion } from '../../src/executor/reference.js';
import { makeLayer, pushOciImage, tamperBlob } from '../support/oci-image.js';
import { startRegistry, type LocalRegistry } from '../support/registry.js';
import {
  hostGoArch,
  KANIKO_IMAGE_ENV,
  pushStandinImage,
  type StandinImage,
} from '../support/standin.js';
import { startTokenRegistry, type TokenRegistry } from '../support/token-registry.js';

/** Compiling the stand-in for the first time (two architectures) can be slow. */
const SETUP_TIMEOUT = 600_000;
const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64' };
const host = hostGoArch();
const HOST_PLATFORM = host === 'amd64' ? AMD64 : ARM64;

let temp: string;
let toolCache: string;
let runnerTemp: string;

beforeEach(() => {
  temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'executor-test-')));
  toolCache = path.join(temp, 'tool-cache');
  runnerTemp = path.join(temp, 'runner-temp');
  fs.mkdirSync(toolCache);
  fs.mkdirSync(runnerTemp);
  vi.stubEnv('RUNNER_TOOL_CACHE', toolCache);
  vi.stubEnv('RUNNER_TEMP', runnerTemp);
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(temp, { recursive: true, force: true });
});

function inputs(executorImage: string, more: Partial<Parameters<typeof installExecutor>[0]> = {}) {
  return {
    executorImage,
    registry: 'docker.io',
    username: 'someone',
    password: 'secret',
    insecureRegistries: [] as string[],
    caCertificates: '',
    ...more,
  };
}

const quiet: InstallOptions = { log: () => undefined };

function cachedVersions(): string[] {
  return tc.findAllVersions(TOOL_NAME, host);
}

describe('installExecutor from a public registry (anonymous Bearer tokens, redirected blobs)', () => {
  let reg: LocalRegistry;
  let front: TokenRegistry;
  let image: StandinImage;
  let insecure: string[];

  beforeAll(async () => {
    reg = await startRegistry();
    image = await pushStandinImage(reg, 'tools/kaniko', 'v1.0.0');
    front = await startTokenRegistry({ upstream: reg.url, blobRedirect: true });
    insecure = [front.host, front.cdnHost];
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await front?.stop();
    await reg?.stop();
  });

  const manifestFor = (platform: string) =>
    image.manifests.find((m) => m.platform.startsWith(platform))!;
  const blobRequests = () =>
    front.requests.filter((r) => r.path.includes('/blobs/')).length + front.cdnRequests.length;

  it('downloads, verifies and unpacks the image for this runner, then finds it in the cache', async () => {
    const lines: string[] = [];
    const executorImage = `${front.host}/tools/kaniko:v1.0.0`;
    const first = await installExecutor(inputs(executorImage, { insecureRegistries: insecure }), {
      log: (l) => lines.push(l),
    });
    const expected = manifestFor(`linux/${host}`);
    expect(first).toEqual({
      rootfs: path.join(toolCache, TOOL_NAME, cacheVersion(expected.digest), host, 'rootfs'),
      digest: expected.digest,
      env: KANIKO_IMAGE_ENV,
      entrypoint: ['/kaniko/executor'],
      image: executorImage,
      platform: `linux/${host}`,
      cached: false,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(lines.join('\n')).toMatch(/Downloading .*tools\/kaniko:v1.0.0 \(linux\/.*\): 2 layers/);

    // The root file system: kaniko's layout with the whiteouts of layer 2 applied.
    const at = (p: string) => path.join(first.rootfs, p);
    expect(fs.statSync(at('kaniko/executor')).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(at('kaniko/remove-me.txt'))).toBe(false);
    expect(fs.readdirSync(at('kaniko/junk'))).toEqual(['new.txt']);
    expect(fs.readdirSync(first.rootfs).sort()).toEqual(['etc', 'kaniko', 'workspace']);

    // Anonymous tokens although a username was given: the image is not on `registry`.
    expect(front.tokenRequests.length).toBeGreaterThan(0);
    expect(front.tokenRequests.every((t) => t.authorization === '')).toBe(true);
    // The redirected blobs were fetched without the registry's token.
    expect(front.cdnRequests.length).toBe(3);
    expect(front.cdnRequests.every((r) => r.authorization === '')).toBe(true);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);

    const before = blobRequests();
    const second = await installExecutor(
      inputs(executorImage, { insecureRegistries: insecure }),
      quiet,
    );
    expect(second).toEqual({ ...first, cached: true });
    expect(blobRequests() - before).toBe(0);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);
  });

  it('installs another platform of the index beside it', async () => {
    const other = HOST_PLATFORM === AMD64 ? ARM64 : AMD64;
    const otherName = other === ARM64 ? 'linux/arm64' : 'linux/amd64';
    const installed = await installExecutor(
      inputs(`${front.host}/tools/kaniko:v1.0.0`, { insecureRegistries: insecure }),
      { ...quiet, platform: other },
    );
    expect(installed.digest).toBe(manifestFor(otherName).digest);
    expect(installed.platform).toBe(otherName);
    expect(installed.rootfs).toContain(`/${other.architecture}/rootfs`);
  });

  it('accepts an image pinned by the index digest, and refuses one the registry does not have', async () => {
    const pinned = await installExecutor(
      inputs(`${front.host}/tools/kaniko@${image.indexDigest}`, { insecureRegistries: insecure }),
      quiet,
    );
    expect(pinned.digest).toBe(manifestFor(`linux/${host}`).digest);
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(
      installExecutor(
        inputs(`${front.host}/tools/kaniko@${missing}`, { insecureRegistries: insecure }),
        quiet,
      ),
    ).rejects.toThrow(
      new RegExp(
        `^Could not install the kaniko executor ${front.host}/tools/kaniko@${missing} \\(linux/${host}\\): reading the image: .*404`,
      ),
    );
  });

  it('says which platforms the image has when none fits the runner', async () => {
    await expect(
      installExecutor(
        inputs(`${front.host}/tools/kaniko:v1.0.0`, { insecureRegistries: insecure }),
        {
          ...quiet,
          platform: { os: 'linux', architecture: 's390x' },
        },
      ),
    ).rejects.toThrow(
      /\(linux\/s390x\): choosing the platform: .*has no manifest for linux\/s390x; it offers linux\/amd64, linux\/arm64\/v8\./,
    );
  });

  it('installs a single-platform image, and refuses it on a runner of another architecture', async () => {
    const layer = await makeLayer([
      { path: 'kaniko', type: 'dir' },
      { path: 'kaniko/executor', content: '#!/bin/true\n', mode: 0o755 },
    ]);
    await pushOciImage(reg, 'tools/single', 'v1', [layer], {
      os: 'linux',
      architecture: 'amd64',
      config: { Env: ['PATH=/kaniko'], Entrypoint: ['/kaniko/executor'] },
    });
    const executorImage = `${front.host}/tools/single:v1`;
    const installed = await installExecutor(
      inputs(executorImage, { insecureRegistries: insecure }),
      {
        ...quiet,
        platform: AMD64,
      },
    );
    expect(fs.readFileSync(path.join(installed.rootfs, 'kaniko/executor'), 'utf8')).toBe(
      '#!/bin/true\n',
    );
    await expect(
      installExecutor(inputs(executorImage, { insecureRegistries: insecure }), {
        ...quiet,
        platform: ARM64,
      }),
    ).rejects.toThrow(/\(linux\/arm64\): checking the platform: the image is for linux\/amd64/);
  });
});

describe('installExecutor with credentials', () => {
  let reg: LocalRegistry;
  const auth = { username: 'ci', password: 'pa55word' };

  beforeAll(async () => {
    reg = await startRegistry({ auth });
    await pushStandinImage(reg, 'tools/kaniko', 'v1');
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await reg?.stop();
  });

  it('uses username and password when the executor image lives on `registry`', async () => {
    const installed = await installExecutor(
      inputs(`${reg.host}/tools/kaniko:v1`, {
        registry: reg.host,
        ...auth,
        insecureRegistries: [reg.host],
      }),
      quiet,
    );
    expect(installed.cached).toBe(false);
  });

  it('does not send them to another registry', async () => {
    await expect(
      installExecutor(
        inputs(`${reg.host}/tools/kaniko:v1`, { ...auth, insecureRegistries: [reg.host] }),
        quiet,
      ),
    ).rejects.toThrow(/Could not install the kaniko executor .*: reading the image: .*401/);
  });
});

describe('installExecutor refuses content that does not match its digest', () => {
  let reg: LocalRegistry;
  let image: StandinImage;

  beforeAll(async () => {
    reg = await startRegistry();
    image = await pushStandinImage(reg, 'tools/kaniko', 'v1');
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await reg?.stop();
  });

  function expectNothingKept(): void {
    expect(cachedVersions()).toEqual([]);
    expect(fs.readdirSync(toolCache).filter((n) => n !== TOOL_NAME)).toEqual([]);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);
  }

  const install = (ref: string, platform = HOST_PLATFORM) =>
    installExecutor(inputs(`${reg.host}/tools/kaniko${ref}`, { insecureRegistries: [reg.host] }), {
      ...quiet,
      platform,
    });

  it('refuses an index that is not the pinned one', async () => {
    const original = await (
      await fetch(`${reg.url}/v2/tools/kaniko/manifests/${image.indexDigest}`, {
        headers: { accept: 'application/vnd.oci.image.index.v1+json' },
      })
    ).text();
    // Still a valid index of the same images, only not the bytes that were pinned.
    await tamperBlob(reg, 'tools/kaniko', image.indexDigest, Buffer.from(`${original}\n`));
    await expect(install(`@${image.indexDigest}`)).rejects.toThrow(
      new RegExp(`reading the image: .*not the ${image.indexDigest} asked for; refusing it`),
    );
    expectNothingKept();
  });

  it('refuses a tampered layer, naming image, platform, step and digest', async () => {
    const manifest = image.manifests.find((m) => m.platform === 'linux/amd64')!;
    const layer = manifest.layerDigests[0]!;
    await tamperBlob(reg, 'tools/kaniko', layer);
    await expect(install(':v1', AMD64)).rejects.toThrow(
      `Could not install the kaniko executor ${reg.host}/tools/kaniko:v1 (linux/amd64): downloading layer 1 of 2 (${layer}): the registry sent bytes with the digest`,
    );
    expectNothingKept();
  });

  it('refuses a tampered config', async () => {
    const manifest = image.manifests.find((m) => m.platform.startsWith('linux/arm64'))!;
    await tamperBlob(reg, 'tools/kaniko', manifest.configDigest);
    await expect(install(':v1', ARM64)).rejects.toThrow(
      new RegExp(
        `\\(linux/arm64\\): downloading the config ${manifest.configDigest}: the registry sent bytes`,
      ),
    );
    expectNothingKept();
  });

  it('stops reading a blob that is longer than its descriptor says', async () => {
    const layer = await makeLayer([{ path: 'f', content: `unique ${Math.random()}\n` }]);
    const pushed = await pushOciImage(reg, 'tools/long', 'v1', [layer], {
      os: 'linux',
      architecture: 'amd64',
      config: { Entrypoint: ['/f'] },
    });
    await tamperBlob(
      reg,
      'tools/long',
      pushed.layerDigests[0]!,
      Buffer.concat([layer.data, Buffer.alloc(100_000)]),
    );
    await expect(
      installExecutor(inputs(`${reg.host}/tools/long:v1`, { insecureRegistries: [reg.host] }), {
        ...quiet,
        platform: AMD64,
      }),
    ).rejects.toThrow(
      new RegExp(
        `downloading layer 1 of 1 \\(${pushed.layerDigests[0]}\\): the registry sent \\d+\\+ bytes for .*, not the ${layer.size} its descriptor says`,
      ),
    );
    expect(fs.readdirSync(runnerTemp)).toEqual([]);
  });
});
