import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-PL5OTYN3.js";
import "./chunk-FEFAJC2D.js";
import "./chunk-DBVQZC7E.js";
export {
  Registries,
  createHttp
};
