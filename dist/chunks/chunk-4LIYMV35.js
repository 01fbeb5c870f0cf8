import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  basicAuth,
  info,
  isDockerHub,
  setSecret
} from "./chunk-YGV6FBD2.js";
import {
  DOCKER_HUB_AUTH_KEY
} from "./chunk-PTFHAWOZ.js";

// src/credentials/docker-config.ts
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { readFileSync } from "node:fs";
var DIR_PREFIX = "kaniko-release-auth-";
var AUTH_FIELDS = ["auth", "username", "password", "identitytoken", "registrytoken"];
var SECRET_FIELDS = ["auth", "password", "identitytoken", "registrytoken"];
function authKey(registry) {
  return isDockerHub(registry) ? DOCKER_HUB_AUTH_KEY : registry;
}
function runnerTemp(env = process.env) {
  const dir = env.RUNNER_TEMP;
  if (!dir) {
    throw new Error(
      "RUNNER_TEMP is not set: the registry credentials are written only to the runner\u2019s temporary directory. Run this action as a step of a GitHub Actions job (or set RUNNER_TEMP)."
    );
  }
  return path.resolve(dir);
}
function existingConfigPath(env = process.env) {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), ".docker");
  return path.join(dir, "config.json");
}
function reusableAuths(config) {
  const out = {};
  if (!config || typeof config !== "object") return out;
  const auths = config.auths;
  if (!auths || typeof auths !== "object" || Array.isArray(auths)) return out;
  for (const [key, value] of Object.entries(auths)) {
    if (!value || typeof value !== "object") continue;
    const entry = {};
    for (const field of AUTH_FIELDS) {
      const v = value[field];
      if (typeof v === "string" && v !== "") entry[field] = v;
    }
    if (Object.keys(entry).length > 0) out[key] = entry;
  }
  return out;
}
function dockerConfigFor(inputs, existing) {
  if (inputs.username !== "" && inputs.password !== "") {
    return {
      auths: { [authKey(inputs.registry)]: { auth: basicAuth(inputs.username, inputs.password) } }
    };
  }
  return { auths: { ...existing } };
}
function readExistingAuths(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return {};
    throw new Error(`Cannot read the existing docker config ${file}`, { cause: error });
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The existing docker config ${file} is not valid JSON; fix or remove it, or give 'username' and 'password'.`,
      { cause: error }
    );
  }
  const auths = reusableAuths(parsed);
  for (const entry of Object.values(auths)) {
    for (const field of SECRET_FIELDS) {
      const v = entry[field];
      if (v) setSecret(v);
    }
  }
  return auths;
}
function keyHost(key) {
  return key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/\/.*$/, "").toLowerCase();
}
function entryLogin(entry) {
  if (entry.username && entry.password) {
    return { username: entry.username, password: entry.password };
  }
  if (entry.auth) {
    const text = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = text.indexOf(":");
    if (colon > 0 && colon < text.length - 1) {
      return { username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
  }
  return void 0;
}
var Logins = class {
  constructor(inputs, env = process.env) {
    this.inputs = inputs;
    this.env = env;
  }
  inputs;
  env;
  existing;
  /** Whether `username` and `password` were given. */
  get given() {
    return this.inputs.username !== "" && this.inputs.password !== "";
  }
  /** Where an existing docker config is read from. */
  get existingPath() {
    return existingConfigPath(this.env);
  }
  /** The reusable `auths` of the existing docker config (`{}` with `username`/`password`). */
  reused() {
    if (this.given) return {};
    this.existing ??= readExistingAuths(this.existingPath);
    return this.existing;
  }
  /** The login for a registry host (any Docker Hub alias for Docker Hub), if there is one. */
  loginFor(host) {
    const wanted = (h) => isDockerHub(host) ? isDockerHub(h) : h === host.toLowerCase();
    if (this.given) {
      if (!wanted(this.inputs.registry)) return void 0;
      return { username: this.inputs.username, password: this.inputs.password };
    }
    for (const [key, entry] of Object.entries(this.reused())) {
      if (!wanted(keyHost(key))) continue;
      const login = entryLogin(entry);
      if (login) {
        setSecret(basicAuth(login.username, login.password));
        return login;
      }
    }
    return void 0;
  }
  /** The docker config kaniko gets. */
  dockerConfig() {
    return dockerConfigFor(this.inputs, this.reused());
  }
};
async function writeCredentials(logins, env = process.env) {
  const temp = runnerTemp(env);
  const source = logins instanceof Logins ? logins : new Logins(logins, env);
  if (!source.given) {
    const hosts = Object.keys(source.reused());
    info(
      hosts.length > 0 ? `No 'username'/'password': reusing the docker logins of ${source.existingPath} for ${hosts.join(", ")}.` : `No 'username'/'password' and no docker login in ${source.existingPath}: kaniko pushes without credentials.`
    );
  }
  const config = source.dockerConfig();
  const dir = await fs.mkdtemp(path.join(temp, DIR_PREFIX));
  try {
    await fs.chmod(dir, 448);
    const configPath = path.join(dir, "config.json");
    const handle = await fs.open(configPath, "wx", 384);
    try {
      await handle.writeFile(JSON.stringify(config) + "\n", "utf8");
      await handle.chmod(384);
    } finally {
      await handle.close();
    }
    return { dir, configPath };
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw new Error(`Cannot write the registry credentials under ${temp}`, { cause: error });
  }
}
async function removeCredentials(dir, env = process.env) {
  const temp = runnerTemp(env);
  const target = path.resolve(dir);
  const relative2 = path.relative(temp, target);
  if (relative2 === "" || relative2.startsWith("..") || path.isAbsolute(relative2) || !path.basename(target).startsWith(DIR_PREFIX)) {
    throw new Error(
      `Refusing to delete ${JSON.stringify(dir)}: it is not a credentials directory under RUNNER_TEMP (${temp}).`
    );
  }
  await fs.rm(target, { recursive: true, force: true });
}

export {
  DIR_PREFIX,
  runnerTemp,
  Logins,
  writeCredentials,
  removeCredentials
};
