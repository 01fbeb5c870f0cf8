/** The one catch at the top: a thrown error becomes the step's failure annotation. */
import * as core from '@actions/core';
import { errorMessage } from '../lib/errors.js';

export async function run(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
