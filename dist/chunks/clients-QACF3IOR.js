import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-R3KAYOQV.js";
import "./chunk-DKNT2WDR.js";
import "./chunk-YXP46QGG.js";
import "./chunk-VJNEGC75.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
