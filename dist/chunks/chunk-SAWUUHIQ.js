import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/lib/errors.ts
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

export {
  errorMessage
};
