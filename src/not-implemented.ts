/** Thrown by a stage that a later issue delivers, so nothing pretends to work. */
export class NotImplementedError extends Error {
  constructor(stage: string) {
    super(`The '${stage}' stage is not implemented yet in this version of kaniko-release.`);
    this.name = 'NotImplementedError';
  }
}
