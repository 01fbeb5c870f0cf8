import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-Q6HVXGUW.js";
import {
  runPlan
} from "./chunks/chunk-HFUKMRWY.js";
import "./chunks/chunk-IFBQMQC3.js";

// src/plan.ts
await run(runPlan);
