import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run,
  runPlan
} from "./chunks/chunk-TVJAKWJO.js";
import "./chunks/chunk-ATYAE7CF.js";
import "./chunks/chunk-G5IOAGKQ.js";
import "./chunks/chunk-E5RWFZEF.js";
import "./chunks/chunk-TOPFUZQF.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/plan.ts
await run(runPlan);
