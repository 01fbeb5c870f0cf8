import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runMain
} from "./chunks/chunk-EOSBEB6C.js";
import {
  run
} from "./chunks/chunk-Q6HVXGUW.js";
import "./chunks/chunk-HFUKMRWY.js";
import "./chunks/chunk-G362YB3M.js";
import "./chunks/chunk-IFBQMQC3.js";

// src/main.ts
await run(runMain);
