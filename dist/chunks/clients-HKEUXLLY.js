import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-CE5Q3RZ6.js";
import "./chunk-YUB6LPPF.js";
import "./chunk-YXP46QGG.js";
import "./chunk-VJNEGC75.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
