import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
} from "./chunk-5LJXOXQ4.js";
import "./chunk-I6QLZ6FR.js";
export {
  Registries,
  createHttp,
  savedCredentials,
  tagDigests
};
