import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unpackLayers } from '../../src/executor/unpack.js';
import { tarArchive, tarGzLayer, type TarEntry } from '../support/executor-layers.js';

let work: string;
let root: string;

beforeEach(() => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'unpack-test-')));
  root = path.join(work, 'root');
  fs.mkdirSync(root);
});

afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

let counter = 0;
function layerFile(data: Buffer): { file: string; digest: string } {
  const file = path.join(work, `layer-${++counter}`);
  fs.writeFileSync(file, data);
  return { file, digest: `layer-${counter}` };
}

async function apply(...layers: TarEntry[][]): Promise<string[]> {
  const warnings: string[] = [];
  await unpackLayers(
    root,
    layers.map((entries) => layerFile(tarGzLayer(entries))),
    { onWarning: (m) => warnings.push(m) },
  );
  return warnings;
}

const at = (p: string): string => path.join(root, p);
const exists = (p: string): boolean => fs.existsSync(p) || isLink(p);
function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

describe('unpackLayers', () => {
  it('makes files, directories, links and modes as the archive says', async () => {
    await apply([
      { type: 'dir', path: 'kaniko/', mode: 0o777 },
      { type: 'file', path: 'kaniko/executor', content: 'exe', mode: 0o755 },
      { type: 'file', path: 'kaniko/ssl/certs/ca-certificates.crt', content: 'pem' },
      { type: 'symlink', path: 'bin/sh', target: '/busybox/sh' },
      { type: 'symlink', path: 'lib', target: 'usr/lib' },
      { type: 'hardlink', path: 'kaniko/executor-copy', target: 'kaniko/executor' },
      { type: 'file', path: 'etc/owned', content: 'x', uid: 1234, gid: 4321, mode: 0o4755 },
    ]);
    expect(fs.readFileSync(at('kaniko/executor'), 'utf8')).toBe('exe');
    expect(fs.statSync(at('kaniko/executor')).mode & 0o7777).toBe(0o755);
    expect(fs.statSync(at('kaniko')).mode & 0o7777).toBe(0o777);
    expect(fs.readFileSync(at('kaniko/ssl/certs/ca-certificates.crt'), 'utf8')).toBe('pem');
    // Symbolic links are data: stored verbatim, to be read inside the container's root.
    expect(fs.readlinkSync(at('bin/sh'))).toBe('/busybox/sh');
    expect(fs.readlinkSync(at('lib'))).toBe('usr/lib');
    expect(fs.statSync(at('kaniko/executor-copy')).ino).toBe(
      fs.statSync(at('kaniko/executor')).ino,
    );
    if (process.getuid?.() === 0) {
      const st = fs.statSync(at('etc/owned'));
      expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1234, 4321, 0o4755]);
    }
  });

  it('applies whiteouts and opaque directories to the layers below only', async () => {
    await apply(
      [
        { type: 'file', path: 'etc/keep', content: 'keep' },
        { type: 'file', path: 'etc/gone', content: 'gone' },
        { type: 'file', path: 'olddir/a', content: 'a' },
        { type: 'file', path: 'olddir/sub/b', content: 'b' },
        { type: 'file', path: 'whole/x', content: 'x' },
        { type: 'file', path: 'later/old', content: 'old' },
      ],
      [
        { type: 'file', path: 'etc/.wh.gone' },
        { type: 'file', path: 'olddir/.wh..wh..opq' },
        { type: 'file', path: 'olddir/new', content: 'new' },
        { type: 'file', path: 'olddir/sub/c', content: 'c' },
        { type: 'file', path: '.wh.whole' },
        // The opaque marker after a sibling of the same layer keeps that sibling.
        { type: 'file', path: 'later/mine', content: 'mine' },
        { type: 'file', path: 'later/.wh..wh..opq' },
        // A whiteout of something that never was is no error.
        { type: 'file', path: 'etc/.wh.never' },
      ],
    );
    expect(fs.readFileSync(at('etc/keep'), 'utf8')).toBe('keep');
    expect(exists(at('etc/gone'))).toBe(false);
    expect(fs.readdirSync(at('olddir')).sort()).toEqual(['new', 'sub']);
    expect(fs.readdirSync(at('olddir/sub'))).toEqual(['c']);
    expect(exists(at('whole'))).toBe(false);
    expect(fs.readdirSync(at('later'))).toEqual(['mine']);
    // Whiteout entries themselves never land in the root.
    expect(exists(at('etc/.wh.gone'))).toBe(false);
    expect(exists(at('olddir/.wh..wh..opq'))).toBe(false);
  });

  it('lets a later layer replace a file by a directory and back', async () => {
    await apply(
      [
        { type: 'file', path: 'a', content: 'file' },
        { type: 'file', path: 'b/inner', content: 'inner' },
        { type: 'file', path: 'c', content: 'one' },
      ],
      [
        { type: 'dir', path: 'a/' },
        { type: 'file', path: 'a/now-a-dir', content: 'yes' },
        { type: 'file', path: 'b', content: 'now a file' },
        { type: 'hardlink', path: 'c2', target: 'c' },
      ],
      [{ type: 'file', path: 'c', content: 'two' }],
    );
    expect(fs.readFileSync(at('a/now-a-dir'), 'utf8')).toBe('yes');
    expect(fs.readFileSync(at('b'), 'utf8')).toBe('now a file');
    // Writing a file breaks the hard link instead of changing the other name.
    expect(fs.readFileSync(at('c'), 'utf8')).toBe('two');
    expect(fs.readFileSync(at('c2'), 'utf8')).toBe('one');
  });

  it('keeps every entry inside the root, whatever its path or the links on the way', async () => {
    const host = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'unpack-host-')));
    try {
      fs.writeFileSync(path.join(host, 'victim'), 'host file');
      const escape = `escape-${path.basename(work)}`;
      await apply(
        [
          { type: 'file', path: `../../../../${escape}`, content: 'dotdot' },
          { type: 'file', path: `/${escape}-abs`, content: 'absolute' },
          { type: 'symlink', path: 'to-host', target: host },
          { type: 'symlink', path: 'up', target: '../../../../../..' },
        ],
        [
          { type: 'file', path: 'to-host/pwned', content: 'through a link' },
          { type: 'file', path: 'to-host/.wh.victim' },
          { type: 'file', path: `up/${escape}-up`, content: 'up' },
        ],
      );
      expect(fs.readFileSync(at(escape), 'utf8')).toBe('dotdot');
      expect(fs.readFileSync(at(`${escape}-abs`), 'utf8')).toBe('absolute');
      expect(fs.readFileSync(at(`${escape}-up`), 'utf8')).toBe('up');
      // The link to the host path was followed inside the root.
      expect(fs.readFileSync(path.join(root, host, 'pwned'), 'utf8')).toBe('through a link');
      expect(fs.readdirSync(host)).toEqual(['victim']);
      expect(fs.readFileSync(path.join(host, 'victim'), 'utf8')).toBe('host file');
      for (const dir of [path.dirname(work), '/', os.tmpdir()]) {
        expect(fs.readdirSync(dir).filter((n) => n.startsWith(escape))).toEqual([]);
      }
    } finally {
      fs.rmSync(host, { recursive: true, force: true });
    }
  });

  it('refuses a hard link to a file that is not in the image', async () => {
    await expect(
      apply([{ type: 'hardlink', path: 'passwd', target: '../../etc/passwd' }]),
    ).rejects.toThrow(
      /layer 1 of 1 .*hard link \/passwd points at \/etc\/passwd, which is not in the image/,
    );
  });

  it('skips device files and FIFOs with a warning', async () => {
    const warnings = await apply([
      { type: 'fifo', path: 'dev/fifo' },
      { type: 'file', path: 'after', content: 'ok' },
    ]);
    expect(warnings).toEqual(['skipped FIFO /dev/fifo']);
    expect(exists(at('dev/fifo'))).toBe(false);
    expect(fs.readFileSync(at('after'), 'utf8')).toBe('ok');
  });

  it('reads uncompressed and zstd layers as well as gzip', async () => {
    const plain = tarArchive([{ type: 'file', path: 'plain', content: 'p' }]);
    const zstd = zstdCompressSync(tarArchive([{ type: 'file', path: 'zstd', content: 'z' }]));
    await unpackLayers(root, [layerFile(plain), layerFile(zstd)]);
    expect(fs.readFileSync(at('plain'), 'utf8')).toBe('p');
    expect(fs.readFileSync(at('zstd'), 'utf8')).toBe('z');
  });

  it('fails on a truncated archive, naming the layer', async () => {
    const whole = tarGzLayer([{ type: 'file', path: 'big', content: 'x'.repeat(100_000) }]);
    const layer = layerFile(whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(unpackLayers(root, [layer])).rejects.toThrow(/layer 1 of 1 \(layer-\d+\)/);
  });
});
