import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-VV56G5C5.js";
import "./chunks/chunk-JQASI3MT.js";
import "./chunks/chunk-YGV6FBD2.js";
import "./chunks/chunk-YDVYLWUB.js";
import "./chunks/chunk-GI2DX2VI.js";
import "./chunks/chunk-PTFHAWOZ.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
