/** Docker Hub's names, and the Basic credentials string registries and docker configs use. */
import { DOCKER_HUB_ALIASES } from '../contract.js';

export function isDockerHub(registry: string): boolean {
  return (DOCKER_HUB_ALIASES as readonly string[]).includes(registry.toLowerCase());
}

/** The base64 `user:password` string of Basic auth and of docker config files. */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
