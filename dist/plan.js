import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-64K67HEF.js";
import "./chunks/chunk-SAWUUHIQ.js";
import "./chunks/chunk-KIENRHR5.js";
import "./chunks/chunk-DBVQZC7E.js";

// src/plan.ts
await run(runPlan);
