import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-KKKDXJYN.js";
import "./chunk-SG7NMCPU.js";
import "./chunk-4CAVIOY4.js";
import "./chunk-SQY53ZLE.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
