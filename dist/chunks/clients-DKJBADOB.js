import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-33X7OYGP.js";
import "./chunk-ZBJDLITQ.js";
import "./chunk-FOEC2USY.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
