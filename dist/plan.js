import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-XB3CHTHL.js";
import "./chunks/chunk-SAWUUHIQ.js";
import "./chunks/chunk-DBVQZC7E.js";

// src/plan.ts
await run(runPlan);
