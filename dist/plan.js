import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-TKJK7WP2.js";
import {
  runPlan
} from "./chunks/chunk-WEKEDQW6.js";

// src/plan.ts
await run(runPlan);
