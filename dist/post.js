import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runPost
} from "./chunks/chunk-EOSBEB6C.js";
import "./chunks/chunk-HFUKMRWY.js";
import "./chunks/chunk-G362YB3M.js";
import "./chunks/chunk-IFBQMQC3.js";

// src/post.ts
await runPost();
