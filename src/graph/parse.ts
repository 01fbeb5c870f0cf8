/**
 * Everything that needs the Dockerfile parser, in one module: the graph imports it only when a
 * Dockerfile must be parsed, so the parser is loaded (and bundled into a chunk of its own) only
 * then.
 */
export { parseDockerfile } from './dockerfile.js';
export { baseImagesOf, followsReleases } from './base-images.js';
export { imageInputsOf, inputMatcher, readsUnder } from './inputs.js';
export { baseRepositoriesOn, runsOnTargetPlatform } from './facts.js';
