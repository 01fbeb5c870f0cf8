import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
} from "./chunk-76XFPPSF.js";
import "./chunk-WGJUJMQ2.js";
export {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
};
