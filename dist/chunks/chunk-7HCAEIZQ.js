import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  setFailed
} from "./chunk-WGJUJMQ2.js";

// src/action/run.ts
async function run(step) {
  try {
    await step();
  } catch (error) {
    setFailed(error instanceof Error ? error.message : String(error));
  }
}

export {
  run
};
