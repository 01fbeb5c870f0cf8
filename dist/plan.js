import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-Y5IBNFGM.js";
import "./chunks/chunk-NEOET466.js";
import "./chunks/chunk-3YGH7E5I.js";
import "./chunks/chunk-GI2DX2VI.js";
import "./chunks/chunk-4CAVIOY4.js";
import "./chunks/chunk-SQY53ZLE.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
