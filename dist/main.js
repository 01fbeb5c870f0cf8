import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runMain
} from "./chunks/chunk-WM6VQGHE.js";
import {
  run
} from "./chunks/chunk-QK2RX2D7.js";
import "./chunks/chunk-GZYLYWTQ.js";
import "./chunks/chunk-M3RQ3EN2.js";
import "./chunks/chunk-I6QLZ6FR.js";

// src/main.ts
await run(runMain);
