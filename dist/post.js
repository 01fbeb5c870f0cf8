import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runPost
} from "./chunks/chunk-Y5SC3SKW.js";
import "./chunks/chunk-KQTS7VKY.js";
import "./chunks/chunk-76XFPPSF.js";
import "./chunks/chunk-WGJUJMQ2.js";

// src/post.ts
await runPost();
