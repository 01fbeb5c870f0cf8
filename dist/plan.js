import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-DOLHNQVF.js";
import "./chunks/chunk-YHKLNRTT.js";
import "./chunks/chunk-FOEC2USY.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
