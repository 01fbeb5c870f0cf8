import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-OSQ5CHJ5.js";
import "./chunks/chunk-GOALLBDN.js";
import "./chunks/chunk-G5IOAGKQ.js";
import "./chunks/chunk-E5RWFZEF.js";
import "./chunks/chunk-TOPFUZQF.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
