/** Image references as Docker normalises them: every form of `FROM` names one repository. */
import { describe, expect, it } from 'vitest';
import {
  canonicalReference,
  normaliseRepository,
  parseReference,
} from '../../src/graph/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    // written, canonical
    ['alpine', 'docker.io/library/alpine:latest'],
    ['library/alpine', 'docker.io/library/alpine:latest'],
    ['docker.io/alpine', 'docker.io/library/alpine:latest'],
    ['docker.io/library/alpine:3.20', 'docker.io/library/alpine:3.20'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest'],
    ['registry-1.docker.io/myorg/base', 'docker.io/myorg/base:latest'],
    ['myorg/base', 'docker.io/myorg/base:latest'],
    ['myorg/base:latest', 'docker.io/myorg/base:latest'],
    ['myorg/base:v1.2.3', 'docker.io/myorg/base:v1.2.3'],
    [`myorg/base@${DIGEST}`, `docker.io/myorg/base@${DIGEST}`],
    [`myorg/base:v1@${DIGEST}`, `docker.io/myorg/base@${DIGEST}`],
    ['ghcr.io/acme/team/base', 'ghcr.io/acme/team/base:latest'],
    ['GHCR.io/acme/base', 'ghcr.io/acme/base:latest'],
    ['localhost/acme/base', 'localhost/acme/base:latest'],
    ['localhost:5000/acme/base:v1', 'localhost:5000/acme/base:v1'],
    ['127.0.0.1:41234/acme/base', '127.0.0.1:41234/acme/base:latest'],
  ])('%s → %s', (written, canonical) => {
    const name = parseReference(written);
    expect(name).toBeDefined();
    expect(canonicalReference(name!)).toBe(canonical);
  });

  it('keeps whether a tag was written', () => {
    expect(parseReference('myorg/base')?.tag).toBeUndefined();
    expect(parseReference('myorg/base:latest')?.tag).toBe('latest');
    expect(parseReference(`myorg/base@${DIGEST}`)).toMatchObject({ digest: DIGEST });
  });

  it.each(['', 'MyOrg/Base', 'a//b', 'base:', 'base:-x', 'base@sha256:short', '$BASE'])(
    '%j is no reference',
    (written) => {
      expect(parseReference(written)).toBeUndefined();
    },
  );

  it('gives the repository of an image of this action in the same form', () => {
    expect(normaliseRepository('docker.io/myorg/airflow-base')).toBe(
      'docker.io/myorg/airflow-base',
    );
    expect(normaliseRepository('127.0.0.1:5000/acme/base')).toBe('127.0.0.1:5000/acme/base');
  });
});
