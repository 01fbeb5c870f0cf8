import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  runPost
} from "./chunks/chunk-Z7YBDFRU.js";
import "./chunks/chunk-S4CZZFW5.js";
import "./chunks/chunk-5LJXOXQ4.js";
import "./chunks/chunk-I6QLZ6FR.js";

// src/post.ts
await runPost();
