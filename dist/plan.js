import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-7HCAEIZQ.js";
import {
  runPlan
} from "./chunks/chunk-KQTS7VKY.js";
import "./chunks/chunk-WGJUJMQ2.js";

// src/plan.ts
await run(runPlan);
