import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-3RC7SNSN.js";
import "./chunk-CXCOAT37.js";
import "./chunk-4CAVIOY4.js";
import "./chunk-SQY53ZLE.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
