/**
 * The executor's tool-cache entry against a real `docker-registry` holding the stand-in image:
 * installed whole or not at all (staged, renamed into place, under a lock every job shares),
 * verified before each use — a tampered entry is reported, installed again and never run —
 * and checked again before each build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  assertUnchanged,
  entryDir,
  findEntry,
  listingSha256,
  TOOL_NAME,
} from '../../src/executor/cache.js';
import type { InstallOptions } from '../../src/executor/install.js';
import { cacheVersion } from '../../src/executor/reference.js';
import { startRegistry, type LocalRegistry } from '../support/registry.js';
import {
  hostGoArch,
  installPushedStandin,
  pushStandinImage,
  type StandinImage,
} from '../support/standin.js';

const SETUP_TIMEOUT = 600_000;
const host = hostGoArch();

let reg: LocalRegistry;
let image: StandinImage;
let temp: string;
let toolCache: string;

beforeAll(async () => {
  reg = await startRegistry();
  image = await pushStandinImage(reg, 'tools/kaniko', 'v1');
}, SETUP_TIMEOUT);

afterAll(async () => {
  await reg?.stop();
});

beforeEach(() => {
  temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-')));
  toolCache = path.join(temp, 'tool-cache');
  fs.mkdirSync(toolCache);
  fs.mkdirSync(path.join(temp, 'runner-temp'));
  vi.stubEnv('RUNNER_TOOL_CACHE', toolCache);
  vi.stubEnv('RUNNER_TEMP', path.join(temp, 'runner-temp'));
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(temp, { recursive: true, force: true });
});

const install = (options: InstallOptions = {}) => installPushedStandin(reg, options);

/** Blob downloads the registry served so far. */
function blobGets(): number {
  return fs
    .readFileSync(reg.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"GET /v2/tools/kaniko/blobs/') && l.includes('HTTP/1.1" 200'))
    .length;
}

const sha256 = (file: string): string =>
  createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const key = () => ({
  version: cacheVersion(
    image.manifests.find((m) => m.platform.startsWith(`linux/${host}`))!.digest,
  ),
  arch: host,
});

describe('the tool-cache entry', () => {
  it('is renamed into place whole and marked complete, with a record of what was installed', async () => {
    const installed = await install();
    const dir = entryDir(key());
    expect(installed.rootfs).toBe(path.join(dir, 'rootfs'));
    expect(fs.existsSync(`${dir}.complete`)).toBe(true);
    // Nothing staged or locked is left beside it.
    expect(fs.readdirSync(path.dirname(dir)).sort()).toEqual([host, `${host}.complete`]);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'image.json'), 'utf8'));
    expect(record.verification).toEqual({
      entrypoint: '/kaniko/executor',
      entrypointSha256: sha256(path.join(installed.rootfs, 'kaniko/executor')),
      listingSha256: listingSha256(installed.rootfs),
    });
  });

  it('re-installs a tampered executor with a warning, and never hands the tampered one out', async () => {
    const first = await install();
    const executor = path.join(first.rootfs, 'kaniko/executor');
    const original = sha256(executor);
    const marker = path.join(temp, 'tampered-executor-ran');
    fs.writeFileSync(executor, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const warnings: string[] = [];
    const before = blobGets();
    const second = await install({ warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^The cached kaniko executor .*tools\/kaniko:v1 \(linux\/.*\) no longer matches what was installed \(\/kaniko\/executor has the sha256 [0-9a-f]{64}, not the installed [0-9a-f]{64}\); it is not run, and is installed again\.$/,
    );
    expect(second.cached).toBe(false);
    expect(blobGets()).toBeGreaterThan(before);
    expect(sha256(path.join(second.rootfs, 'kaniko/executor'))).toBe(original);
    expect(fs.existsSync(marker)).toBe(false);
    // The third time it is found and verified, without a warning.
    const third = await install({ warn: (m) => warnings.push(m) });
    expect(third.cached).toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it.each([
    ['a file added', (rootfs: string) => fs.writeFileSync(path.join(rootfs, 'kaniko/extra'), 'x')],
    ['a mode changed', (rootfs: string) => fs.chmodSync(path.join(rootfs, 'kaniko/ssl'), 0o777)],
    [
      'a link retargeted',
      (rootfs: string) => {
        const links = execFileSync('find', [rootfs, '-type', 'l'], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .filter(Boolean);
        if (links.length === 0) {
          fs.symlinkSync('/etc/passwd', path.join(rootfs, 'kaniko/new-link'));
          return;
        }
        fs.rmSync(links[0]!);
        fs.symlinkSync('/etc/shadow', links[0]!);
      },
    ],
    [
      'the record removed',
      (rootfs: string) => fs.rmSync(path.join(path.dirname(rootfs), 'image.json')),
    ],
  ])('finds %s and installs again', async (_, change) => {
    const first = await install();
    change(first.rootfs);
    const found = await findEntry(key());
    expect(found.found).toBeUndefined();
    expect(found.invalid).toMatch(
      /files were added, removed or changed|record image.json is missing/,
    );
    const warnings: string[] = [];
    const second = await install({ warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(second.cached).toBe(false);
    expect((await findEntry(key())).found?.rootfs).toBe(second.rootfs);
  });

  it('ignores a half-made entry of a job that died: no mark, leftovers of its staging', async () => {
    const dir = entryDir(key());
    fs.mkdirSync(path.join(dir, 'rootfs', 'kaniko'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'rootfs', 'kaniko', 'executor'), '#!/bin/sh\nhalf\n');
    const staging = path.join(path.dirname(dir), `.staging-${host}-deadbeef0000`);
    fs.mkdirSync(path.join(staging, 'rootfs'), { recursive: true });
    expect(await findEntry(key())).toEqual({});
    const warnings: string[] = [];
    const installed = await install({ warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(installed.cached).toBe(false);
    expect(fs.readFileSync(path.join(installed.rootfs, 'kaniko/executor')).length).toBeGreaterThan(
      1000,
    );
    expect(fs.readdirSync(path.dirname(dir)).sort()).toEqual([host, `${host}.complete`]);
  });

  it('is installed once when two jobs install it at the same time; the other waits and uses it', async () => {
    const logs: string[][] = [[], []];
    const before = blobGets();
    const [a, b] = await Promise.all(logs.map((lines) => install({ log: (l) => lines.push(l) })));
    expect(a!.rootfs).toBe(b!.rootfs);
    expect([a!.cached, b!.cached].sort()).toEqual([false, true]);
    expect(logs.flat().filter((l) => l.startsWith('Another job installed'))).toHaveLength(1);
    const layers = image.manifests.find((m) =>
      m.platform.startsWith(`linux/${host}`),
    )!.layerDigests;
    // Config and layers, downloaded by one of them only.
    expect(blobGets() - before).toBe(layers.length + 1);
    expect(fs.readdirSync(path.join(toolCache, TOOL_NAME, key().version)).sort()).toEqual([
      host,
      `${host}.complete`,
    ]);
  });

  it('refuses a build when the root changed after it was verified', async () => {
    const installed = await install();
    expect(() => assertUnchanged(installed.rootfs, installed.fingerprint)).not.toThrow();
    fs.writeFileSync(path.join(installed.rootfs, 'kaniko/executor'), '#!/bin/sh\nevil\n');
    expect(() => assertUnchanged(installed.rootfs, installed.fingerprint)).toThrow(
      /The cached kaniko executor at .* changed after it was verified; refusing to run it/,
    );
  });
});
