import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  quote
} from "./chunk-E5RWFZEF.js";
import {
  Defaults,
  Input,
  InputError,
  PATH_COMPONENT,
  SHA256_DIGEST,
  TAG,
  isDockerHub
} from "./chunk-TOPFUZQF.js";

// src/lib/errors.ts
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

// src/action/build-input-rules.ts
import * as path2 from "node:path";

// src/action/input-rules.ts
import * as fs from "node:fs";
import * as path from "node:path";

// src/versions/rule.ts
var PREFIXED_VERSION = /^([^0-9]*)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
var LOOKS_LIKE_VERSION = /^[^0-9]*(\d+)\.(\d+)(?:\.(\d+))?(?:[.\-+_~][0-9A-Za-z.\-+_~]*)?$/;
var MAX_TAG_LENGTH = 128;
function compare(a, b) {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
function versionTriple(tag) {
  const m = PREFIXED_VERSION.exec(tag);
  return [BigInt(m[2]), BigInt(m[3]), BigInt(m[4])];
}
function descendingVersions(a, b) {
  return compare(versionTriple(b), versionTriple(a));
}
function prefixOf(version) {
  return /^[^0-9]*/.exec(version)?.[0] ?? "";
}
function versionPrefix(defaultVersion) {
  const match = PREFIXED_VERSION.exec(defaultVersion);
  if (!match) {
    throw new Error(
      `default-version ${JSON.stringify(defaultVersion)} is not <prefix>MAJOR.MINOR.PATCH.`
    );
  }
  return match[1];
}
function bumpTriple([major, minor, patch], bump) {
  switch (bump) {
    case "major":
      return [major + 1n, 0n, 0n];
    case "minor":
      return [major, minor + 1n, 0n];
    case "patch":
      return [major, minor, patch + 1n];
  }
}
function nextVersion(tags, defaultVersion, bump) {
  const prefix = versionPrefix(defaultVersion);
  const candidate = new RegExp(
    `^${escapeRegExp(prefix)}(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$`
  );
  let best;
  const lookalikes = [];
  for (const tag of tags ?? []) {
    const m = candidate.exec(tag);
    if (m) {
      const triple = [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])];
      if (!best || compare(triple, best.triple) > 0) best = { tag, triple };
      continue;
    }
    const l = LOOKS_LIKE_VERSION.exec(tag);
    if (l) lookalikes.push({ tag, triple: [BigInt(l[1]), BigInt(l[2]), BigInt(l[3] ?? "0")] });
  }
  let version;
  let previous;
  let floor;
  let strict;
  if (best) {
    const [major, minor, patch] = bumpTriple(best.triple, bump);
    version = `${prefix}${major}.${minor}.${patch}`;
    previous = best.tag;
    floor = best.triple;
    strict = true;
  } else {
    version = defaultVersion;
    previous = "";
    floor = versionTriple(defaultVersion);
    strict = false;
  }
  if (version.length > MAX_TAG_LENGTH) {
    throw new Error(
      `The next version after ${previous} would be ${version.length} characters long, more than a tag may hold (${MAX_TAG_LENGTH}).`
    );
  }
  const ignored = lookalikes.filter((l) => {
    const c = compare(l.triple, floor);
    return strict ? c > 0 : c >= 0;
  }).sort((a, b) => compare(b.triple, a.triple) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)).map((l) => l.tag);
  return { version, previous, ignored };
}

// src/action/input-rules.ts
var MAX_PARALLEL = 32;
var HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
var HOST_PORT = new RegExp(
  `^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?$`
);
var BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
var LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
function splitList(value) {
  const out = [];
  let current = "";
  let depth = 0;
  for (const ch of value) {
    if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "\n" || ch === "\r" || ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== "");
}
function splitLines(value) {
  return value.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== "");
}
function parseBoolean(name, raw, fallback) {
  const value = raw.trim() === "" ? fallback : raw.trim();
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new InputError(name, `${quote(value)} is not a boolean; use 'true' or 'false'.`);
}
function oneOf(name, raw, fallback, allowed) {
  const value = raw.trim() === "" ? fallback : raw.trim();
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === void 0) {
    throw new InputError(
      name,
      `${quote(value)} is not accepted; use one of ${allowed.map((a) => `'${a}'`).join(", ")}.`
    );
  }
  return found;
}
function normaliseRegistry(name, raw) {
  const value = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new InputError(
      name,
      `${quote(value)} is a URL; give only host[:port] (e.g. 'ghcr.io' or 'localhost:5000').`
    );
  }
  const match = HOST_PORT.exec(value);
  const port = match?.[1];
  if (!match || port !== void 0 && (Number(port) < 1 || Number(port) > 65535)) {
    throw new InputError(
      name,
      `${quote(value)} is not host[:port] (e.g. 'docker.io', 'ghcr.io', 'localhost:5000').`
    );
  }
  const lower = value.toLowerCase();
  return isDockerHub(lower) ? "docker.io" : lower;
}
function parseNamespace(raw, registry) {
  const value = raw.trim().replace(/^\/+|\/+$/g, "");
  if (value === "") return "";
  const parts = value.split("/");
  if (isDockerHub(registry) && parts.length > 1) {
    throw new InputError(
      Input.Namespace,
      `${quote(value)} has a '/'; on Docker Hub the namespace is one user or organisation name.`
    );
  }
  if (!parts.every((part) => PATH_COMPONENT.test(part))) {
    throw new InputError(
      Input.Namespace,
      `${quote(value)} is not a valid repository path: each '/'-separated part must be lower-case letters and digits, joined by '.', '_', '__' or '-'.`
    );
  }
  return value;
}
function parseKeyValues(name, raw, key, what) {
  const lines = splitLines(raw);
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq <= 0) {
      throw new InputError(
        name,
        `line ${quote(line)} is not KEY=VALUE; write one ${what} per line, e.g. 'KEY=value'.`
      );
    }
    const k = line.slice(0, eq);
    if (!key.test(k)) {
      throw new InputError(
        name,
        `line ${quote(line)} has the key ${quote(k)}, which is not a valid ${what} name.`
      );
    }
  }
  return lines;
}
function parseVersion(raw) {
  const value = raw.trim();
  if (value === "") return "";
  if (value === "latest") {
    throw new InputError(
      Input.Version,
      `'latest' is pushed by the 'latest' input; give a version such as 'v1.2.3'.`
    );
  }
  if (!PREFIXED_VERSION.test(value) || !TAG.test(value)) {
    throw new InputError(
      Input.Version,
      `${quote(value)} is not <prefix>MAJOR.MINOR.PATCH (e.g. 'v1.2.3' or '1.2.3'; three numbers without leading zeros, a prefix without digits), which is what the version rule counts.`
    );
  }
  return value;
}
function parseDefaultVersion(raw) {
  const value = raw.trim() === "" ? Defaults.defaultVersion : raw.trim();
  if (!PREFIXED_VERSION.test(value) || !TAG.test(value)) {
    throw new InputError(
      Input.DefaultVersion,
      `${quote(value)} is not <prefix>MAJOR.MINOR.PATCH (e.g. 'v1.0.0' or '0.1.0'; no leading zeros, a prefix without digits).`
    );
  }
  return value;
}
function parseParallel(raw) {
  const value = raw.trim() === "" ? Defaults.parallel : raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL) {
    throw new InputError(
      Input.Parallel,
      `${quote(value)} is not a whole number from 1 to ${MAX_PARALLEL}.`
    );
  }
  return Number(value);
}
function parseHubApiUrl(raw) {
  const value = raw.trim() === "" ? Defaults.hubApiUrl : raw.trim();
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      Input.HubApiUrl,
      `${quote(value)} is not a URL; give e.g. 'https://hub.docker.com'.`
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(Input.HubApiUrl, `${quote(value)} is not an http(s) URL.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      Input.HubApiUrl,
      `${quote(value)} must not hold credentials, a query or a fragment.`
    );
  }
  return url.href.replace(/\/+$/, "");
}
function parseExecutorImage(raw) {
  const value = raw.trim() === "" ? Defaults.executorImage : raw.trim();
  const accepted = `'registry/repository:tag', 'registry/repository@sha256:<64 hex digits>' or both (e.g. '${Defaults.executorImage}')`;
  const slash = value.indexOf("/");
  const host = slash > 0 ? value.slice(0, slash) : "";
  if (!host || !(host.includes(".") || host.includes(":") || host === "localhost")) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} does not start with a registry host; use ${accepted}.`
    );
  }
  normaliseRegistry(Input.ExecutorImage, host);
  let rest = value.slice(slash + 1);
  const at = rest.indexOf("@");
  if (at >= 0) {
    if (!SHA256_DIGEST.test(rest.slice(at + 1))) {
      throw new InputError(
        Input.ExecutorImage,
        `${quote(value)} has a malformed digest; use ${accepted}.`
      );
    }
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(":");
  let repository = rest;
  if (colon >= 0) {
    if (colon === 0 || !TAG.test(rest.slice(colon + 1))) {
      throw new InputError(
        Input.ExecutorImage,
        `${quote(value)} has no valid tag; use ${accepted}.`
      );
    }
    repository = rest.slice(0, colon);
  } else if (at < 0) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} has no tag or digest; use ${accepted}.`
    );
  }
  if (!repository.split("/").every((p) => PATH_COMPONENT.test(p))) {
    throw new InputError(
      Input.ExecutorImage,
      `${quote(value)} has an invalid repository name; use ${accepted}.`
    );
  }
  return value;
}
function parseCaCertificates(raw, workspace) {
  const value = raw.trim();
  if (value === "") return "";
  const isPem = (text2) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text2);
  if (value.includes("-----BEGIN")) {
    if (!isPem(value)) {
      throw new InputError(
        Input.CaCertificates,
        "the text holds no complete PEM certificate (-----BEGIN CERTIFICATE----- \u2026 -----END CERTIFICATE-----)."
      );
    }
    return value + "\n";
  }
  const root = path.resolve(workspace);
  const file = path.resolve(root, value);
  if (file !== root && !file.startsWith(root + path.sep)) {
    throw new InputError(
      Input.CaCertificates,
      `${quote(value)} is outside the workspace; give PEM text or a path inside the repository.`
    );
  }
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(
      Input.CaCertificates,
      `${quote(value)} is neither PEM text nor a readable file in the workspace (${error.code ?? String(error)}).`
    );
  }
  if (!isPem(text)) {
    throw new InputError(
      Input.CaCertificates,
      `the file ${quote(value)} holds no PEM certificate.`
    );
  }
  return text.endsWith("\n") ? text : text + "\n";
}
function parseRelativePath(name, value, what, allowRoot = false) {
  const normal = path.posix.normalize(value.replace(/\\/g, "/")).replace(/\/+$/, "");
  if (allowRoot && (normal === "." || normal === "")) return ".";
  if (value.startsWith("/") || normal === ".." || normal.startsWith("../") || normal === "" || normal === ".") {
    throw new InputError(name, `${quote(value)} is not a ${what} relative to the repository root.`);
  }
  return normal;
}

// src/action/build-input-rules.ts
var EXECUTOR_FLAG = /^--[A-Za-z0-9][A-Za-z0-9-]*(?:=[\s\S]*)?$/;
var ARCHITECTURES = ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le"];
var MIN_MEMORY = 6 * 1024 * 1024;
function parseRuntime(raw) {
  const value = raw.trim() === "" ? Defaults.runtime : raw.trim();
  const lower = value.toLowerCase();
  if (lower === "auto" || lower === "runc" || lower === "crun") return lower;
  if (value.startsWith("/") && !value.includes("\0") && path2.posix.normalize(value) === value) {
    return value;
  }
  throw new InputError(
    Input.Runtime,
    `${quote(value)} is not accepted; use 'auto', 'runc', 'crun', or the absolute path of an OCI runtime binary (e.g. '/usr/bin/runc').`
  );
}
function parseMemory(raw) {
  const value = raw.trim();
  if (value === "") return 0;
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(value);
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match?.[2] ?? "").toLowerCase()];
  const bytes = match ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_MEMORY) {
    throw new InputError(
      Input.Memory,
      `${quote(value)} is not a memory size of at least 6m; give a number with an optional unit b, k, m or g (e.g. '4g', '512m').`
    );
  }
  return bytes;
}
function parseCpus(raw) {
  const value = raw.trim();
  if (value === "") return 0;
  const cpus = /^\d+(?:\.\d{1,3})?$/.test(value) ? Number(value) : NaN;
  if (!(cpus >= 0.01 && cpus <= 1024)) {
    throw new InputError(
      Input.Cpus,
      `${quote(value)} is not a number of CPUs from 0.01 to 1024 (e.g. '2' or '1.5').`
    );
  }
  return cpus;
}
function parsePlatforms(raw) {
  const out = [];
  for (const entry of splitList(raw)) {
    const value = entry.toLowerCase();
    const parts = value.split("/");
    const [os, arch, variant] = parts;
    if (parts.length < 2 || parts.length > 3 || os !== "linux" || !ARCHITECTURES.includes(arch ?? "") || variant !== void 0 && !/^v[0-9]+$/.test(variant)) {
      throw new InputError(
        Input.Platforms,
        `${quote(entry)} is not a platform kaniko builds; write os/arch[/variant] with os 'linux' and arch one of ${ARCHITECTURES.join(", ")} (e.g. 'linux/amd64,linux/arm64').`
      );
    }
    if (!out.includes(value)) out.push(value);
  }
  return out;
}
function parseExtraArgs(raw) {
  const lines = splitLines(raw);
  for (const line of lines) {
    if (EXECUTOR_FLAG.test(line)) continue;
    const space = /^(--[A-Za-z0-9][A-Za-z0-9-]*)\s+(\S[\s\S]*)$/.exec(line);
    const hint = space ? `; write flag and value joined by '=': '${space[1]}=${space[2]}'` : ` (kaniko's flag syntax is '--flag' or '--flag=value', one per line)`;
    throw new InputError(Input.ExtraArgs, `line ${quote(line)} is not an executor flag${hint}.`);
  }
  return lines;
}
function parseTarget(raw) {
  const target = raw.trim();
  if (target !== "" && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError(Input.Target, `${quote(target)} is not a build stage name.`);
  }
  return target;
}
function parseCacheRepo(raw) {
  const cacheRepo = raw.trim();
  if (cacheRepo !== "" && /\s/.test(cacheRepo)) {
    throw new InputError(Input.CacheRepo, `${quote(cacheRepo)} is not a repository reference.`);
  }
  return cacheRepo;
}

export {
  errorMessage,
  PREFIXED_VERSION,
  descendingVersions,
  prefixOf,
  versionPrefix,
  nextVersion,
  BUILD_ARG_KEY,
  LABEL_KEY,
  splitList,
  splitLines,
  parseBoolean,
  oneOf,
  normaliseRegistry,
  parseNamespace,
  parseKeyValues,
  parseVersion,
  parseDefaultVersion,
  parseParallel,
  parseHubApiUrl,
  parseExecutorImage,
  parseCaCertificates,
  parseRelativePath,
  parseRuntime,
  parseMemory,
  parseCpus,
  parsePlatforms,
  parseExtraArgs,
  parseTarget,
  parseCacheRepo
};
