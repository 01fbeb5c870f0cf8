import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-BLTIEV4J.js";
import "./chunk-W7KLILSY.js";
import "./chunk-KIENRHR5.js";
import "./chunk-7ZOX6IOV.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
