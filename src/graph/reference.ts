/**
 * Image references as Docker reads them in `FROM` and `COPY --from=`: pure functions, no I/O.
 * Reading one is `parseReference` of `lib/reference.ts`, shared with the executor.
 */
import { parseReference, type ImageName } from '../lib/reference.js';

export { parseReference, type ImageName } from '../lib/reference.js';

/** `registry/repository`: what `FROM` names, whatever the tag. */
export function repositoryOf(name: ImageName): string {
  return `${name.registry}/${name.repository}`;
}

/** `registry/repository@digest`, else `registry/repository:tag` (`latest` when none was written). */
export function canonicalReference(name: ImageName): string {
  return name.digest
    ? `${repositoryOf(name)}@${name.digest}`
    : `${repositoryOf(name)}:${name.tag ?? 'latest'}`;
}

/** The repository an image of this action is pushed to, in the form `repositoryOf` gives. */
export function normaliseRepository(reference: string): string | undefined {
  const name = parseReference(reference);
  return name && repositoryOf(name);
}
