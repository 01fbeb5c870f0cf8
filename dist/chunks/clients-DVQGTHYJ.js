import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-JVERHLE4.js";
import "./chunk-4LIYMV35.js";
import "./chunk-YGV6FBD2.js";
import "./chunk-PTFHAWOZ.js";
import "./chunk-6DG7BXTN.js";
export {
  Registries,
  createHttp
};
