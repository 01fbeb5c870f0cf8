import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp
} from "./chunk-3TMYSY6J.js";
import "./chunk-FEFAJC2D.js";
import "./chunk-KIENRHR5.js";
import "./chunk-DBVQZC7E.js";
export {
  Registries,
  createHttp
};
