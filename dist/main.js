import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-5P6Y5ZJ2.js";
import {
  runMain
} from "./chunks/chunk-IMIA7S45.js";

// src/main.ts
await run(runMain);
