import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-SFYRRKZP.js";
import "./chunks/chunk-GHMYCQOC.js";
import "./chunks/chunk-36GM3TBI.js";
import "./chunks/chunk-GI2DX2VI.js";
import "./chunks/chunk-YXP46QGG.js";
import "./chunks/chunk-VJNEGC75.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
