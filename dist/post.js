import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runPost
} from "./chunks/chunk-WM6VQGHE.js";
import "./chunks/chunk-GZYLYWTQ.js";
import "./chunks/chunk-M3RQ3EN2.js";
import "./chunks/chunk-I6QLZ6FR.js";

// src/post.ts
await runPost();
