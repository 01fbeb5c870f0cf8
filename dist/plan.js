import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-5P6Y5ZJ2.js";
import {
  runPlan
} from "./chunks/chunk-IMIA7S45.js";

// src/plan.ts
await run(runPlan);
