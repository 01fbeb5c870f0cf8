/** The one catch at the top: a thrown error becomes the step's failure annotation. */
import * as core from '@actions/core';

export async function run(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
