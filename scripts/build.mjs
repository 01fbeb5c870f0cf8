// Bundles the three entry points into dist/ with esbuild: one ESM file each, with the code
// they share in dist/chunks/. Files of an earlier build that this one no longer writes are
// removed afterwards (never before, so a running test never sees dist/ half-empty).
import { build } from 'esbuild';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * @actions/core imports its OIDC client (and with it an HTTP client and undici) at the top of
 * the module, only for `getIDToken`, which this action never calls. Declaring that module free
 * of side effects lets esbuild drop it, so every step starts faster.
 */
const dropUnusedOidcClient = {
  name: 'drop-unused-oidc-client',
  setup(b) {
    b.onResolve({ filter: /oidc-utils\.js$/ }, async (args) => {
      if (!args.importer.includes(`${path.sep}@actions${path.sep}core${path.sep}`))
        return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { skip: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

const result = await build({
  entryPoints: { main: 'src/main.ts', post: 'src/post.ts', plan: 'src/plan.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  metafile: true,
  plugins: [dropUnusedOidcClient],
  // Bundled CommonJS dependencies call require(); ESM output needs one in scope.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
for (const entry of await readdir('dist', { recursive: true, withFileTypes: true })) {
  const file = path.resolve(entry.parentPath, entry.name);
  if (entry.isFile() && !written.has(file) && !file.endsWith('.LEGAL.txt')) await rm(file);
  if (
    entry.isFile() &&
    file.endsWith('.LEGAL.txt') &&
    !written.has(file.slice(0, -'.LEGAL.txt'.length))
  ) {
    await rm(file);
  }
}
