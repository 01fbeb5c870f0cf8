import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CONTAINER_ID,
  RuntimeCli,
  STATE_DIR,
  WORK_DIR_PREFIX,
  findPrivilege,
  findRuntime,
  removeBaseCache,
  removeTree,
  unmountBelow
} from "./chunks/chunk-36IOYGJ2.js";
import {
  errorMessage,
  parseRuntime
} from "./chunks/chunk-ATYAE7CF.js";
import {
  ownedTempDir,
  removeCredentials,
  runnerTemp
} from "./chunks/chunk-MQ2SDFHZ.js";
import {
  getInput,
  getState,
  info,
  quote,
  warning
} from "./chunks/chunk-E5RWFZEF.js";
import {
  Defaults,
  Input,
  State
} from "./chunks/chunk-TOPFUZQF.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/runtime/cleanup.ts
import * as fs from "node:fs";
import * as path from "node:path";
function parseContainerIds(value) {
  if (!value) return [];
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter((id) => typeof id === "string" && CONTAINER_ID.test(id)) : [];
}
async function cleanupBuilds(workDir, ids, choice, runnerTemp2) {
  ownedTempDir(workDir, WORK_DIR_PREFIX, runnerTemp2);
  const report = { deleted: [] };
  if (!fs.existsSync(workDir)) return report;
  const stateRoot = path.join(workDir, STATE_DIR);
  const known = new Set(ids.filter((id) => CONTAINER_ID.test(id)));
  if (fs.existsSync(stateRoot)) {
    for (const name of fs.readdirSync(stateRoot)) if (CONTAINER_ID.test(name)) known.add(name);
  }
  const left = [...known].filter((id) => fs.existsSync(path.join(stateRoot, id)));
  let privilege;
  if (left.length > 0) {
    const runtime = await findRuntime(choice);
    privilege = runtime.privilege;
    const cli = new RuntimeCli(runtime, stateRoot);
    for (const id of left) {
      const result = await cli.delete(id);
      if (fs.existsSync(path.join(stateRoot, id))) {
        throw new Error(
          `Could not delete the container ${id}: ${result.output || "it is still there"}. Its processes may still run; not deleting ${workDir}.`
        );
      }
      report.deleted.push(id);
    }
  }
  privilege ??= await findPrivilege();
  if (privilege === void 0) {
    fs.rmSync(workDir, { recursive: true, force: true });
    return report;
  }
  await unmountBelow(workDir, privilege);
  await removeTree(workDir, privilege);
  return report;
}

// src/action/post-step.ts
async function runPost() {
  const temp = process.env.RUNNER_TEMP ? runnerTemp() : "";
  const credentialsDir = getState(State.CredentialsDir);
  if (credentialsDir) {
    try {
      await removeCredentials(credentialsDir);
      info("Removed the registry credentials.");
    } catch (error) {
      warning(`Did not remove the registry credentials: ${errorMessage(error)}`);
    }
  }
  const baseCacheDir = getState(State.BaseCacheDir);
  if (baseCacheDir) {
    try {
      await removeBaseCache(baseCacheDir, temp);
    } catch (error) {
      warning(`Did not remove the base-image cache: ${errorMessage(error)}`);
    }
  }
  const workDir = getState(State.WorkDir);
  if (workDir) {
    const ids = parseContainerIds(getState(State.Containers));
    let choice = Defaults.runtime;
    try {
      choice = parseRuntime(getInput(Input.Runtime));
    } catch {
    }
    try {
      const { deleted } = await cleanupBuilds(workDir, ids, choice, temp);
      if (deleted.length > 0) {
        info(
          `Killed and deleted ${deleted.length} container(s) left by the main step: ${deleted.join(", ")}.`
        );
      }
    } catch (error) {
      warning(`Did not remove the build directory ${quote(workDir)}: ${errorMessage(error)}`);
    }
  }
}

// src/post.ts
await runPost();
