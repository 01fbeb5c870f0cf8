/**
 * Hand-made tar layers for the unpack tests: plain ustar entries written byte by byte, so a
 * test can hold exactly the entries it means — whiteouts, links, and paths no archiver would
 * write (`../escape`, absolute names).
 */
import { gzipSync } from 'node:zlib';

export type TarEntry =
  | {
      type: 'file';
      path: string;
      content?: string | Buffer;
      mode?: number;
      uid?: number;
      gid?: number;
    }
  | { type: 'dir'; path: string; mode?: number; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string }
  | { type: 'fifo'; path: string };

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', dir: '5', fifo: '6' } as const;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (text: string, offset: number, width: number): void => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > width) throw new Error(`tar field too long: ${text}`);
    bytes.copy(h, offset);
  };
  const mode =
    'mode' in entry && entry.mode !== undefined
      ? entry.mode
      : entry.type === 'dir'
        ? 0o755
        : entry.type === 'symlink'
          ? 0o777
          : 0o644;
  const uid = 'uid' in entry && entry.uid !== undefined ? entry.uid : 0;
  const gid = 'gid' in entry && entry.gid !== undefined ? entry.gid : 0;
  put(entry.path, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(uid, 8), 108, 8);
  put(octal(gid, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(1_700_000_000, 12), 136, 12);
  put('        ', 148, 8);
  put(TYPE_FLAG[entry.type], 156, 1);
  if (entry.type === 'symlink' || entry.type === 'hardlink') put(entry.target, 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** An uncompressed tar archive of `entries`, in order. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content =
      entry.type === 'file'
        ? Buffer.isBuffer(entry.content)
          ? entry.content
          : Buffer.from(entry.content ?? '', 'utf8')
        : Buffer.alloc(0);
    blocks.push(header(entry, content.length), content);
    const pad = (512 - (content.length % 512)) % 512;
    if (pad > 0) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The same, gzip-compressed, as most registries serve layers. */
export function tarGzLayer(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tarArchive(entries));
}
