import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
} from "./chunk-G362YB3M.js";
import "./chunk-IFBQMQC3.js";
export {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
};
