import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runMain
} from "./chunks/chunk-Y5SC3SKW.js";
import {
  run
} from "./chunks/chunk-7HCAEIZQ.js";
import "./chunks/chunk-KQTS7VKY.js";
import "./chunks/chunk-76XFPPSF.js";
import "./chunks/chunk-WGJUJMQ2.js";

// src/main.ts
await run(runMain);
