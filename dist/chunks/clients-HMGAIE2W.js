import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-DZGUGL7F.js";
import "./chunk-W7KLILSY.js";
import "./chunk-KIENRHR5.js";
import "./chunk-7ZOX6IOV.js";
import "./chunk-PY5VAGIZ.js";
export {
  Registries,
  createHttp
};
