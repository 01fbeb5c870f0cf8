import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  cleanupSandboxes
} from "./chunks/chunk-XDAL5S44.js";
import {
  errorMessage
} from "./chunks/chunk-SAWUUHIQ.js";
import {
  removeCredentials
} from "./chunks/chunk-W7KLILSY.js";
import {
  State,
  getState,
  info,
  warning
} from "./chunks/chunk-7ZOX6IOV.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/action/post-step.ts
async function runPost() {
  const credentialsDir = getState(State.CredentialsDir);
  if (credentialsDir) {
    try {
      await removeCredentials(credentialsDir);
      info("Removed the registry credentials.");
    } catch (error) {
      warning(
        `Could not remove the registry credentials in ${credentialsDir}: ${errorMessage(error)}`
      );
    }
  }
  const workDir = getState(State.WorkDir);
  if (workDir) {
    try {
      await cleanupSandboxes(workDir);
    } catch (error) {
      warning(`Could not remove the build sandboxes in ${workDir}: ${errorMessage(error)}`);
    }
  }
}

// src/post.ts
await runPost();
