/**
 * A hand-made executor for the runtime's tests: a root file system holding a static busybox, a
 * kaniko-like `/kaniko` tree and CA bundle, with `busybox sh -c` as its entrypoint — so every
 * run executes a shell script inside the container, as a `RUN` step of kaniko does in its own
 * root. Plus a build context, a credentials file and an output directory, as the build stage
 * hands them to the runtime.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InstalledExecutor } from '../../src/executor/install.js';
import { HOST_BUSYBOX } from './busybox-image.js';

export const IMAGE_ENV = [
  'PATH=/usr/local/bin:/kaniko:/bin',
  'HOME=/root',
  'USER=root',
  'SSL_CERT_DIR=/kaniko/ssl/certs',
  'DOCKER_CONFIG=/kaniko/.docker/',
];

export interface BusyboxFixture {
  base: string;
  executor: InstalledExecutor;
  context: string;
  dockerConfig: string;
  outputDir: string;
  /** A file only the runner has: a build must never see it. */
  hostOnly: string;
  /** RUNNER_TEMP of the tests. */
  runnerTemp: string;
}

/** Every path under `dir` with its size and mode, sorted: to prove a tree did not change. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      out.push(`${path.relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size} ${st.mode}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

export function makeBusyboxFixture(prefix: string): BusyboxFixture {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const rootfs = path.join(base, 'cache', 'rootfs');
  fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  fs.copyFileSync(HOST_BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
  fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  fs.symlinkSync('busybox', path.join(rootfs, 'bin', 'sh'));
  fs.mkdirSync(path.join(rootfs, 'kaniko', 'ssl', 'certs'), { recursive: true });
  fs.writeFileSync(
    path.join(rootfs, 'kaniko', 'ssl', 'certs', 'ca-certificates.crt'),
    'IMAGE CA\n',
  );
  fs.mkdirSync(path.join(rootfs, 'kaniko', '.docker'), { recursive: true });
  // A link an image could hold where the runtime binds a file: it must not lead the bind astray.
  fs.mkdirSync(path.join(rootfs, 'etc'));
  fs.symlinkSync('/../../../../etc/passwd', path.join(rootfs, 'etc', 'hosts'));

  const context = path.join(base, 'context');
  fs.mkdirSync(context);
  fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
  const outputDir = path.join(base, 'output');
  fs.mkdirSync(outputDir);
  const dockerConfig = path.join(base, 'config.json');
  fs.writeFileSync(dockerConfig, '{"auths":{"registry.test":{"auth":"dTpw"}}}', { mode: 0o600 });
  const hostOnly = path.join(base, 'host-only-file');
  fs.writeFileSync(hostOnly, 'runner');
  const runnerTemp = path.join(base, 'runner-temp');
  fs.mkdirSync(runnerTemp);
  return {
    base,
    executor: {
      rootfs,
      digest: `sha256:${'0'.repeat(64)}`,
      env: IMAGE_ENV,
      entrypoint: ['/bin/busybox', 'sh', '-c'],
    },
    context,
    dockerConfig,
    outputDir,
    hostOnly,
    runnerTemp,
  };
}
