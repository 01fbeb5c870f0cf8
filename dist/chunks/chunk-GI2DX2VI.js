import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/lib/names.ts
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
var MAX_REPOSITORY_LENGTH = 255;
var HIGH = /[\uD800-\uFFFF]/;
function compareBytes(a, b) {
  if (!HIGH.test(a) && !HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
function sortUnique(items) {
  return [...new Set(items)].sort(compareBytes);
}

export {
  PATH_COMPONENT,
  TAG,
  SHA256_DIGEST,
  MAX_REPOSITORY_LENGTH,
  compareBytes,
  sortUnique
};
