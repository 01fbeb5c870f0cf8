import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-DDOJN3GO.js";
import "./chunks/chunk-GHMYCQOC.js";
import "./chunks/chunk-OABNZPOR.js";
import "./chunks/chunk-GI2DX2VI.js";
import "./chunks/chunk-YXP46QGG.js";
import "./chunks/chunk-VJNEGC75.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
