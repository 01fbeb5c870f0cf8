import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-DIYNIEJN.js";
import "./chunks/chunk-SAWUUHIQ.js";
import "./chunks/chunk-KIENRHR5.js";
import "./chunks/chunk-7ZOX6IOV.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
