import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runPost
} from "./chunks/chunk-WEKEDQW6.js";

// src/post.ts
await runPost();
