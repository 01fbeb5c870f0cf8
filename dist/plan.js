import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-QK2RX2D7.js";
import {
  runPlan
} from "./chunks/chunk-S4CZZFW5.js";
import "./chunks/chunk-I6QLZ6FR.js";

// src/plan.ts
await run(runPlan);
