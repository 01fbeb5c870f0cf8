import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runMain
} from "./chunks/chunk-Z7YBDFRU.js";
import {
  run
} from "./chunks/chunk-QK2RX2D7.js";
import "./chunks/chunk-S4CZZFW5.js";
import "./chunks/chunk-5LJXOXQ4.js";
import "./chunks/chunk-I6QLZ6FR.js";

// src/main.ts
await run(runMain);
