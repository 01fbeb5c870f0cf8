import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CONTAINER_ID,
  RuntimeCli,
  STATE_DIR,
  WORK_DIR_PREFIX,
  findPrivilege,
  findRuntime,
  removeTree,
  unmountBelow
} from "./chunks/chunk-WJKTKEUY.js";
import {
  errorMessage,
  parseRuntime
} from "./chunks/chunk-JQASI3MT.js";
import {
  DIR_PREFIX,
  removeCredentials,
  runnerTemp
} from "./chunks/chunk-4LIYMV35.js";
import {
  getInput,
  getState,
  info,
  quote,
  warning
} from "./chunks/chunk-YGV6FBD2.js";
import "./chunks/chunk-GI2DX2VI.js";
import {
  Defaults,
  Input,
  State
} from "./chunks/chunk-PTFHAWOZ.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/lib/owned-dirs.ts
import * as fs from "node:fs";
import * as path from "node:path";
var NAME = /^[A-Za-z0-9._-]+$/;
var NotOwnedError = class extends Error {
  constructor(value, why) {
    super(`Refusing to delete ${quote(value)}: ${why}.`);
    this.name = "NotOwnedError";
  }
};
function temps(runnerTemp2) {
  const given = path.resolve(runnerTemp2);
  try {
    return [given, fs.realpathSync(given)];
  } catch {
    return [given];
  }
}
function ownedTempDir(value, prefix, runnerTemp2) {
  if (!runnerTemp2) throw new NotOwnedError(value, "RUNNER_TEMP is not set");
  if (!path.isAbsolute(value)) throw new NotOwnedError(value, "it is not an absolute path");
  if (path.normalize(value) !== value || value.endsWith("/")) {
    throw new NotOwnedError(value, "it is not a normalised path");
  }
  if (!temps(runnerTemp2).includes(path.dirname(value))) {
    throw new NotOwnedError(value, `it is not directly under RUNNER_TEMP (${runnerTemp2})`);
  }
  const name = path.basename(value);
  if (!name.startsWith(prefix) || name.length === prefix.length || !NAME.test(name)) {
    throw new NotOwnedError(value, `its name does not start with the action's '${prefix}'`);
  }
  const st = fs.lstatSync(value, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) {
    throw new NotOwnedError(
      value,
      st.isSymbolicLink() ? "it is a symbolic link" : "it is not a directory"
    );
  }
  return value;
}

// src/runtime/cleanup.ts
import * as fs2 from "node:fs";
import * as path2 from "node:path";
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
  if (!fs2.existsSync(workDir)) return report;
  const stateRoot = path2.join(workDir, STATE_DIR);
  const known = new Set(ids.filter((id) => CONTAINER_ID.test(id)));
  if (fs2.existsSync(stateRoot)) {
    for (const name of fs2.readdirSync(stateRoot)) if (CONTAINER_ID.test(name)) known.add(name);
  }
  const left = [...known].filter((id) => fs2.existsSync(path2.join(stateRoot, id)));
  if (left.length > 0) {
    const runtime = await findRuntime(choice);
    const cli = new RuntimeCli(runtime, stateRoot);
    for (const id of left) {
      const result = await cli.delete(id);
      if (fs2.existsSync(path2.join(stateRoot, id))) {
        throw new Error(
          `Could not delete the container ${id}: ${result.output || "it is still there"}. Its processes may still run; not deleting ${workDir}.`
        );
      }
      report.deleted.push(id);
    }
  }
  const privilege = await findPrivilege();
  if (privilege === void 0) {
    fs2.rmSync(workDir, { recursive: true, force: true });
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
      await removeCredentials(ownedTempDir(credentialsDir, DIR_PREFIX, temp));
      info("Removed the registry credentials.");
    } catch (error) {
      warning(`Did not remove the registry credentials: ${errorMessage(error)}`);
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
