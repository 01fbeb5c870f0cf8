/** Docker config directories as a `docker login` step leaves them, for the tests that read one. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The `auth` field of a docker config entry: base64 of `user:password`. */
export const authOf = (user: string, password: string): string =>
  Buffer.from(`${user}:${password}`).toString('base64');

/**
 * Makes docker config directories: `write(auths)` writes one holding `config.json` with these
 * `auths` and returns the environment naming it (`DOCKER_CONFIG`); `remove()` deletes them all.
 */
export function dockerConfigs(): {
  write: (auths: Record<string, unknown>) => NodeJS.ProcessEnv;
  remove: () => void;
} {
  const dirs: string[] = [];
  return {
    write(auths) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-config-'));
      dirs.push(dir);
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }));
      return { DOCKER_CONFIG: dir };
    },
    remove() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
