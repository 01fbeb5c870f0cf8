/** Reading image layers and configs in tests: tar listings with content, typed configs. */
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar';

/** One entry of a layer, as {@link layerFiles} lists it. */
export interface LayerFile {
  /** As stored: no leading `/`, directories end with `/`. */
  path: string;
  /** node-tar's type: File, Directory, SymbolicLink, Link, … */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  /** Target of a symlink or hard link. */
  linkpath: string;
  content: Buffer;
}

/** Lists a layer blob (gzip or plain tar), in archive order, with each file's content. */
export async function layerFiles(blob: Buffer): Promise<LayerFile[]> {
  const data = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
  const entries: LayerFile[] = [];
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () =>
        entries.push({
          path: entry.path,
          type: entry.type,
          mode: entry.mode ?? 0,
          uid: entry.uid ?? 0,
          gid: entry.gid ?? 0,
          mtime: entry.mtime ?? new Date(0),
          linkpath: entry.linkpath ?? '',
          content: Buffer.concat(chunks),
        }),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    parser.end(data);
  });
  return entries;
}

/** The parts of an image config that tests look at. */
export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config: {
    Env?: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    WorkingDir?: string;
    User?: string;
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, object>;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: {
    created?: string;
    created_by?: string;
    author?: string;
    empty_layer?: boolean;
  }[];
}
