import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-QZ7TU2UR.js";
import "./chunk-MQ2SDFHZ.js";
import "./chunk-E5RWFZEF.js";
import "./chunk-TOPFUZQF.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
