import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CONTAINER_CONTEXT,
  CONTAINER_OUTPUT,
  baseImagesOfPlans,
  downloadBlob,
  findEntry,
  installEntry,
  lstatOrNull,
  resolveInRoot,
  rootParts,
  selectRuntime,
  startBaseCache
} from "./chunks/chunk-36IOYGJ2.js";
import {
  Git,
  OBJECT_ID,
  branchOf,
  compareStrings,
  getInputs,
  imageTags,
  imageWebUrl,
  mapAll,
  mapBounded,
  plan,
  run,
  waveCount,
  workspace,
  writeImagesOutput,
  writePlanOutputs,
  writeSummary
} from "./chunks/chunk-TVJAKWJO.js";
import {
  PREFIXED_VERSION,
  descendingVersions,
  errorMessage,
  prefixOf
} from "./chunks/chunk-ATYAE7CF.js";
import {
  parseReference
} from "./chunks/chunk-G5IOAGKQ.js";
import {
  Registries
} from "./chunks/chunk-QZ7TU2UR.js";
import {
  HttpError,
  Logins,
  MANIFEST_TYPES,
  RegistryError,
  parseRetryAfter,
  readBounded,
  runnerTemp,
  writeCredentials
} from "./chunks/chunk-MQ2SDFHZ.js";
import {
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  MediaType,
  debug,
  endGroup,
  error,
  group,
  info,
  isAttestation,
  notice,
  parseImageConfig,
  parseImageManifest,
  parseIndex,
  plain,
  platformName,
  platformRuns,
  runnerPlatform,
  safeLines,
  saveState,
  selectManifest,
  sha256Digest,
  shortDigest,
  startGroup,
  warning
} from "./chunks/chunk-E5RWFZEF.js";
import {
  DOCKER_HUB_REGISTRY_HOST,
  SHA256_DIGEST,
  State,
  plural
} from "./chunks/chunk-TOPFUZQF.js";
import "./chunks/chunk-6DG7BXTN.js";

// src/build/image.ts
import * as fs5 from "node:fs/promises";
import * as path4 from "node:path";

// src/lib/log-group.ts
var coreSink = {
  startGroup: (title) => startGroup(title),
  endGroup: () => endGroup(),
  info: (line) => info(line)
};
function openGroup(title, live, sink = coreSink) {
  const entries = [];
  let closed = false;
  const add = (text) => {
    if (closed) return;
    for (const line of safeLines(text)) {
      if (live) sink.info(line);
      else entries.push(line);
    }
  };
  if (live) sink.startGroup(title);
  return {
    note: add,
    output: add,
    close: () => {
      if (closed) return;
      closed = true;
      if (!live) {
        sink.startGroup(title);
        for (const line of entries) sink.info(line);
      }
      sink.endGroup();
    }
  };
}

// src/build/executor-run.ts
import * as fs from "node:fs/promises";

// src/build/kaniko-args.ts
var PROXY_VARIABLES = [
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY"
];
function proxyEnv(env) {
  const out = {};
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}
function sourceUrl(env) {
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return "";
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  return `${server}/${repository}`;
}
function dockerfileInContext(contextPath, dockerfile) {
  return `${contextPath.replace(/\/+$/, "")}/${dockerfile.replace(/^\.\//, "")}`;
}
function layoutPathIn(outputDir) {
  return `${outputDir.replace(/\/+$/, "")}/layout`;
}
function digestFileIn(outputDir) {
  return `${outputDir.replace(/\/+$/, "")}/digest`;
}
function baseMirrorArgs(mirror) {
  if (!mirror || mirror.mirrors.size === 0) return [];
  return [
    ...[...mirror.mirrors].map(([registry, to2]) => `--registry-map=${registry}=${to2}`),
    `--insecure-registry=${mirror.host}`
  ];
}
function kanikoArgs(plan2, inputs, meta, paths, proxies = {}, layout, mirror) {
  const image = plan2.ref.reference;
  const args = [
    // kaniko refuses to run unless it detects a container; an OCI runtime's is not detected.
    "--force",
    `--context=dir://${paths.context}`,
    `--dockerfile=${dockerfileInContext(paths.context, inputs.dockerfile)}`
  ];
  if (layout) {
    args.push(`--digest-file=${digestFileIn(paths.outputDir)}`, "--no-push");
    args.push(`--oci-layout-path=${layoutPathIn(paths.outputDir)}`);
    if (layout.platform) args.push(`--custom-platform=${layout.platform}`);
    if (layout.reproducible) args.push("--reproducible");
  } else {
    args.push(...plan2.tags.map((tag) => `--destination=${image}:${tag}`));
    args.push(`--digest-file=${digestFileIn(paths.outputDir)}`);
    if (!inputs.push) args.push("--no-push");
  }
  const oci = "org.opencontainers.image";
  if (meta.source) args.push(`--label=${oci}.source=${meta.source}`);
  if (meta.revision) args.push(`--label=${oci}.revision=${meta.revision}`);
  args.push(`--label=${oci}.version=${plan2.version}`);
  if (meta.created) args.push(`--label=${oci}.created=${meta.created}`);
  for (const name of PROXY_VARIABLES) {
    if (proxies[name]) args.push(`--build-arg=${name}`);
  }
  for (const arg of inputs.buildArgs) args.push(`--build-arg=${arg}`);
  for (const label of inputs.labels) args.push(`--label=${label}`);
  if (inputs.target) args.push(`--target=${inputs.target}`);
  if (inputs.cache) args.push("--cache=true");
  if (inputs.cacheRepo) args.push(`--cache-repo=${inputs.cacheRepo}`);
  else if (inputs.cache && layout) args.push(`--cache-repo=${image}/cache`);
  for (const host of inputs.insecureRegistries) args.push(`--insecure-registry=${host}`);
  args.push(...baseMirrorArgs(mirror));
  for (const arg of inputs.extraArgs) args.push(arg);
  return args;
}
function argsForLog(args) {
  return args.map((arg) => {
    const match = /^(--build-arg=(?:https?|no)_proxy=)(.*)$/i.exec(arg);
    if (match && /\/\/[^/@]*@/.test(match[2] ?? "")) return `${match[1]}<redacted>`;
    return arg;
  });
}

// src/build/executor-run.ts
var TAIL_LINES = 40;
var ERROR_LINES = 5;
var BuildFailure = class extends Error {
  constructor(message, hint, options) {
    super(message, options);
    this.hint = hint;
    this.name = "BuildFailure";
  }
  hint;
};
function errorLines(tail, max = ERROR_LINES) {
  const lines = tail.map((l) => l.trim()).filter((l) => l !== "");
  const errors = lines.filter((l) => /^(ERRO|FATA|PANI)\b|\berror\b|\bfatal\b|\bfailed\b/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-max);
}
async function runExecutor(args, run2, log) {
  log.note(`Executor arguments: ${JSON.stringify(argsForLog(args))}`);
  const tail = [];
  const started = Date.now();
  const outcome = await run2.runtime.run({
    executor: run2.executor,
    args,
    env: run2.env,
    context: run2.context,
    dockerConfig: run2.dockerConfig,
    outputDir: run2.outputDir,
    onLine: (line) => {
      log.output(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  });
  const took = Date.now() - started;
  if (outcome.exitCode !== 0) {
    const killed = outcome.killed;
    const how = outcome.exitCode === null ? `kaniko was stopped by ${outcome.signal ?? "a signal"}${killed ? ` (${killed})` : ""}` : `kaniko exited with code ${outcome.exitCode}`;
    log.note(`${how} after ${took} ms.`);
    const lines = errorLines(tail);
    throw new BuildFailure(
      lines.length > 0 ? `${how}: ${lines.join("\n")}` : how,
      `Read kaniko's output in the log group of ${plain(run2.directory)}.`
    );
  }
  log.note(`kaniko exited with code 0 after ${took} ms.`);
}
async function readDigest(file) {
  let text;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error2) {
    if (error2.code === "ENOENT") return "";
    throw new Error(`Cannot read kaniko's digest file ${file}`, { cause: error2 });
  }
  const digest = text.trim();
  if (!SHA256_DIGEST.test(digest)) {
    throw new BuildFailure(
      `kaniko's digest file holds ${JSON.stringify(digest.slice(0, 80))}, not a sha256 digest`,
      "Check that the executor image is a kaniko executor."
    );
  }
  return digest;
}

// src/build/release-flow.ts
import * as fs4 from "node:fs/promises";
import * as path3 from "node:path";

// src/release/image-index.ts
var DEFAULT_VARIANT = { arm64: "v8", arm: "v7", amd64: "v1" };
function platformKey(platform) {
  const variant = platform.variant || DEFAULT_VARIANT[platform.architecture] || "";
  return [platform.os, platform.architecture, variant].join("/");
}
function parsePlatform(name) {
  const [os3 = "", architecture = "", variant] = name.split("/");
  return { os: os3, architecture, ...variant ? { variant } : {} };
}
function imageIndex(entries) {
  const manifests = entries.map(({ platform, manifest }) => ({
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.size,
    platform: {
      architecture: platform.architecture,
      os: platform.os,
      ...platform.variant ? { variant: platform.variant } : {}
    }
  }));
  const body = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests })
  );
  return {
    mediaType: MediaType.OciIndex,
    digest: sha256Digest(body),
    body
  };
}

// src/release/layout.ts
import * as fs2 from "node:fs/promises";
import * as path from "node:path";
var MAX_JSON_BLOB = 8 * 1024 * 1024;
function blobPath(dir, digest) {
  if (!SHA256_DIGEST.test(digest)) throw new Error(`${JSON.stringify(digest)} is not a digest.`);
  return path.join(dir, "blobs", "sha256", digest.slice("sha256:".length));
}
async function readJsonFile(file, what) {
  const handle = await fs2.open(file, "r").catch((cause) => {
    throw new Error(`kaniko wrote no ${what} (${file}).`, { cause });
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_JSON_BLOB) throw new Error(`The ${what} ${file} is larger than expected.`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
async function readBlob(dir, descriptor, what) {
  const body = await readJsonFile(blobPath(dir, descriptor.digest), what);
  const digest = sha256Digest(body);
  if (digest !== descriptor.digest || body.length !== descriptor.size) {
    throw new Error(
      `The ${what} in ${dir} is not the ${descriptor.digest} (${descriptor.size} bytes) that index.json names.`
    );
  }
  return body;
}
function configPlatform(body, dir) {
  let parsed;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (cause) {
    throw new Error(`The image config in ${dir} is not JSON.`, { cause });
  }
  const { os: os3, architecture, variant } = parsed ?? {};
  if (typeof os3 !== "string" || typeof architecture !== "string" || !os3 || !architecture) {
    throw new Error(`The image config in ${dir} names no os and architecture.`);
  }
  return { os: os3, architecture, ...typeof variant === "string" && variant ? { variant } : {} };
}
async function readLayout(dir) {
  const marker = await readJsonFile(path.join(dir, "oci-layout"), "oci-layout file");
  if (!/"imageLayoutVersion"\s*:\s*"1\./.test(marker.toString("utf8"))) {
    throw new Error(`${dir} is not an OCI image layout of version 1.`);
  }
  const entries = parseIndex(await readJsonFile(path.join(dir, "index.json"), "index.json"));
  const images = entries.filter((e) => IMAGE_MANIFEST_TYPES.includes(e.mediaType));
  if (images.length !== 1) {
    throw new Error(
      `The layout ${dir} lists ${images.length} image manifests; kaniko writes exactly one.`
    );
  }
  const entry = images[0];
  const manifestBody = await readBlob(dir, entry, "image manifest");
  const { config, layers } = parseImageManifest(manifestBody);
  const configBody = await readBlob(dir, config, "image config");
  for (const layer of layers) {
    const stat2 = await fs2.stat(blobPath(dir, layer.digest)).catch(() => void 0);
    if (!stat2?.isFile() || stat2.size !== layer.size) {
      throw new Error(`The layer ${layer.digest} is missing from ${dir} or has the wrong size.`);
    }
  }
  return {
    dir,
    manifest: {
      mediaType: entry.mediaType,
      digest: entry.digest,
      size: entry.size,
      body: manifestBody
    },
    config: { ...config, body: configBody },
    layers,
    platform: configPlatform(configBody, dir)
  };
}
function builtPlatform(image) {
  return platformName(image.platform);
}

// src/release/current-version.ts
var MAX_LOOKUPS = 10;
async function currentVersion(registry, ref, digest, previous, prefix) {
  if (previous && await registry.digestOf(ref, previous) === digest) return previous;
  const tags = await registry.listTags(ref) ?? [];
  const versions = tags.filter((t) => t !== previous && PREFIXED_VERSION.exec(t)?.[1] === prefix).sort(descendingVersions).slice(0, MAX_LOOKUPS);
  for (const tag of versions) {
    if (await registry.digestOf(ref, tag) === digest) return tag;
  }
  return "";
}

// src/release/unchanged.ts
import { isDeepStrictEqual } from "node:util";
var RELEASE_LABELS = [
  "org.opencontainers.image.created",
  "org.opencontainers.image.revision",
  "org.opencontainers.image.version"
];
var MAX_CONFIG = 8 * 1024 * 1024;
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function withoutReleaseLabels(config) {
  if (!isRecord(config) || !isRecord(config.Labels)) return config;
  const labels = Object.fromEntries(
    Object.entries(config.Labels).filter(([key]) => !RELEASE_LABELS.includes(key))
  );
  const { Labels: _labels, ...rest } = config;
  return Object.keys(labels).length > 0 ? { ...rest, Labels: labels } : rest;
}
function comparableConfig(body) {
  const parsed = JSON.parse(body.toString("utf8"));
  if (!isRecord(parsed)) throw new Error("The image config is not a JSON object.");
  const { created: _created, ...config } = parsed;
  if (Array.isArray(config.history)) {
    config.history = config.history.map((entry) => {
      if (!isRecord(entry)) return entry;
      const { created: _time, ...rest } = entry;
      return rest;
    });
  }
  for (const key of ["config", "container_config"]) {
    if (key in config) config[key] = withoutReleaseLabels(config[key]);
  }
  return config;
}
function configDifference(built, current) {
  const a = comparableConfig(built);
  const b2 = comparableConfig(current);
  const diffIds = (c) => isRecord(c.rootfs) ? c.rootfs.diff_ids : void 0;
  if (!isDeepStrictEqual(diffIds(a), diffIds(b2))) return "its layers differ";
  if (isDeepStrictEqual(a, b2)) return void 0;
  const keys = /* @__PURE__ */ new Set();
  for (const key of /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b2)])) {
    const [x, y] = [a[key], b2[key]];
    if (isDeepStrictEqual(x, y)) continue;
    if (isRecord(x) && isRecord(y)) {
      for (const inner of /* @__PURE__ */ new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (!isDeepStrictEqual(x[inner], y[inner])) keys.add(`${key}.${inner}`);
      }
    } else {
      keys.add(key);
    }
  }
  return `its config differs (${[...keys].sort().join(", ")})`;
}
async function readConfig(client, repository, digest) {
  const response = await client.getBlob(repository, digest);
  const body = await readBounded(response, MAX_CONFIG, `${repository}@${digest}`);
  if (sha256Digest(body) !== digest) {
    throw new Error(`The registry sent a config for ${repository}@${digest} with another digest.`);
  }
  return body;
}
async function compareImage(client, repository, built, manifest) {
  if (manifest.digest === built.manifest.digest) return void 0;
  let config;
  try {
    config = parseImageManifest(manifest.body).config;
  } catch (error2) {
    return `its manifest cannot be read (${error2.message})`;
  }
  if (config.digest === built.config.digest) return void 0;
  return configDifference(built.config.body, await readConfig(client, repository, config.digest));
}
async function compareWithLatest(client, repository, built, multiPlatform) {
  let latest;
  try {
    latest = await client.getManifest(repository, "latest", MANIFEST_TYPES);
  } catch (error2) {
    if (error2 instanceof RegistryError && error2.status === 404) {
      return { same: false, reason: "there is no latest yet" };
    }
    throw error2;
  }
  if (!INDEX_TYPES.includes(latest.mediaType)) {
    if (multiPlatform) return { same: false, reason: "latest is a single-platform image" };
    const [only] = built;
    if (!only) throw new Error("Nothing was built to compare.");
    const reason = await compareImage(client, repository, only.image, {
      mediaType: latest.mediaType,
      digest: latest.digest,
      size: latest.body.length,
      body: latest.body
    });
    return reason ? { same: false, reason } : { same: true, latest: { digest: latest.digest, platforms: {} } };
  }
  if (!multiPlatform) return { same: false, reason: "latest is a multi-platform index" };
  const entries = parseIndex(latest.body).filter((e) => e.platform && !isAttestation(e));
  const offered = new Map(entries.map((e) => [platformKey(e.platform), e]));
  const wanted = built.map((b2) => platformKey(b2.image.platform));
  if (offered.size !== entries.length || !isDeepStrictEqual([...offered.keys()].sort(), [...wanted].sort())) {
    const names = entries.map((e) => platformName(e.platform)).join(", ");
    return { same: false, reason: `latest has the platforms ${names || "none"}` };
  }
  const platforms = {};
  for (const { name, image } of built) {
    const entry = offered.get(platformKey(image.platform));
    const manifest = await client.getManifest(repository, entry.digest, IMAGE_MANIFEST_TYPES);
    const reason = await compareImage(client, repository, image, { ...entry, body: manifest.body });
    if (reason) return { same: false, reason: `${name}: ${reason}` };
    platforms[name] = entry.digest;
  }
  return { same: true, latest: { digest: latest.digest, platforms } };
}

// src/release/release.ts
var BLOB_CONCURRENCY = 4;
var ReleaseError = class extends Error {
  constructor(message, hint, options) {
    super(message, options);
    this.hint = hint;
    this.name = "ReleaseError";
  }
  hint;
};
function formatSize(bytes) {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${mib.toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
async function pushImages(pusher, repository, request, note) {
  const blobs = /* @__PURE__ */ new Map();
  for (const { image } of request.images) {
    for (const d of [image.config, ...image.layers]) {
      if (!blobs.has(d.digest)) {
        blobs.set(d.digest, {
          digest: d.digest,
          size: d.size,
          path: blobPath(image.dir, d.digest)
        });
      }
    }
  }
  const outcomes = await mapAll(
    [...blobs.values()],
    BLOB_CONCURRENCY,
    (blob) => pusher.pushBlob(repository, blob, request.mountFrom)
  );
  const count = (o) => outcomes.filter((x) => x === o).length;
  const sent = [...blobs.values()].filter((_2, i) => outcomes[i] === "uploaded").reduce((n, b2) => n + b2.size, 0);
  note(
    `Blobs: ${count("uploaded")} uploaded (${formatSize(sent)}), ${count("mounted")} mounted, ${count("exists")} already there.`
  );
  for (const { name, image } of request.images) {
    const { digest, body, mediaType } = image.manifest;
    await pusher.putManifest(repository, digest, body, mediaType);
    note(`Pushed ${name} by digest: ${request.ref.reference}@${digest}`);
  }
}
async function releaseBuilt(registries, request, note) {
  const { ref, images } = request;
  const [first] = images;
  if (!first) throw new Error("Nothing was built to release.");
  const client = registries.client(ref.apiHost);
  if (request.skipUnchanged) {
    const comparison = await compareWithLatest(
      client,
      ref.repository,
      images,
      request.multiPlatform
    );
    if (comparison.same) {
      const { digest, platforms: platforms2 } = comparison.latest;
      const version = await currentVersion(
        registries,
        ref,
        digest,
        request.previous,
        prefixOf(request.version)
      );
      note(
        `Unchanged: the build equals ${ref.reference}:latest (${version || "no version tag"}, ${digest}); nothing pushed, ${request.version} not used.`
      );
      return { status: "unchanged", version, previous: version, tags: [], digest, platforms: platforms2 };
    }
    note(`Changed: ${comparison.reason}.`);
  }
  const index = request.multiPlatform ? imageIndex(
    images.map(({ image }) => ({ platform: image.platform, manifest: image.manifest }))
  ) : void 0;
  const release = index ?? first.image.manifest;
  const platforms = index ? Object.fromEntries(images.map(({ name, image }) => [name, image.manifest.digest])) : {};
  const released = {
    version: request.version,
    previous: request.previous,
    tags: [...request.tags],
    digest: release.digest,
    platforms
  };
  if (!request.push) return { status: "built", ...released };
  const pusher = registries.pusher(ref.apiHost);
  await pushImages(pusher, ref.repository, request, note);
  if (await registries.digestOf(ref, request.version) !== null) {
    throw new ReleaseError(
      `${ref.reference}:${request.version} already exists; another run may have pushed it`,
      "A released version is never overwritten. Re-run the workflow so the next version is picked, or give a new `version`."
    );
  }
  for (const tag of request.tags) {
    await pusher.putManifest(ref.repository, tag, release.body, release.mediaType);
  }
  for (const tag of request.tags) {
    const served = await registries.digestOf(ref, tag);
    if (served !== release.digest) {
      throw new ReleaseError(
        `the registry serves ${served ?? "nothing"} for ${ref.reference}:${tag}, but the action pushed ${release.digest}`,
        "Another run may have pushed the same tag at the same moment; check the tags of the image in the registry before re-running."
      );
    }
  }
  note(
    `Pushed ${ref.reference} as ${request.tags.join(", ")} (${index ? `index of ${images.map((i) => i.name).join(", ")}, ` : ""}${release.digest}).`
  );
  return { status: "pushed", ...released };
}

// src/runtime/binfmt.ts
import * as fs3 from "node:fs/promises";
import * as path2 from "node:path";
var BINFMT_DIR = "/proc/sys/fs/binfmt_misc";
var ELF = {
  amd64: { bits: 64, big: false, machine: 62, qemu: "x86_64" },
  "386": { bits: 32, big: false, machine: 3, qemu: "i386" },
  arm64: { bits: 64, big: false, machine: 183, qemu: "aarch64" },
  arm: { bits: 32, big: false, machine: 40, qemu: "arm" },
  ppc64le: { bits: 64, big: false, machine: 21, qemu: "ppc64le" },
  s390x: { bits: 64, big: true, machine: 22, qemu: "s390x" },
  riscv64: { bits: 64, big: false, machine: 243, qemu: "riscv64" },
  mips64le: { bits: 64, big: false, machine: 8, qemu: "mips64el" }
};
var ALSO_NATIVE = { amd64: ["386"] };
function elfHeader(architecture, type = "exec") {
  const elf = ELF[architecture];
  if (!elf) return void 0;
  const header = Buffer.alloc(20);
  header.set([127, 69, 76, 70, elf.bits === 64 ? 2 : 1, elf.big ? 2 : 1, 1]);
  const write = (value, at2) => {
    if (elf.big) header.writeUInt16BE(value, at2);
    else header.writeUInt16LE(value, at2);
  };
  write(type === "exec" ? 2 : 3, 16);
  write(elf.machine, 18);
  return header;
}
function parseRegistration(name, text) {
  const lines = text.split("\n").map((l) => l.trim());
  const value = (key) => lines.find((l) => l.startsWith(`${key} `) || l === key)?.slice(key.length).trim();
  const magic = value("magic");
  if (magic === void 0 || !/^[0-9a-f]*$/i.test(magic)) return void 0;
  const mask = value("mask");
  return {
    name,
    enabled: lines[0] === "enabled",
    interpreter: value("interpreter") ?? "",
    flags: value("flags:") ?? "",
    offset: Number(value("offset") ?? 0),
    magic: Buffer.from(magic, "hex"),
    mask: mask && /^[0-9a-f]+$/i.test(mask) ? Buffer.from(mask, "hex") : Buffer.alloc(0)
  };
}
function matches(registration, header) {
  const { magic, mask, offset } = registration;
  if (magic.length === 0 || offset + magic.length > header.length) return false;
  for (let i = 0; i < magic.length; i++) {
    const m2 = i < mask.length ? mask[i] : 255;
    if ((header[offset + i] ^ magic[i]) & m2) return false;
  }
  return true;
}
async function readRegistrations(dir = BINFMT_DIR) {
  let names;
  try {
    names = await fs3.readdir(dir);
  } catch {
    return void 0;
  }
  if (!names.includes("register")) return void 0;
  const out = [];
  for (const name of names) {
    if (name === "register" || name === "status") continue;
    const text = await fs3.readFile(path2.join(dir, name), "utf8").catch(() => "");
    const registration = parseRegistration(name, text);
    if (registration) out.push(registration);
  }
  return out;
}
function runsNatively(platform, runner) {
  if (platform.os !== runner.os) return false;
  if (platform.architecture === runner.architecture) return true;
  return (ALSO_NATIVE[runner.architecture] ?? []).includes(platform.architecture);
}
var SETUP_QEMU = "where Docker is available, `uses: docker/setup-qemu-action@v3` before this step does the same";
function emulationProblem(platform, name, runner, registrations, dir = BINFMT_DIR) {
  if (runsNatively(platform, runner)) return void 0;
  const elf = ELF[platform.architecture];
  if (platform.os !== "linux" || !elf) {
    return `${name} cannot be built on this ${runner.os}/${runner.architecture} runner.`;
  }
  const headers = [
    elfHeader(platform.architecture, "exec"),
    elfHeader(platform.architecture, "dyn")
  ];
  const found = (registrations ?? []).filter((r) => headers.every((h) => matches(r, h)));
  const usable = found.find((r) => r.enabled && r.flags.includes("F"));
  if (usable) return void 0;
  const conf = `/usr/lib/binfmt.d/qemu-${elf.qemu}.conf`;
  const need = `${name} needs QEMU user emulation: this ${runner.os}/${runner.architecture} runner cannot run ${platform.architecture} programs (RUN steps) by itself`;
  const disabled = found.find((r) => !r.enabled && r.flags.includes("F"));
  if (disabled) {
    return `${need}, and its binfmt_misc registration ${disabled.name} is disabled. Enable it before this step: \`sudo sh -c 'echo 1 > ${dir}/${disabled.name}'\`.`;
  }
  const [withoutF] = found;
  if (withoutF) {
    return `${need}, and its binfmt_misc registration ${withoutF.name} lacks the F flag, without which the interpreter ${withoutF.interpreter || "(unknown)"} cannot be found inside the build's container. Register it again with the F flag before this step, e.g. with Debian/Ubuntu's qemu-user-static: \`sudo sh -c 'echo -1 > ${dir}/${withoutF.name} && cat ${conf} > ${dir}/register'\`; ${SETUP_QEMU}.`;
  }
  const mount = registrations === void 0 ? `mount -t binfmt_misc binfmt_misc ${dir} 2>/dev/null; ` : "";
  return `${need}, and no binfmt_misc registration handles them. Register QEMU with the F flag before this step, e.g. with Debian/Ubuntu's qemu-user-static: \`sudo apt-get install -y qemu-user-static && sudo sh -c '${mount}[ -e ${dir}/qemu-${elf.qemu} ] || cat ${conf} > ${dir}/register'\`; ${SETUP_QEMU}.`;
}

// src/build/release-flow.ts
function releasedByAction(inputs) {
  return inputs.platforms.length > 0 || inputs.skipUnchanged;
}
async function checkEmulation(platforms) {
  const runner = runnerPlatform();
  const registrations = await readRegistrations(BINFMT_DIR);
  const problems = platforms.map((name) => emulationProblem(parsePlatform(name), name, runner, registrations)).filter((p2) => p2 !== void 0);
  if (problems.length > 0) {
    throw new BuildFailure(
      problems.join("\n"),
      "Nothing was built. Register the emulation on the runner (see above), move the `RUN` steps into a stage on `$BUILDPLATFORM` (cross-compiling), or drop the platform from `platforms`."
    );
  }
}
async function buildPlatform(plan2, name, flow, outputDir, log) {
  const { inputs } = flow;
  const layout = { platform: name, reproducible: inputs.skipUnchanged };
  const args = kanikoArgs(plan2, inputs, flow.meta, flow.paths, flow.proxies, layout, flow.mirror);
  await runExecutor(args, { ...flow.run, outputDir }, log);
  let image;
  try {
    image = await readLayout(layoutPathIn(outputDir));
  } catch (error2) {
    throw new BuildFailure(
      `kaniko's OCI layout cannot be read: ${errorMessage(error2)}`,
      "Check that the executor image is a kaniko executor and that `extra-args` does not change `--oci-layout-path`.",
      { cause: error2 }
    );
  }
  const written = await readDigest(digestFileIn(outputDir));
  if (written !== "" && written !== image.manifest.digest) {
    throw new BuildFailure(
      `kaniko's digest file says ${written}, its OCI layout ${image.manifest.digest}`,
      "Check that `extra-args` does not change `--digest-file` or `--oci-layout-path`."
    );
  }
  const built = builtPlatform(image);
  if (name !== void 0 && platformKey(parsePlatform(name)) !== platformKey(image.platform)) {
    throw new BuildFailure(
      `kaniko built ${built} where ${name} was asked`,
      "Check that `extra-args` does not set `--custom-platform`."
    );
  }
  log.note(`Built ${name ?? built}: ${image.manifest.digest}`);
  return { name: name ?? built, image };
}
function readDockerfile(flow) {
  const file = path3.join(flow.run.context, flow.inputs.dockerfile);
  return fs4.readFile(file, "utf8").catch(() => "");
}
function asFailure(error2) {
  if (error2 instanceof ReleaseError)
    return new BuildFailure(error2.message, error2.hint, { cause: error2 });
  if (error2 instanceof RegistryError || error2 instanceof HttpError) {
    return new BuildFailure(
      `the release failed: ${errorMessage(error2)}`,
      "Check the registry, the credentials (they need write access) and the network, then re-run the job.",
      { cause: error2 }
    );
  }
  return error2;
}
async function buildAndRelease(plan2, flow, log) {
  const { inputs } = flow;
  const multiPlatform = inputs.platforms.length > 0;
  const names = multiPlatform ? inputs.platforms : [void 0];
  const { baseRepositoriesOn, parseDockerfile, runsOnTargetPlatform } = await import("./chunks/parse-2A7GUED3.js");
  const model = parseDockerfile(await readDockerfile(flow));
  if (multiPlatform && (model.stages.length === 0 || runsOnTargetPlatform(model)))
    await checkEmulation(inputs.platforms);
  const outputDirs = [];
  try {
    const images = [];
    for (const [i, name] of names.entries()) {
      if (name) log.note(`Platform ${name} (${i + 1}/${names.length}):`);
      const outputDir = await fs4.mkdtemp(path3.join(flow.temp, "output-"));
      outputDirs.push(outputDir);
      images.push(await buildPlatform(plan2, name, flow, outputDir, log));
    }
    return await releaseBuilt(
      flow.registry,
      {
        ref: plan2.ref,
        version: plan2.version,
        previous: plan2.previous,
        tags: plan2.tags,
        images,
        multiPlatform,
        skipUnchanged: inputs.skipUnchanged,
        push: inputs.push,
        // The repositories of the image's registry that its base images come from.
        mountFrom: baseRepositoriesOn(model, plan2.ref.registry, {
          buildArgs: inputs.buildArgs,
          target: inputs.target
        }).filter((r) => r !== plan2.ref.repository)
      },
      (text) => log.note(text)
    );
  } catch (error2) {
    throw asFailure(error2);
  } finally {
    for (const dir of outputDirs) await fs4.rm(dir, { recursive: true, force: true });
  }
}

// src/build/result.ts
var SKIPPED_BY_FAIL_FAST = "not built: an earlier directory failed and 'fail-fast' is true";
function baseFailed(directory) {
  return `base ${directory} failed`;
}
function failedResult({ directory, error: error2 }) {
  return {
    directory,
    image: "",
    version: "",
    previous: "",
    tags: [],
    digest: "",
    platforms: {},
    reason: "",
    status: "failed",
    error: error2,
    durationMs: 0,
    webUrl: ""
  };
}
function resultOf(plan2, latest, status2 = "failed", error2 = "") {
  return {
    ...failedResult({ directory: plan2.directory, error: error2 }),
    image: plan2.ref.reference,
    version: plan2.version,
    previous: plan2.previous,
    tags: latest ? [plan2.version, "latest"] : [plan2.version],
    reason: plan2.reason,
    status: status2
  };
}

// src/build/image.ts
function webUrlOf(plan2, ctx) {
  const env = ctx.env ?? process.env;
  return imageWebUrl(plan2.ref, {
    repository: env.GITHUB_REPOSITORY,
    serverUrl: env.GITHUB_SERVER_URL
  });
}
function buildContext(directory, inputs) {
  if (inputs.context === "") return { context: directory, dockerfile: inputs.dockerfile };
  const inside = path4.posix.relative(inputs.context, directory);
  if (inside === "") return { context: directory, dockerfile: inputs.dockerfile };
  if (inside === ".." || inside.startsWith("../") || path4.posix.isAbsolute(inside)) {
    throw new BuildFailure(
      `the image directory ${plain(directory)} is outside the build context ${plain(inputs.context)}, so kaniko cannot read its ${plain(inputs.dockerfile)}`,
      `Set 'context' to a directory that holds every image directory (e.g. '.'), or leave ${plain(directory)} out of 'patterns'.`
    );
  }
  return { context: inputs.context, dockerfile: `${inside}/${inputs.dockerfile}` };
}
function executorRun(plan2, shared, context) {
  const { ctx } = shared;
  return {
    runtime: ctx.runtime,
    executor: ctx.executor,
    context: path4.resolve(ctx.workspace, context),
    dockerConfig: ctx.credentials.configPath,
    env: shared.proxies,
    directory: plan2.directory
  };
}
async function headRevision(workspace2, env) {
  return await new Git(workspace2, env).headCommit() || (env.GITHUB_SHA ?? "");
}
async function digestOf(registry, ref, tag, when) {
  try {
    return await registry.digestOf(ref, tag);
  } catch (error2) {
    throw new BuildFailure(
      `cannot look up ${ref.reference}:${tag} ${when}: ${errorMessage(error2)}`,
      "Check the registry, the credentials and the network, then re-run the job.",
      { cause: error2 }
    );
  }
}
async function buildOne(plan2, shared, log, onTags) {
  const { ctx, registry } = shared;
  const image = plan2.ref.reference;
  const { context, dockerfile } = buildContext(plan2.directory, ctx.inputs);
  const inputs = { ...ctx.inputs, dockerfile };
  let tags;
  try {
    const { revision: sha, branch } = shared.meta;
    tags = imageTags(plan2.version, inputs.latest, inputs.tags, { sha, branch });
  } catch (error2) {
    throw new BuildFailure(
      errorMessage(error2),
      "Change the `tags` input, or run the release where the value it needs is known."
    );
  }
  onTags(tags);
  if (inputs.push) {
    const existing = await digestOf(registry, plan2.ref, plan2.version, "before the build");
    if (existing !== null) {
      throw new BuildFailure(
        `${image}:${plan2.version} already exists; another run may have pushed it`,
        "A released version is never overwritten. Re-run the workflow so the next version is picked, or give a new `version`."
      );
    }
  }
  if (releasedByAction(inputs)) {
    const run2 = executorRun(plan2, shared, context);
    const released = await buildAndRelease({ ...plan2, tags }, { ...shared, inputs, run: run2 }, log);
    return released.status === "built" ? released : { ...released, webUrl: webUrlOf(plan2, ctx) };
  }
  const outputDir = await fs5.mkdtemp(path4.join(shared.temp, "output-"));
  try {
    const args = kanikoArgs(
      { ...plan2, tags },
      inputs,
      shared.meta,
      shared.paths,
      shared.proxies,
      void 0,
      shared.mirror
    );
    await runExecutor(args, { ...executorRun(plan2, shared, context), outputDir }, log);
    const digest = await readDigest(digestFileIn(outputDir));
    if (!inputs.push) return { status: "built", digest };
    if (digest === "") {
      throw new BuildFailure(
        "kaniko wrote no digest file, so the pushed image cannot be verified",
        "Check that the executor image is a kaniko executor and that `extra-args` does not change `--digest-file`."
      );
    }
    for (const tag of tags) {
      const served = await digestOf(registry, plan2.ref, tag, "after the push");
      if (served !== digest) {
        throw new BuildFailure(
          `the registry serves ${served ?? "nothing"} for ${image}:${tag}, but kaniko pushed ${digest}`,
          "Another run may have pushed the same tag at the same moment; check the tags of the image in the registry before re-running."
        );
      }
    }
    log.note(`Pushed ${image} as ${tags.join(", ")} (${digest}).`);
    return { status: "pushed", digest, webUrl: webUrlOf(plan2, ctx) };
  } finally {
    await fs5.rm(outputDir, { recursive: true, force: true });
  }
}
async function runOne(plan2, shared, index, total) {
  const { inputs } = shared.ctx;
  const result = resultOf(plan2, inputs.latest);
  const directory = plain(plan2.directory);
  const title = `Build ${directory} \u2192 ${plan2.ref.reference}:${plan2.version} (${index + 1}/${total})`;
  if (!shared.live) shared.sink.info(`Started ${directory} (${index + 1}/${total}).`);
  const log = openGroup(title, shared.live, shared.sink);
  shared.ctx.statuses?.started(plan2);
  const started = Date.now();
  let hint = "";
  try {
    Object.assign(result, await buildOne(plan2, shared, log, (tags) => result.tags = tags));
  } catch (error2) {
    result.status = "failed";
    result.error = errorMessage(error2);
    hint = error2 instanceof BuildFailure ? error2.hint : "This is unexpected; re-run the job with debug logging.";
    log.note(`Failed: ${result.error}`);
  } finally {
    result.durationMs = Date.now() - started;
    log.note(`${directory}: ${result.status} in ${result.durationMs} ms.`);
    log.close();
  }
  if (result.status === "failed") {
    error(`${directory}: ${result.error}
${hint}`, {
      title: `kaniko-release: ${directory} failed`
    });
  }
  shared.ctx.statuses?.finished(result);
  return result;
}

// src/build/images.ts
var DEFAULT_CONTAINER_PATHS = {
  context: CONTAINER_CONTEXT,
  outputDir: CONTAINER_OUTPUT
};
async function buildImages(plans, ctx) {
  if (plans.length === 0) return [];
  const env = ctx.env ?? process.env;
  if (ctx.registry) return buildAll(plans, ctx, env, ctx.registry);
  const registries = new Registries(ctx.inputs);
  try {
    return await buildAll(plans, ctx, env, registries);
  } finally {
    await registries.close();
  }
}
async function buildAll(plans, ctx, env, registry) {
  const { inputs } = ctx;
  const shared = {
    ctx,
    registry,
    meta: {
      source: sourceUrl(env),
      revision: ctx.revision ?? await headRevision(ctx.workspace, env),
      created: (ctx.created ?? /* @__PURE__ */ new Date()).toISOString(),
      branch: branchOf(env)
    },
    paths: ctx.containerPaths ?? DEFAULT_CONTAINER_PATHS,
    proxies: proxyEnv(env),
    mirror: ctx.baseMirror,
    temp: ctx.runtime.workDir || runnerTemp(env),
    live: inputs.parallel <= 1 || plans.length === 1,
    sink: ctx.log ?? coreSink
  };
  const workers = Math.max(1, Math.min(inputs.parallel, plans.length));
  const waves = waveCount(plans);
  shared.sink.info(
    `Building ${plural(plans.length, "directory", "directories")}${waves > 1 ? ` in ${waves} waves` : ""}${workers > 1 ? `, ${workers} at once` : ""}${inputs.push ? "" : " without pushing"}.`
  );
  const dependents = plans.filter((p2) => (p2.bases ?? []).length > 0);
  if (!inputs.push && dependents.length > 0) {
    notice(
      `Nothing is pushed ('push' is false), so ${dependents.map((p2) => plain(p2.directory)).join(", ")} ${dependents.length === 1 ? "was" : "were"} built on the base image the registry holds, not on the base built in this run.`
    );
  }
  const results = /* @__PURE__ */ new Map();
  const failedUnder = /* @__PURE__ */ new Map();
  let stop = false;
  let started = 0;
  for (let wave = 0; wave < waves; wave++) {
    const ready = [];
    for (const plan2 of plans.filter((p2) => p2.wave === wave)) {
      const failed = failedBase(plan2, results, failedUnder);
      if (stop) {
        results.set(plan2.directory, resultOf(plan2, inputs.latest, "skipped", SKIPPED_BY_FAIL_FAST));
      } else if (failed !== void 0) {
        failedUnder.set(plan2.directory, failed);
        results.set(plan2.directory, resultOf(plan2, inputs.latest, "skipped", baseFailed(failed)));
      } else {
        ready.push(plan2);
      }
    }
    if (ready.length === 0) continue;
    if (waves > 1)
      shared.sink.info(
        `Wave ${wave + 1} of ${waves}: ${ready.map((p2) => plain(p2.directory)).join(", ")}.`
      );
    const first = started;
    started += ready.length;
    const done = await mapBounded(
      ready,
      workers,
      async (plan2, index) => {
        const result = await runOne(plan2, shared, first + index, plans.length);
        if (result.status === "failed" && inputs.failFast) stop = true;
        return result;
      },
      { stopOnError: false, shouldStop: () => stop }
    );
    ready.forEach((plan2, i) => {
      results.set(
        plan2.directory,
        done[i] ?? resultOf(plan2, inputs.latest, "skipped", SKIPPED_BY_FAIL_FAST)
      );
    });
  }
  return plans.map((plan2) => results.get(plan2.directory));
}
function failedBase(plan2, results, failedUnder) {
  for (const base of plan2.bases ?? []) {
    if (results.get(base)?.status === "failed") return base;
    const below = failedUnder.get(base);
    if (below !== void 0) return below;
  }
  return void 0;
}

// src/executor/install.ts
import * as fs8 from "node:fs";
import * as os2 from "node:os";
import * as path6 from "node:path";

// src/executor/reference.ts
function parseExecutorReference(image) {
  const name = parseReference(image);
  const reference = name?.digest ?? name?.tag;
  if (!name || reference === void 0) {
    throw new Error(
      `The executor image ${image} is not 'registry/repository:tag' or '\u2026@sha256:\u2026'.`
    );
  }
  return {
    image,
    registry: name.registry,
    apiHost: name.registry === "docker.io" ? DOCKER_HUB_REGISTRY_HOST : name.registry,
    repository: name.repository,
    reference,
    ...name.digest === void 0 ? {} : { digest: name.digest }
  };
}
function cacheArch(platform) {
  return platform.variant ? `${platform.architecture}-${platform.variant}` : platform.architecture;
}
function cacheVersion(manifestDigest) {
  if (!SHA256_DIGEST.test(manifestDigest))
    throw new Error(`${manifestDigest} is not a sha256 digest.`);
  return `0.0.0-sha256-${manifestDigest.slice("sha256:".length)}`;
}

// src/executor/unpack.ts
import * as fs7 from "node:fs";
import * as path5 from "node:path";

// node_modules/tar/dist/esm/index.min.js
import Qr from "events";
import I from "fs";
import { EventEmitter as Di } from "node:events";
import Cs from "node:stream";
import { StringDecoder as Hr } from "node:string_decoder";
import cr from "node:path";
import Kt from "node:fs";
import { dirname as Fn, parse as kn } from "path";
import { EventEmitter as Dn } from "events";
import zi from "assert";
import { Buffer as Ot } from "buffer";
import * as Ps from "zlib";
import en from "zlib";
import { posix as Zt } from "node:path";
import { basename as _n } from "node:path";
import mi from "fs";
import X from "fs";
import js from "path";
import { win32 as Pn } from "node:path";
import ar from "path";
import Br from "node:fs";
import co from "node:assert";
import { randomBytes as Mr } from "node:crypto";
import u from "node:fs";
import R from "node:path";
import pr from "fs";
import wi from "node:fs";
import we from "node:path";
import k from "node:fs";
import ro from "node:fs/promises";
import Si from "node:path";
import { join as xr } from "node:path";
import v from "node:fs";
import Pr from "node:path";
var zr = Object.defineProperty;
var Ur = (s3, t) => {
  for (var e in t) zr(s3, e, { get: t[e], enumerable: true });
};
var Ds = typeof process == "object" && process ? process : { stdout: null, stderr: null };
var Wr = (s3) => !!s3 && typeof s3 == "object" && (s3 instanceof A || s3 instanceof Cs || Gr(s3) || Zr(s3));
var Gr = (s3) => !!s3 && typeof s3 == "object" && s3 instanceof Di && typeof s3.pipe == "function" && s3.pipe !== Cs.Writable.prototype.pipe;
var Zr = (s3) => !!s3 && typeof s3 == "object" && s3 instanceof Di && typeof s3.write == "function" && typeof s3.end == "function";
var Q = /* @__PURE__ */ Symbol("EOF");
var J = /* @__PURE__ */ Symbol("maybeEmitEnd");
var nt = /* @__PURE__ */ Symbol("emittedEnd");
var De = /* @__PURE__ */ Symbol("emittingEnd");
var qt = /* @__PURE__ */ Symbol("emittedError");
var Ne = /* @__PURE__ */ Symbol("closed");
var Ns = /* @__PURE__ */ Symbol("read");
var Ae = /* @__PURE__ */ Symbol("flush");
var As = /* @__PURE__ */ Symbol("flushChunk");
var z = /* @__PURE__ */ Symbol("encoding");
var Mt = /* @__PURE__ */ Symbol("decoder");
var g = /* @__PURE__ */ Symbol("flowing");
var Qt = /* @__PURE__ */ Symbol("paused");
var Bt = /* @__PURE__ */ Symbol("resume");
var b = /* @__PURE__ */ Symbol("buffer");
var N = /* @__PURE__ */ Symbol("pipes");
var _ = /* @__PURE__ */ Symbol("bufferLength");
var bi = /* @__PURE__ */ Symbol("bufferPush");
var Ie = /* @__PURE__ */ Symbol("bufferShift");
var L = /* @__PURE__ */ Symbol("objectMode");
var S = /* @__PURE__ */ Symbol("destroyed");
var _i = /* @__PURE__ */ Symbol("error");
var Oi = /* @__PURE__ */ Symbol("emitData");
var Is = /* @__PURE__ */ Symbol("emitEnd");
var Ti = /* @__PURE__ */ Symbol("emitEnd2");
var Z = /* @__PURE__ */ Symbol("async");
var xi = /* @__PURE__ */ Symbol("abort");
var Ce = /* @__PURE__ */ Symbol("aborted");
var Jt = /* @__PURE__ */ Symbol("signal");
var Rt = /* @__PURE__ */ Symbol("dataListeners");
var C = /* @__PURE__ */ Symbol("discarded");
var jt = (s3) => Promise.resolve().then(s3);
var Yr = (s3) => s3();
var Kr = (s3) => s3 === "end" || s3 === "finish" || s3 === "prefinish";
var Vr = (s3) => s3 instanceof ArrayBuffer || !!s3 && typeof s3 == "object" && s3.constructor && s3.constructor.name === "ArrayBuffer" && s3.byteLength >= 0;
var $r = (s3) => !Buffer.isBuffer(s3) && ArrayBuffer.isView(s3);
var Fe = class {
  src;
  dest;
  opts;
  ondrain;
  constructor(t, e, i) {
    this.src = t, this.dest = e, this.opts = i, this.ondrain = () => t[Bt](), this.dest.on("drain", this.ondrain);
  }
  unpipe() {
    this.dest.removeListener("drain", this.ondrain);
  }
  proxyErrors(t) {
  }
  end() {
    this.unpipe(), this.opts.end && this.dest.end();
  }
};
var Li = class extends Fe {
  unpipe() {
    this.src.removeListener("error", this.proxyErrors), super.unpipe();
  }
  constructor(t, e, i) {
    super(t, e, i), this.proxyErrors = (r) => this.dest.emit("error", r), t.on("error", this.proxyErrors);
  }
};
var Xr = (s3) => !!s3.objectMode;
var qr = (s3) => !s3.objectMode && !!s3.encoding && s3.encoding !== "buffer";
var A = class extends Di {
  [g] = false;
  [Qt] = false;
  [N] = [];
  [b] = [];
  [L];
  [z];
  [Z];
  [Mt];
  [Q] = false;
  [nt] = false;
  [De] = false;
  [Ne] = false;
  [qt] = null;
  [_] = 0;
  [S] = false;
  [Jt];
  [Ce] = false;
  [Rt] = 0;
  [C] = false;
  writable = true;
  readable = true;
  constructor(...t) {
    let e = t[0] || {};
    if (super(), e.objectMode && typeof e.encoding == "string") throw new TypeError("Encoding and objectMode may not be used together");
    Xr(e) ? (this[L] = true, this[z] = null) : qr(e) ? (this[z] = e.encoding, this[L] = false) : (this[L] = false, this[z] = null), this[Z] = !!e.async, this[Mt] = this[z] ? new Hr(this[z]) : null, e && e.debugExposeBuffer === true && Object.defineProperty(this, "buffer", { get: () => this[b] }), e && e.debugExposePipes === true && Object.defineProperty(this, "pipes", { get: () => this[N] });
    let { signal: i } = e;
    i && (this[Jt] = i, i.aborted ? this[xi]() : i.addEventListener("abort", () => this[xi]()));
  }
  get bufferLength() {
    return this[_];
  }
  get encoding() {
    return this[z];
  }
  set encoding(t) {
    throw new Error("Encoding must be set at instantiation time");
  }
  setEncoding(t) {
    throw new Error("Encoding must be set at instantiation time");
  }
  get objectMode() {
    return this[L];
  }
  set objectMode(t) {
    throw new Error("objectMode must be set at instantiation time");
  }
  get async() {
    return this[Z];
  }
  set async(t) {
    this[Z] = this[Z] || !!t;
  }
  [xi]() {
    this[Ce] = true, this.emit("abort", this[Jt]?.reason), this.destroy(this[Jt]?.reason);
  }
  get aborted() {
    return this[Ce];
  }
  set aborted(t) {
  }
  write(t, e, i) {
    if (this[Ce]) return false;
    if (this[Q]) throw new Error("write after end");
    if (this[S]) return this.emit("error", Object.assign(new Error("Cannot call write after a stream was destroyed"), { code: "ERR_STREAM_DESTROYED" })), true;
    typeof e == "function" && (i = e, e = "utf8"), e || (e = "utf8");
    let r = this[Z] ? jt : Yr;
    if (!this[L] && !Buffer.isBuffer(t)) {
      if ($r(t)) t = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
      else if (Vr(t)) t = Buffer.from(t);
      else if (typeof t != "string") throw new Error("Non-contiguous data written to non-objectMode stream");
    }
    return this[L] ? (this[g] && this[_] !== 0 && this[Ae](true), this[g] ? this.emit("data", t) : this[bi](t), this[_] !== 0 && this.emit("readable"), i && r(i), this[g]) : t.length ? (typeof t == "string" && !(e === this[z] && !this[Mt]?.lastNeed) && (t = Buffer.from(t, e)), Buffer.isBuffer(t) && this[z] && (t = this[Mt].write(t)), this[g] && this[_] !== 0 && this[Ae](true), this[g] ? this.emit("data", t) : this[bi](t), this[_] !== 0 && this.emit("readable"), i && r(i), this[g]) : (this[_] !== 0 && this.emit("readable"), i && r(i), this[g]);
  }
  read(t) {
    if (this[S]) return null;
    if (this[C] = false, this[_] === 0 || t === 0 || t && t > this[_]) return this[J](), null;
    this[L] && (t = null), this[b].length > 1 && !this[L] && (this[b] = [this[z] ? this[b].join("") : Buffer.concat(this[b], this[_])]);
    let e = this[Ns](t || null, this[b][0]);
    return this[J](), e;
  }
  [Ns](t, e) {
    if (this[L]) this[Ie]();
    else {
      let i = e;
      t === i.length || t === null ? this[Ie]() : typeof i == "string" ? (this[b][0] = i.slice(t), e = i.slice(0, t), this[_] -= t) : (this[b][0] = i.subarray(t), e = i.subarray(0, t), this[_] -= t);
    }
    return this.emit("data", e), !this[b].length && !this[Q] && this.emit("drain"), e;
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, t = void 0), typeof e == "function" && (i = e, e = "utf8"), t !== void 0 && this.write(t, e), i && this.once("end", i), this[Q] = true, this.writable = false, (this[g] || !this[Qt]) && this[J](), this;
  }
  [Bt]() {
    this[S] || (!this[Rt] && !this[N].length && (this[C] = true), this[Qt] = false, this[g] = true, this.emit("resume"), this[b].length ? this[Ae]() : this[Q] ? this[J]() : this.emit("drain"));
  }
  resume() {
    return this[Bt]();
  }
  pause() {
    this[g] = false, this[Qt] = true, this[C] = false;
  }
  get destroyed() {
    return this[S];
  }
  get flowing() {
    return this[g];
  }
  get paused() {
    return this[Qt];
  }
  [bi](t) {
    this[L] ? this[_] += 1 : this[_] += t.length, this[b].push(t);
  }
  [Ie]() {
    return this[L] ? this[_] -= 1 : this[_] -= this[b][0].length, this[b].shift();
  }
  [Ae](t = false) {
    do
      ;
    while (this[As](this[Ie]()) && this[b].length);
    !t && !this[b].length && !this[Q] && this.emit("drain");
  }
  [As](t) {
    return this.emit("data", t), this[g];
  }
  pipe(t, e) {
    if (this[S]) return t;
    this[C] = false;
    let i = this[nt];
    return e = e || {}, t === Ds.stdout || t === Ds.stderr ? e.end = false : e.end = e.end !== false, e.proxyErrors = !!e.proxyErrors, i ? e.end && t.end() : (this[N].push(e.proxyErrors ? new Li(this, t, e) : new Fe(this, t, e)), this[Z] ? jt(() => this[Bt]()) : this[Bt]()), t;
  }
  unpipe(t) {
    let e = this[N].find((i) => i.dest === t);
    e && (this[N].length === 1 ? (this[g] && this[Rt] === 0 && (this[g] = false), this[N] = []) : this[N].splice(this[N].indexOf(e), 1), e.unpipe());
  }
  addListener(t, e) {
    return this.on(t, e);
  }
  on(t, e) {
    let i = super.on(t, e);
    if (t === "data") this[C] = false, this[Rt]++, !this[N].length && !this[g] && this[Bt]();
    else if (t === "readable" && this[_] !== 0) super.emit("readable");
    else if (Kr(t) && this[nt]) super.emit(t), this.removeAllListeners(t);
    else if (t === "error" && this[qt]) {
      let r = e;
      this[Z] ? jt(() => r.call(this, this[qt])) : r.call(this, this[qt]);
    }
    return i;
  }
  removeListener(t, e) {
    return this.off(t, e);
  }
  off(t, e) {
    let i = super.off(t, e);
    return t === "data" && (this[Rt] = this.listeners("data").length, this[Rt] === 0 && !this[C] && !this[N].length && (this[g] = false)), i;
  }
  removeAllListeners(t) {
    let e = super.removeAllListeners(t);
    return (t === "data" || t === void 0) && (this[Rt] = 0, !this[C] && !this[N].length && (this[g] = false)), e;
  }
  get emittedEnd() {
    return this[nt];
  }
  [J]() {
    !this[De] && !this[nt] && !this[S] && this[b].length === 0 && this[Q] && (this[De] = true, this.emit("end"), this.emit("prefinish"), this.emit("finish"), this[Ne] && this.emit("close"), this[De] = false);
  }
  emit(t, ...e) {
    let i = e[0];
    if (t !== "error" && t !== "close" && t !== S && this[S]) return false;
    if (t === "data") return !this[L] && !i ? false : this[Z] ? (jt(() => this[Oi](i)), true) : this[Oi](i);
    if (t === "end") return this[Is]();
    if (t === "close") {
      if (this[Ne] = true, !this[nt] && !this[S]) return false;
      let n = super.emit("close");
      return this.removeAllListeners("close"), n;
    } else if (t === "error") {
      this[qt] = i, super.emit(_i, i);
      let n = !this[Jt] || this.listeners("error").length ? super.emit("error", i) : false;
      return this[J](), n;
    } else if (t === "resume") {
      let n = super.emit("resume");
      return this[J](), n;
    } else if (t === "finish" || t === "prefinish") {
      let n = super.emit(t);
      return this.removeAllListeners(t), n;
    }
    let r = super.emit(t, ...e);
    return this[J](), r;
  }
  [Oi](t) {
    for (let i of this[N]) i.dest.write(t) === false && this.pause();
    let e = this[C] ? false : super.emit("data", t);
    return this[J](), e;
  }
  [Is]() {
    return this[nt] ? false : (this[nt] = true, this.readable = false, this[Z] ? (jt(() => this[Ti]()), true) : this[Ti]());
  }
  [Ti]() {
    if (this[Mt]) {
      let e = this[Mt].end();
      if (e) {
        for (let i of this[N]) i.dest.write(e);
        this[C] || super.emit("data", e);
      }
    }
    for (let e of this[N]) e.end();
    let t = super.emit("end");
    return this.removeAllListeners("end"), t;
  }
  async collect() {
    let t = Object.assign([], { dataLength: 0 });
    this[L] || (t.dataLength = 0);
    let e = this.promise();
    return this.on("data", (i) => {
      t.push(i), this[L] || (t.dataLength += i.length);
    }), await e, t;
  }
  async concat() {
    if (this[L]) throw new Error("cannot concat in objectMode");
    let t = await this.collect();
    return this[z] ? t.join("") : Buffer.concat(t, t.dataLength);
  }
  async promise() {
    return new Promise((t, e) => {
      this.on(S, () => e(new Error("stream destroyed"))), this.on("error", (i) => e(i)), this.on("end", () => t());
    });
  }
  [Symbol.asyncIterator]() {
    this[C] = false;
    let t = false, e = async () => (this.pause(), t = true, { value: void 0, done: true });
    return { next: () => {
      if (t) return e();
      let r = this.read();
      if (r !== null) return Promise.resolve({ done: false, value: r });
      if (this[Q]) return e();
      let n, o, h = (d) => {
        this.off("data", a), this.off("end", l), this.off(S, c), e(), o(d);
      }, a = (d) => {
        this.off("error", h), this.off("end", l), this.off(S, c), this.pause(), n({ value: d, done: !!this[Q] });
      }, l = () => {
        this.off("error", h), this.off("data", a), this.off(S, c), e(), n({ done: true, value: void 0 });
      }, c = () => h(new Error("stream destroyed"));
      return new Promise((d, y) => {
        o = y, n = d, this.once(S, c), this.once("error", h), this.once("end", l), this.once("data", a);
      });
    }, throw: e, return: e, [Symbol.asyncIterator]() {
      return this;
    }, [Symbol.asyncDispose]: async () => {
    } };
  }
  [Symbol.iterator]() {
    this[C] = false;
    let t = false, e = () => (this.pause(), this.off(_i, e), this.off(S, e), this.off("end", e), t = true, { done: true, value: void 0 }), i = () => {
      if (t) return e();
      let r = this.read();
      return r === null ? e() : { done: false, value: r };
    };
    return this.once("end", e), this.once(_i, e), this.once(S, e), { next: i, throw: e, return: e, [Symbol.iterator]() {
      return this;
    }, [Symbol.dispose]: () => {
    } };
  }
  destroy(t) {
    if (this[S]) return t ? this.emit("error", t) : this.emit(S), this;
    this[S] = true, this[C] = true, this[b].length = 0, this[_] = 0;
    let e = this;
    return typeof e.close == "function" && !this[Ne] && e.close(), t ? this.emit("error", t) : this.emit(S), this;
  }
  static get isStream() {
    return Wr;
  }
};
var Jr = I.writev;
var ht = /* @__PURE__ */ Symbol("_autoClose");
var H = /* @__PURE__ */ Symbol("_close");
var te = /* @__PURE__ */ Symbol("_ended");
var m = /* @__PURE__ */ Symbol("_fd");
var Ni = /* @__PURE__ */ Symbol("_finished");
var tt = /* @__PURE__ */ Symbol("_flags");
var Ai = /* @__PURE__ */ Symbol("_flush");
var ki = /* @__PURE__ */ Symbol("_handleChunk");
var vi = /* @__PURE__ */ Symbol("_makeBuf");
var ie = /* @__PURE__ */ Symbol("_mode");
var ke = /* @__PURE__ */ Symbol("_needDrain");
var Ut = /* @__PURE__ */ Symbol("_onerror");
var Ht = /* @__PURE__ */ Symbol("_onopen");
var Ii = /* @__PURE__ */ Symbol("_onread");
var Pt = /* @__PURE__ */ Symbol("_onwrite");
var at = /* @__PURE__ */ Symbol("_open");
var U = /* @__PURE__ */ Symbol("_path");
var ot = /* @__PURE__ */ Symbol("_pos");
var Y = /* @__PURE__ */ Symbol("_queue");
var zt = /* @__PURE__ */ Symbol("_read");
var Ci = /* @__PURE__ */ Symbol("_readSize");
var j = /* @__PURE__ */ Symbol("_reading");
var ee = /* @__PURE__ */ Symbol("_remain");
var Fi = /* @__PURE__ */ Symbol("_size");
var ve = /* @__PURE__ */ Symbol("_write");
var gt = /* @__PURE__ */ Symbol("_writing");
var Me = /* @__PURE__ */ Symbol("_defaultFlag");
var bt = /* @__PURE__ */ Symbol("_errored");
var _t = class extends A {
  [bt] = false;
  [m];
  [U];
  [Ci];
  [j] = false;
  [Fi];
  [ee];
  [ht];
  constructor(t, e) {
    if (e = e || {}, super(e), this.readable = true, this.writable = false, typeof t != "string") throw new TypeError("path must be a string");
    this[bt] = false, this[m] = typeof e.fd == "number" ? e.fd : void 0, this[U] = t, this[Ci] = e.readSize || 16 * 1024 * 1024, this[j] = false, this[Fi] = typeof e.size == "number" ? e.size : 1 / 0, this[ee] = this[Fi], this[ht] = typeof e.autoClose == "boolean" ? e.autoClose : true, typeof this[m] == "number" ? this[zt]() : this[at]();
  }
  get fd() {
    return this[m];
  }
  get path() {
    return this[U];
  }
  write() {
    throw new TypeError("this is a readable stream");
  }
  end() {
    throw new TypeError("this is a readable stream");
  }
  [at]() {
    I.open(this[U], "r", (t, e) => this[Ht](t, e));
  }
  [Ht](t, e) {
    t ? this[Ut](t) : (this[m] = e, this.emit("open", e), this[zt]());
  }
  [vi]() {
    return Buffer.allocUnsafe(Math.min(this[Ci], this[ee]));
  }
  [zt]() {
    if (!this[j]) {
      this[j] = true;
      let t = this[vi]();
      if (t.length === 0) return process.nextTick(() => this[Ii](null, 0, t));
      I.read(this[m], t, 0, t.length, null, (e, i, r) => this[Ii](e, i, r));
    }
  }
  [Ii](t, e, i) {
    this[j] = false, t ? this[Ut](t) : this[ki](e, i) && this[zt]();
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.close(t, (e) => e ? this.emit("error", e) : this.emit("close"));
    }
  }
  [Ut](t) {
    this[j] = true, this[H](), this.emit("error", t);
  }
  [ki](t, e) {
    let i = false;
    return this[ee] -= t, t > 0 && (i = super.write(t < e.length ? e.subarray(0, t) : e)), (t === 0 || this[ee] <= 0) && (i = false, this[H](), super.end()), i;
  }
  emit(t, ...e) {
    switch (t) {
      case "prefinish":
      case "finish":
        return false;
      case "drain":
        return typeof this[m] == "number" && this[zt](), false;
      case "error":
        return this[bt] ? false : (this[bt] = true, super.emit(t, ...e));
      default:
        return super.emit(t, ...e);
    }
  }
};
var Be = class extends _t {
  [at]() {
    let t = true;
    try {
      this[Ht](null, I.openSync(this[U], "r")), t = false;
    } finally {
      t && this[H]();
    }
  }
  [zt]() {
    let t = true;
    try {
      if (!this[j]) {
        this[j] = true;
        do {
          let e = this[vi](), i = e.length === 0 ? 0 : I.readSync(this[m], e, 0, e.length, null);
          if (!this[ki](i, e)) break;
        } while (true);
        this[j] = false;
      }
      t = false;
    } finally {
      t && this[H]();
    }
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.closeSync(t), this.emit("close");
    }
  }
};
var et = class extends Qr {
  readable = false;
  writable = true;
  [bt] = false;
  [gt] = false;
  [te] = false;
  [Y] = [];
  [ke] = false;
  [U];
  [ie];
  [ht];
  [m];
  [Me];
  [tt];
  [Ni] = false;
  [ot];
  constructor(t, e) {
    e = e || {}, super(e), this[U] = t, this[m] = typeof e.fd == "number" ? e.fd : void 0, this[ie] = e.mode === void 0 ? 438 : e.mode, this[ot] = typeof e.start == "number" ? e.start : void 0, this[ht] = typeof e.autoClose == "boolean" ? e.autoClose : true;
    let i = this[ot] !== void 0 ? "r+" : "w";
    this[Me] = e.flags === void 0, this[tt] = e.flags === void 0 ? i : e.flags, this[m] === void 0 && this[at]();
  }
  emit(t, ...e) {
    if (t === "error") {
      if (this[bt]) return false;
      this[bt] = true;
    }
    return super.emit(t, ...e);
  }
  get fd() {
    return this[m];
  }
  get path() {
    return this[U];
  }
  [Ut](t) {
    this[H](), this[gt] = true, this.emit("error", t);
  }
  [at]() {
    I.open(this[U], this[tt], this[ie], (t, e) => this[Ht](t, e));
  }
  [Ht](t, e) {
    this[Me] && this[tt] === "r+" && t && t.code === "ENOENT" ? (this[tt] = "w", this[at]()) : t ? this[Ut](t) : (this[m] = e, this.emit("open", e), this[gt] || this[Ai]());
  }
  end(t, e) {
    return t && this.write(t, e), this[te] = true, !this[gt] && !this[Y].length && typeof this[m] == "number" && this[Pt](null, 0), this;
  }
  write(t, e) {
    return typeof t == "string" && (t = Buffer.from(t, e)), this[te] ? (this.emit("error", new Error("write() after end()")), false) : this[m] === void 0 || this[gt] || this[Y].length ? (this[Y].push(t), this[ke] = true, false) : (this[gt] = true, this[ve](t), true);
  }
  [ve](t) {
    I.write(this[m], t, 0, t.length, this[ot], (e, i) => this[Pt](e, i));
  }
  [Pt](t, e) {
    t ? this[Ut](t) : (this[ot] !== void 0 && typeof e == "number" && (this[ot] += e), this[Y].length ? this[Ai]() : (this[gt] = false, this[te] && !this[Ni] ? (this[Ni] = true, this[H](), this.emit("finish")) : this[ke] && (this[ke] = false, this.emit("drain"))));
  }
  [Ai]() {
    if (this[Y].length === 0) this[te] && this[Pt](null, 0);
    else if (this[Y].length === 1) this[ve](this[Y].pop());
    else {
      let t = this[Y];
      this[Y] = [], Jr(this[m], t, this[ot], (e, i) => this[Pt](e, i));
    }
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.close(t, (e) => e ? this.emit("error", e) : this.emit("close"));
    }
  }
};
var Wt = class extends et {
  [at]() {
    let t;
    if (this[Me] && this[tt] === "r+") try {
      t = I.openSync(this[U], this[tt], this[ie]);
    } catch (e) {
      if (e?.code === "ENOENT") return this[tt] = "w", this[at]();
      throw e;
    }
    else t = I.openSync(this[U], this[tt], this[ie]);
    this[Ht](null, t);
  }
  [H]() {
    if (this[ht] && typeof this[m] == "number") {
      let t = this[m];
      this[m] = void 0, I.closeSync(t), this.emit("close");
    }
  }
  [ve](t) {
    let e = true;
    try {
      this[Pt](null, I.writeSync(this[m], t, 0, t.length, this[ot])), e = false;
    } finally {
      if (e) try {
        this[H]();
      } catch {
      }
    }
  }
};
var jr = /* @__PURE__ */ new Map([["C", "cwd"], ["f", "file"], ["z", "gzip"], ["P", "preservePaths"], ["U", "unlink"], ["strip-components", "strip"], ["stripComponents", "strip"], ["keep-newer", "newer"], ["keepNewer", "newer"], ["keep-newer-files", "newer"], ["keepNewerFiles", "newer"], ["k", "keep"], ["keep-existing", "keep"], ["keepExisting", "keep"], ["m", "noMtime"], ["no-mtime", "noMtime"], ["p", "preserveOwner"], ["L", "follow"], ["h", "follow"], ["onentry", "onReadEntry"]]);
var Fs = (s3) => !!s3.sync && !!s3.file;
var ks = (s3) => !s3.sync && !!s3.file;
var vs = (s3) => !!s3.sync && !s3.file;
var Ms = (s3) => !s3.sync && !s3.file;
var Bs = (s3) => !!s3.file;
var tn = (s3) => {
  let t = jr.get(s3);
  return t || s3;
};
var se = (s3 = {}) => {
  if (!s3) return {};
  let t = {};
  for (let [e, i] of Object.entries(s3)) {
    let r = tn(e);
    t[r] = i;
  }
  return t.chmod === void 0 && t.noChmod === false && (t.chmod = true), delete t.noChmod, t;
};
var K = (s3, t, e, i, r) => Object.assign((n = [], o, h) => {
  Array.isArray(n) && (o = n, n = {}), typeof o == "function" && (h = o, o = void 0), o = o ? Array.from(o) : [];
  let a = se(n);
  if (r?.(a, o), Fs(a)) {
    if (typeof h == "function") throw new TypeError("callback not supported for sync tar functions");
    return s3(a, o);
  } else if (ks(a)) {
    let l = t(a, o);
    return h ? l.then(() => h(), h) : l;
  } else if (vs(a)) {
    if (typeof h == "function") throw new TypeError("callback not supported for sync tar functions");
    return e(a, o);
  } else if (Ms(a)) {
    if (typeof h == "function") throw new TypeError("callback only supported with file option");
    return i(a, o);
  }
  throw new Error("impossible options??");
}, { syncFile: s3, asyncFile: t, syncNoFile: e, asyncNoFile: i, validate: r });
var sn = en.constants || { ZLIB_VERNUM: 4736 };
var M = Object.freeze(Object.assign(/* @__PURE__ */ Object.create(null), { Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5, Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6, Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1, Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7, BROTLI_DECODE: 8, BROTLI_ENCODE: 9, Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15, Z_MIN_CHUNK: 64, Z_MAX_CHUNK: 1 / 0, Z_DEFAULT_CHUNK: 16384, Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8, Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1, BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2, BROTLI_OPERATION_EMIT_METADATA: 3, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2, BROTLI_DEFAULT_MODE: 0, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11, BROTLI_MIN_WINDOW_BITS: 10, BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24, BROTLI_PARAM_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_PARAM_LGWIN: 2, BROTLI_PARAM_LGBLOCK: 3, BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5, BROTLI_PARAM_LARGE_WINDOW: 6, BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8, BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1, BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3, BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1, BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3, BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2, BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4, BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6, BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10, BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12, BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14, BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16, BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20, BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22, BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30, BROTLI_DECODER_ERROR_UNREACHABLE: -31 }, sn));
var rn = Ot.concat;
var zs = Object.getOwnPropertyDescriptor(Ot, "concat");
var nn = (s3) => s3;
var Bi = zs?.writable === true || zs?.set !== void 0 ? (s3) => {
  Ot.concat = s3 ? nn : rn;
} : (s3) => {
};
var Tt = /* @__PURE__ */ Symbol("_superWrite");
var Gt = class extends Error {
  code;
  errno;
  constructor(t, e) {
    super("zlib: " + t.message, { cause: t }), this.code = t.code, this.errno = t.errno, this.code || (this.code = "ZLIB_ERROR"), this.message = "zlib: " + t.message, Error.captureStackTrace(this, e ?? this.constructor);
  }
  get name() {
    return "ZlibError";
  }
};
var Pi = /* @__PURE__ */ Symbol("flushFlag");
var re = class extends A {
  #t = false;
  #i = false;
  #s;
  #n;
  #r;
  #e;
  #o;
  get sawError() {
    return this.#t;
  }
  get handle() {
    return this.#e;
  }
  get flushFlag() {
    return this.#s;
  }
  constructor(t, e) {
    if (!t || typeof t != "object") throw new TypeError("invalid options for ZlibBase constructor");
    if (super(t), this.#s = t.flush ?? 0, this.#n = t.finishFlush ?? 0, this.#r = t.fullFlushFlag ?? 0, typeof Ps[e] != "function") throw new TypeError("Compression method not supported: " + e);
    try {
      this.#e = new Ps[e](t);
    } catch (i) {
      throw new Gt(i, this.constructor);
    }
    this.#o = (i) => {
      this.#t || (this.#t = true, this.close(), this.emit("error", i));
    }, this.#e?.on("error", (i) => this.#o(new Gt(i))), this.once("end", () => this.close);
  }
  close() {
    this.#e && (this.#e.close(), this.#e = void 0, this.emit("close"));
  }
  reset() {
    if (!this.#t) return zi(this.#e, "zlib binding closed"), this.#e.reset?.();
  }
  flush(t) {
    this.ended || (typeof t != "number" && (t = this.#r), this.write(Object.assign(Ot.alloc(0), { [Pi]: t })));
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), t && (e ? this.write(t, e) : this.write(t)), this.flush(this.#n), this.#i = true, super.end(i);
  }
  get ended() {
    return this.#i;
  }
  [Tt](t) {
    return super.write(t);
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = "utf8"), typeof t == "string" && (t = Ot.from(t, e)), this.#t) return;
    zi(this.#e, "zlib binding closed");
    let r = this.#e._handle, n = r.close;
    r.close = () => {
    };
    let o = this.#e.close;
    this.#e.close = () => {
    }, Bi(true);
    let h;
    try {
      let l = typeof t[Pi] == "number" ? t[Pi] : this.#s;
      h = this.#e._processChunk(t, l), Bi(false);
    } catch (l) {
      Bi(false), this.#o(new Gt(l, this.write));
    } finally {
      this.#e && (this.#e._handle = r, r.close = n, this.#e.close = o, this.#e.removeAllListeners("error"));
    }
    this.#e && this.#e.on("error", (l) => this.#o(new Gt(l, this.write)));
    let a;
    if (h) if (Array.isArray(h) && h.length > 0) {
      let l = h[0];
      a = this[Tt](Ot.from(l));
      for (let c = 1; c < h.length; c++) a = this[Tt](h[c]);
    } else a = this[Tt](Ot.from(h));
    return i && i(), a;
  }
};
var Pe = class extends re {
  #t;
  #i;
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.Z_NO_FLUSH, t.finishFlush = t.finishFlush || M.Z_FINISH, t.fullFlushFlag = M.Z_FULL_FLUSH, super(t, e), this.#t = t.level, this.#i = t.strategy;
  }
  params(t, e) {
    if (!this.sawError) {
      if (!this.handle) throw new Error("cannot switch params when binding is closed");
      if (!this.handle.params) throw new Error("not supported in this implementation");
      if (this.#t !== t || this.#i !== e) {
        this.flush(M.Z_SYNC_FLUSH), zi(this.handle, "zlib binding closed");
        let i = this.handle.flush;
        this.handle.flush = (r, n) => {
          typeof r == "function" && (n = r, r = this.flushFlag), this.flush(r), n?.();
        };
        try {
          this.handle.params(t, e);
        } finally {
          this.handle.flush = i;
        }
        this.handle && (this.#t = t, this.#i = e);
      }
    }
  }
};
var ze = class extends Pe {
  #t;
  constructor(t) {
    super(t, "Gzip"), this.#t = t && !!t.portable;
  }
  [Tt](t) {
    return this.#t ? (this.#t = false, t[9] = 255, super[Tt](t)) : super[Tt](t);
  }
};
var Ue = class extends Pe {
  constructor(t) {
    super(t, "Unzip");
  }
};
var He = class extends re {
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.BROTLI_OPERATION_PROCESS, t.finishFlush = t.finishFlush || M.BROTLI_OPERATION_FINISH, t.fullFlushFlag = M.BROTLI_OPERATION_FLUSH, super(t, e);
  }
};
var We = class extends He {
  constructor(t) {
    super(t, "BrotliCompress");
  }
};
var Ge = class extends He {
  constructor(t) {
    super(t, "BrotliDecompress");
  }
};
var Ze = class extends re {
  constructor(t, e) {
    t = t || {}, t.flush = t.flush || M.ZSTD_e_continue, t.finishFlush = t.finishFlush || M.ZSTD_e_end, t.fullFlushFlag = M.ZSTD_e_flush, super(t, e);
  }
};
var Ye = class extends Ze {
  constructor(t) {
    super(t, "ZstdCompress");
  }
};
var Ke = class extends Ze {
  constructor(t) {
    super(t, "ZstdDecompress");
  }
};
var Us = (s3, t) => {
  if (Number.isSafeInteger(s3)) s3 < 0 ? an(s3, t) : hn(s3, t);
  else throw Error("cannot encode number outside of javascript safe integer range");
  return t;
};
var hn = (s3, t) => {
  t[0] = 128;
  for (var e = t.length; e > 1; e--) t[e - 1] = s3 & 255, s3 = Math.floor(s3 / 256);
};
var an = (s3, t) => {
  t[0] = 255;
  var e = false;
  s3 = s3 * -1;
  for (var i = t.length; i > 1; i--) {
    var r = s3 & 255;
    s3 = Math.floor(s3 / 256), e ? t[i - 1] = Ws(r) : r === 0 ? t[i - 1] = 0 : (e = true, t[i - 1] = Gs(r));
  }
};
var Hs = (s3) => {
  let t = s3[0], e = t === 128 ? cn(s3.subarray(1, s3.length)) : t === 255 ? ln(s3) : null;
  if (e === null) throw Error("invalid base256 encoding");
  if (!Number.isSafeInteger(e)) throw Error("parsed number outside of javascript safe integer range");
  return e;
};
var ln = (s3) => {
  for (var t = s3.length, e = 0, i = false, r = t - 1; r > -1; r--) {
    var n = Number(s3[r]), o;
    i ? o = Ws(n) : n === 0 ? o = n : (i = true, o = Gs(n)), o !== 0 && (e -= o * Math.pow(256, t - r - 1));
  }
  return e;
};
var cn = (s3) => {
  for (var t = s3.length, e = 0, i = t - 1; i > -1; i--) {
    var r = Number(s3[i]);
    r !== 0 && (e += r * Math.pow(256, t - i - 1));
  }
  return e;
};
var Ws = (s3) => (255 ^ s3) & 255;
var Gs = (s3) => (255 ^ s3) + 1 & 255;
var Hi = {};
Ur(Hi, { code: () => Ve, isCode: () => ne, isName: () => dn, name: () => oe, normalFsTypes: () => Ui });
var ne = (s3) => oe.has(s3);
var dn = (s3) => Ve.has(s3);
var Ui = /* @__PURE__ */ new Set(["0", "", "1", "2", "3", "4", "5", "6", "7", "D"]);
var oe = /* @__PURE__ */ new Map([["0", "File"], ["", "OldFile"], ["1", "Link"], ["2", "SymbolicLink"], ["3", "CharacterDevice"], ["4", "BlockDevice"], ["5", "Directory"], ["6", "FIFO"], ["7", "ContiguousFile"], ["g", "GlobalExtendedHeader"], ["x", "ExtendedHeader"], ["A", "SolarisACL"], ["D", "GNUDumpDir"], ["I", "Inode"], ["K", "NextFileHasLongLinkpath"], ["L", "NextFileHasLongPath"], ["M", "ContinuationFile"], ["N", "OldGnuLongPath"], ["S", "SparseFile"], ["V", "TapeVolumeHeader"], ["X", "OldExtendedHeader"]]);
var Ve = new Map(Array.from(oe).map((s3) => [s3[1], s3[0]]));
var un = (s3) => s3 === void 0 || s3 < 0 ? void 0 : s3;
var F = class {
  cksumValid = false;
  needPax = false;
  nullBlock = false;
  block;
  path;
  mode;
  uid;
  gid;
  size;
  cksum;
  #t = "Unsupported";
  linkpath;
  uname;
  gname;
  devmaj = 0;
  devmin = 0;
  atime;
  ctime;
  mtime;
  charset;
  comment;
  constructor(t, e = 0, i, r) {
    Buffer.isBuffer(t) ? this.decode(t, e || 0, i, r) : t && this.#i(t);
  }
  decode(t, e, i, r) {
    if (e || (e = 0), !t || !(t.length >= e + 512)) throw new Error("need 512 bytes for header");
    let n = xt(t, e + 156, 1), o = Ui.has(n), h = o ? i : void 0, a = o ? r : void 0;
    if (this.path = h?.path ?? xt(t, e, 100), this.mode = h?.mode ?? a?.mode ?? lt(t, e + 100, 8), this.uid = h?.uid ?? a?.uid ?? lt(t, e + 108, 8), this.gid = h?.gid ?? a?.gid ?? lt(t, e + 116, 8), this.size = un(h?.size ?? a?.size ?? lt(t, e + 124, 12)), this.mtime = h?.mtime ?? a?.mtime ?? Wi(t, e + 136, 12), this.cksum = lt(t, e + 148, 12), a && this.#i(a, true), h && this.#i(h), ne(n) && (this.#t = n || "0"), this.#t === "0" && this.path.slice(-1) === "/" && (this.#t = "5"), this.#t === "5" && (this.size = 0), this.linkpath = xt(t, e + 157, 100), t.subarray(e + 257, e + 265).toString() === "ustar\x0000") if (this.uname = h?.uname ?? a?.uname ?? xt(t, e + 265, 32), this.gname = h?.gname ?? a?.gname ?? xt(t, e + 297, 32), this.devmaj = h?.devmaj ?? a?.devmaj ?? lt(t, e + 329, 8) ?? 0, this.devmin = h?.devmin ?? a?.devmin ?? lt(t, e + 337, 8) ?? 0, t[e + 475] !== 0) {
      let c = xt(t, e + 345, 155);
      this.path = c + "/" + this.path;
    } else {
      let c = xt(t, e + 345, 130);
      c && (this.path = c + "/" + this.path), this.atime = i?.atime ?? r?.atime ?? Wi(t, e + 476, 12), this.ctime = i?.ctime ?? r?.ctime ?? Wi(t, e + 488, 12);
    }
    let l = 256;
    for (let c = e; c < e + 148; c++) l += t[c];
    for (let c = e + 156; c < e + 512; c++) l += t[c];
    this.cksumValid = l === this.cksum, this.cksum === void 0 && l === 256 && (this.nullBlock = true);
  }
  #i(t, e = false) {
    Object.assign(this, Object.fromEntries(Object.entries(t).filter(([i, r]) => !(r == null || i === "size" && Number(r) < 0 || i === "path" && e || i === "linkpath" && e || i === "global"))));
  }
  encode(t, e = 0) {
    if (t || (t = this.block = Buffer.alloc(512)), this.#t === "Unsupported" && (this.#t = "0"), !(t.length >= e + 512)) throw new Error("need 512 bytes for header");
    let i = this.ctime || this.atime ? 130 : 155, r = mn(this.path || "", i), n = r[0], o = r[1];
    this.needPax = !!r[2], this.needPax = Lt(t, e, 100, n) || this.needPax, this.needPax = ct(t, e + 100, 8, this.mode) || this.needPax, this.needPax = ct(t, e + 108, 8, this.uid) || this.needPax, this.needPax = ct(t, e + 116, 8, this.gid) || this.needPax, this.needPax = ct(t, e + 124, 12, this.size) || this.needPax, this.needPax = Gi(t, e + 136, 12, this.mtime) || this.needPax, t[e + 156] = Number(this.#t.codePointAt(0)), this.needPax = Lt(t, e + 157, 100, this.linkpath) || this.needPax, t.write("ustar\x0000", e + 257, 8), this.needPax = Lt(t, e + 265, 32, this.uname) || this.needPax, this.needPax = Lt(t, e + 297, 32, this.gname) || this.needPax, this.needPax = ct(t, e + 329, 8, this.devmaj) || this.needPax, this.needPax = ct(t, e + 337, 8, this.devmin) || this.needPax, this.needPax = Lt(t, e + 345, i, o) || this.needPax, t[e + 475] !== 0 ? this.needPax = Lt(t, e + 345, 155, o) || this.needPax : (this.needPax = Lt(t, e + 345, 130, o) || this.needPax, this.needPax = Gi(t, e + 476, 12, this.atime) || this.needPax, this.needPax = Gi(t, e + 488, 12, this.ctime) || this.needPax);
    let h = 256;
    for (let a = e; a < e + 148; a++) h += t[a];
    for (let a = e + 156; a < e + 512; a++) h += t[a];
    return this.cksum = h, ct(t, e + 148, 8, this.cksum), this.cksumValid = true, this.needPax;
  }
  get type() {
    return this.#t === "Unsupported" ? this.#t : oe.get(this.#t);
  }
  get typeKey() {
    return this.#t;
  }
  set type(t) {
    let e = String(Ve.get(t));
    if (ne(e) || e === "Unsupported") this.#t = e;
    else if (ne(t)) this.#t = t;
    else throw new TypeError("invalid entry type: " + t);
  }
};
var mn = (s3, t) => {
  let i = s3, r = "", n, o = Zt.parse(s3).root || ".";
  if (Buffer.byteLength(i) < 100) n = [i, r, false];
  else {
    r = Zt.dirname(i), i = Zt.basename(i);
    do
      Buffer.byteLength(i) <= 100 && Buffer.byteLength(r) <= t ? n = [i, r, false] : Buffer.byteLength(i) > 100 && Buffer.byteLength(r) <= t ? n = [i.slice(0, 99), r, true] : (i = Zt.join(Zt.basename(r), i), r = Zt.dirname(r));
    while (r !== o && n === void 0);
    n || (n = [s3.slice(0, 99), "", true]);
  }
  return n;
};
var xt = (s3, t, e) => s3.subarray(t, t + e).toString("utf8").replace(/\0.*/, "");
var Wi = (s3, t, e) => pn(lt(s3, t, e));
var pn = (s3) => s3 === void 0 ? void 0 : new Date(s3 * 1e3);
var lt = (s3, t, e) => Number(s3[t]) & 128 ? Hs(s3.subarray(t, t + e)) : wn(s3, t, e);
var En = (s3) => isNaN(s3) ? void 0 : s3;
var wn = (s3, t, e) => En(parseInt(s3.subarray(t, t + e).toString("utf8").replace(/\0.*$/, "").trim(), 8));
var Sn = { 12: 8589934591, 8: 2097151 };
var ct = (s3, t, e, i) => i === void 0 ? false : i > Sn[e] || i < 0 ? (Us(i, s3.subarray(t, t + e)), true) : (yn(s3, t, e, i), false);
var yn = (s3, t, e, i) => s3.write(Rn(i, e), t, e, "ascii");
var Rn = (s3, t) => gn(Math.floor(s3).toString(8), t);
var gn = (s3, t) => (s3.length === t - 1 ? s3 : new Array(t - s3.length - 1).join("0") + s3 + " ") + "\0";
var Gi = (s3, t, e, i) => i === void 0 ? false : ct(s3, t, e, i.getTime() / 1e3);
var bn = new Array(156).join("\0");
var Lt = (s3, t, e, i) => i === void 0 ? false : (s3.write(i + bn, t, e, "utf8"), i.length !== Buffer.byteLength(i) || i.length > e);
var ft = class s {
  atime;
  mtime;
  ctime;
  charset;
  comment;
  gid;
  uid;
  gname;
  uname;
  linkpath;
  dev;
  ino;
  nlink;
  path;
  size;
  mode;
  global;
  constructor(t, e = false) {
    this.atime = t.atime, this.charset = t.charset, this.comment = t.comment, this.ctime = t.ctime, this.dev = t.dev, this.gid = t.gid, this.global = e, this.gname = t.gname, this.ino = t.ino, this.linkpath = t.linkpath, this.mtime = t.mtime, this.nlink = t.nlink, this.path = t.path, this.size = t.size, this.uid = t.uid, this.uname = t.uname;
  }
  encode() {
    let t = this.encodeBody();
    if (t === "") return Buffer.allocUnsafe(0);
    let e = Buffer.byteLength(t), i = 512 * Math.ceil(1 + e / 512), r = Buffer.allocUnsafe(i);
    for (let n = 0; n < 512; n++) r[n] = 0;
    new F({ path: ("PaxHeader/" + _n(this.path ?? "")).slice(0, 99), mode: this.mode || 420, uid: this.uid, gid: this.gid, size: e, mtime: this.mtime, type: this.global ? "GlobalExtendedHeader" : "ExtendedHeader", linkpath: "", uname: this.uname || "", gname: this.gname || "", devmaj: 0, devmin: 0, atime: this.atime, ctime: this.ctime }).encode(r), r.write(t, 512, e, "utf8");
    for (let n = e + 512; n < r.length; n++) r[n] = 0;
    return r;
  }
  encodeBody() {
    return this.encodeField("path") + this.encodeField("ctime") + this.encodeField("atime") + this.encodeField("dev") + this.encodeField("ino") + this.encodeField("nlink") + this.encodeField("charset") + this.encodeField("comment") + this.encodeField("gid") + this.encodeField("gname") + this.encodeField("linkpath") + this.encodeField("mtime") + this.encodeField("size") + this.encodeField("uid") + this.encodeField("uname");
  }
  encodeField(t) {
    if (this[t] === void 0) return "";
    let e = this[t], i = e instanceof Date ? e.getTime() / 1e3 : e, r = " " + (t === "dev" || t === "ino" || t === "nlink" ? "SCHILY." : "") + t + "=" + i + `
`, n = Buffer.byteLength(r), o = Math.floor(Math.log(n) / Math.log(10)) + 1;
    return n + o >= Math.pow(10, o) && (o += 1), o + n + r;
  }
  static parse(t, e, i = false) {
    return new s(On(Tn(t), e), i);
  }
};
var On = (s3, t) => t ? Object.assign({}, t, s3) : s3;
var Tn = (s3) => s3.replace(/\n$/, "").split(`
`).reduce(xn, /* @__PURE__ */ Object.create(null));
var xn = (s3, t) => {
  let e = parseInt(t, 10);
  if (e !== Buffer.byteLength(t) + 1) return s3;
  t = t.slice((e + " ").length);
  let i = t.split("="), r = i.shift();
  if (!r) return s3;
  let n = r.replace(/^SCHILY\.(dev|ino|nlink)/, "$1"), o = i.join("=").replace(/\0.*/, "");
  switch (n) {
    case "path":
    case "linkpath":
    case "type":
    case "charset":
    case "comment":
    case "gname":
    case "uname":
      s3[n] = o;
      break;
    case "ctime":
    case "atime":
    case "mtime":
      s3[n] = new Date(Number(o) * 1e3);
      break;
    case "size":
      let h = +o;
      h >= 0 && (s3[n] = h);
      break;
    case "gid":
    case "uid":
    case "dev":
    case "ino":
    case "nlink":
    case "mode":
      s3[n] = +o;
      break;
  }
  return s3;
};
var Ln = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var f = Ln !== "win32" ? (s3) => String(s3) : (s3) => String(s3).replaceAll(/\\/g, "/");
var $e = class extends A {
  extended;
  globalExtended;
  header;
  startBlockSize;
  blockRemain;
  remain;
  type;
  meta = false;
  ignore = false;
  path;
  mode;
  uid;
  gid;
  uname;
  gname;
  size = 0;
  mtime;
  atime;
  ctime;
  linkpath;
  dev;
  ino;
  nlink;
  invalid = false;
  absolute;
  unsupported = false;
  constructor(t, e, i) {
    switch (super({}), this.pause(), this.extended = e, this.globalExtended = i, this.header = t, this.remain = t.size ?? 0, this.startBlockSize = 512 * Math.ceil(this.remain / 512), this.blockRemain = this.startBlockSize, this.type = t.type, this.type) {
      case "File":
      case "OldFile":
      case "Link":
      case "SymbolicLink":
      case "CharacterDevice":
      case "BlockDevice":
      case "Directory":
      case "FIFO":
      case "ContiguousFile":
      case "GNUDumpDir":
        break;
      case "NextFileHasLongLinkpath":
      case "NextFileHasLongPath":
      case "OldGnuLongPath":
      case "GlobalExtendedHeader":
      case "ExtendedHeader":
      case "OldExtendedHeader":
        this.meta = true;
        break;
      default:
        this.ignore = true;
    }
    if (!t.path) throw new Error("no path provided for tar.ReadEntry");
    this.path = f(t.path), this.mode = t.mode, this.mode && (this.mode = this.mode & 4095), this.uid = t.uid, this.gid = t.gid, this.uname = t.uname, this.gname = t.gname, this.size = this.remain, this.mtime = t.mtime, this.atime = t.atime, this.ctime = t.ctime, this.linkpath = t.linkpath ? f(t.linkpath) : void 0, this.uname = t.uname, this.gname = t.gname, e && this.#t(e), i && this.#t(i, true);
  }
  write(t) {
    let e = t.length;
    if (e > this.blockRemain) throw new Error("writing more to entry than is appropriate");
    let i = this.remain, r = this.blockRemain;
    return this.remain = Math.max(0, i - e), this.blockRemain = Math.max(0, r - e), this.ignore ? true : i >= e ? super.write(t) : super.write(t.subarray(0, i));
  }
  #t(t, e = false) {
    t.path && (t.path = f(t.path)), t.linkpath && (t.linkpath = f(t.linkpath)), Object.assign(this, Object.fromEntries(Object.entries(t).filter(([i, r]) => !(r == null || i === "path" && e))));
  }
};
var Dt = (s3, t, e, i = {}) => {
  s3.file && (i.file = s3.file), s3.cwd && (i.cwd = s3.cwd), i.code = e instanceof Error && e.code || t, i.tarCode = t, !s3.strict && i.recoverable !== false ? (e instanceof Error && (i = Object.assign(e, i), e = e.message), s3.emit("warn", t, e, i)) : e instanceof Error ? s3.emit("error", Object.assign(e, i)) : s3.emit("error", Object.assign(new Error(`${t}: ${e}`), i));
};
var Nn = 1024 * 1024;
var Xi = Buffer.from([31, 139]);
var qi = Buffer.from([40, 181, 47, 253]);
var An = Math.max(Xi.length, qi.length);
var B = /* @__PURE__ */ Symbol("state");
var Nt = /* @__PURE__ */ Symbol("writeEntry");
var it = /* @__PURE__ */ Symbol("readEntry");
var Zi = /* @__PURE__ */ Symbol("nextEntry");
var Zs = /* @__PURE__ */ Symbol("processEntry");
var V = /* @__PURE__ */ Symbol("extendedHeader");
var he = /* @__PURE__ */ Symbol("globalExtendedHeader");
var dt = /* @__PURE__ */ Symbol("meta");
var Ys = /* @__PURE__ */ Symbol("emitMeta");
var p = /* @__PURE__ */ Symbol("buffer");
var st = /* @__PURE__ */ Symbol("queue");
var ut = /* @__PURE__ */ Symbol("ended");
var Yi = /* @__PURE__ */ Symbol("emittedEnd");
var At = /* @__PURE__ */ Symbol("emit");
var w = /* @__PURE__ */ Symbol("unzip");
var Xe = /* @__PURE__ */ Symbol("consumeChunk");
var qe = /* @__PURE__ */ Symbol("consumeChunkSub");
var Ki = /* @__PURE__ */ Symbol("consumeBody");
var Ks = /* @__PURE__ */ Symbol("consumeMeta");
var Vs = /* @__PURE__ */ Symbol("consumeHeader");
var ae = /* @__PURE__ */ Symbol("consuming");
var Vi = /* @__PURE__ */ Symbol("bufferConcat");
var Qe = /* @__PURE__ */ Symbol("maybeEnd");
var Yt = /* @__PURE__ */ Symbol("writing");
var $ = /* @__PURE__ */ Symbol("aborted");
var Je = /* @__PURE__ */ Symbol("onDone");
var It = /* @__PURE__ */ Symbol("sawValidEntry");
var je = /* @__PURE__ */ Symbol("sawNullBlock");
var ti = /* @__PURE__ */ Symbol("sawEOF");
var $s = /* @__PURE__ */ Symbol("closeStream");
var In = 1e3;
var le = /* @__PURE__ */ Symbol("compressedBytesRead");
var $i = /* @__PURE__ */ Symbol("decompressedBytesRead");
var Xs = /* @__PURE__ */ Symbol("checkDecompressionRatio");
var Cn = () => true;
var rt = class extends Dn {
  file;
  strict;
  maxMetaEntrySize;
  filter;
  brotli;
  zstd;
  maxDecompressionRatio;
  writable = true;
  readable = false;
  [st] = [];
  [p];
  [it];
  [Nt];
  [B] = "begin";
  [dt] = "";
  [V];
  [he];
  [ut] = false;
  [w];
  [$] = false;
  [It];
  [je] = false;
  [ti] = false;
  [Yt] = false;
  [ae] = false;
  [Yi] = false;
  [le] = 0;
  [$i] = 0;
  constructor(t = {}) {
    super(), this.file = t.file || "", this.on(Je, () => {
      (this[B] === "begin" || this[It] === false) && this.warn("TAR_BAD_ARCHIVE", "Unrecognized archive format");
    }), t.ondone ? this.on(Je, t.ondone) : this.on(Je, () => {
      this.emit("prefinish"), this.emit("finish"), this.emit("end");
    }), this.strict = !!t.strict, this.maxDecompressionRatio = typeof t.maxDecompressionRatio == "number" ? t.maxDecompressionRatio : In, this.maxMetaEntrySize = t.maxMetaEntrySize || Nn, this.filter = typeof t.filter == "function" ? t.filter : Cn;
    let e = t.file && (t.file.endsWith(".tar.br") || t.file.endsWith(".tbr"));
    this.brotli = !(t.gzip || t.zstd) && t.brotli !== void 0 ? t.brotli : e ? void 0 : false;
    let i = t.file && (t.file.endsWith(".tar.zst") || t.file.endsWith(".tzst"));
    this.zstd = !(t.gzip || t.brotli) && t.zstd !== void 0 ? t.zstd : i ? true : void 0, this.on("end", () => this[$s]()), typeof t.onwarn == "function" && this.on("warn", t.onwarn), typeof t.onReadEntry == "function" && this.on("entry", t.onReadEntry);
  }
  warn(t, e, i = {}) {
    Dt(this, t, e, i);
  }
  [Vs](t, e) {
    this[It] === void 0 && (this[It] = false);
    let i;
    try {
      i = new F(t, e, this[V], this[he]);
    } catch (r) {
      return this.warn("TAR_ENTRY_INVALID", r);
    }
    if (i.nullBlock) this[je] ? (this[ti] = true, this[B] === "begin" && (this[B] = "header"), this[At]("eof")) : (this[je] = true, this[At]("nullBlock"));
    else if (this[je] = false, !i.cksumValid) this.warn("TAR_ENTRY_INVALID", "checksum failure", { header: i });
    else if (!i.path) this.warn("TAR_ENTRY_INVALID", "path is required", { header: i });
    else {
      let r = i.type;
      if (/^(Symbolic)?Link$/.test(r) && !i.linkpath) this.warn("TAR_ENTRY_INVALID", "linkpath required", { header: i });
      else if (!/^(Symbolic)?Link$/.test(r) && !/^(Global)?ExtendedHeader$/.test(r) && i.linkpath) this.warn("TAR_ENTRY_INVALID", "linkpath forbidden", { header: i });
      else {
        let n = this[Nt] = new $e(i, this[V], this[he]);
        if (!this[It]) if (n.remain) {
          let o = () => {
            n.invalid || (this[It] = true);
          };
          n.on("end", o);
        } else this[It] = true;
        n.meta ? n.size > this.maxMetaEntrySize ? (n.ignore = true, this[At]("ignoredEntry", n), this[B] = "ignore", n.resume()) : n.size > 0 && (this[dt] = "", n.on("data", (o) => this[dt] += o), this[B] = "meta") : (this[V] = void 0, n.ignore = n.ignore || !this.filter(n.path, n), n.ignore ? (this[At]("ignoredEntry", n), this[B] = n.remain ? "ignore" : "header", n.resume()) : (n.remain ? this[B] = "body" : (this[B] = "header", n.end()), this[it] ? this[st].push(n) : (this[st].push(n), this[Zi]())));
      }
    }
  }
  [$s]() {
    queueMicrotask(() => this.emit("close"));
  }
  [Zs](t) {
    let e = true;
    if (!t) this[it] = void 0, e = false;
    else if (Array.isArray(t)) {
      let [i, ...r] = t;
      this.emit(i, ...r);
    } else this[it] = t, this.emit("entry", t), t.emittedEnd || (t.on("end", () => this[Zi]()), e = false);
    return e;
  }
  [Zi]() {
    do
      ;
    while (this[Zs](this[st].shift()));
    if (this[st].length === 0) {
      let t = this[it];
      !t || t.flowing || t.size === t.remain ? this[Yt] || this.emit("drain") : t.once("drain", () => this.emit("drain"));
    }
  }
  [Ki](t, e) {
    let i = this[Nt];
    if (!i) throw new Error("attempt to consume body without entry??");
    let r = i.blockRemain ?? 0, n = r >= t.length && e === 0 ? t : t.subarray(e, e + r);
    return i.write(n), i.blockRemain || (this[B] = "header", this[Nt] = void 0, i.end()), n.length;
  }
  [Ks](t, e) {
    let i = this[Nt], r = this[Ki](t, e);
    return !this[Nt] && i && this[Ys](i), r;
  }
  [At](t, e, i) {
    this[st].length === 0 && !this[it] ? this.emit(t, e, i) : this[st].push([t, e, i]);
  }
  [Ys](t) {
    switch (this[At]("meta", this[dt]), t.type) {
      case "ExtendedHeader":
      case "OldExtendedHeader":
        this[V] = ft.parse(this[dt], this[V], false);
        break;
      case "GlobalExtendedHeader":
        this[he] = ft.parse(this[dt], this[he], true);
        break;
      case "NextFileHasLongPath":
      case "OldGnuLongPath": {
        let e = this[V] ?? /* @__PURE__ */ Object.create(null);
        this[V] = e, e.path = this[dt].replace(/\0.*/, "");
        break;
      }
      case "NextFileHasLongLinkpath": {
        let e = this[V] || /* @__PURE__ */ Object.create(null);
        this[V] = e, e.linkpath = this[dt].replace(/\0.*/, "");
        break;
      }
      default:
        throw new Error("unknown meta: " + t.type);
    }
  }
  abort(t) {
    if (!this[$]) {
      if (this[w]) {
        let e = this[w];
        e.write = () => true, e.end = () => e, e.emit = () => false, e.destroy?.();
      }
      this[$] = true, this.emit("abort", t), this.warn("TAR_ABORT", t, { recoverable: false });
    }
  }
  [Xs](t) {
    this[$i] += t.length;
    let e = this[$i] / this[le];
    return e > this.maxDecompressionRatio ? (this.abort(new Error(`max decompression ratio exceeded: ${e.toFixed(2)} > ${this.maxDecompressionRatio}`)), false) : true;
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8")), this[$]) return i?.(), false;
    if ((this[w] === void 0 || this.brotli === void 0 && this[w] === false) && t) {
      if (this[p] && (t = Buffer.concat([this[p], t]), this[p] = void 0), t.length < An) return this[p] = t, i?.(), true;
      for (let a = 0; this[w] === void 0 && a < Xi.length; a++) t[a] !== Xi[a] && (this[w] = false);
      let o = false;
      if (this[w] === false && this.zstd !== false) {
        o = true;
        for (let a = 0; a < qi.length; a++) if (t[a] !== qi[a]) {
          o = false;
          break;
        }
      }
      let h = this.brotli === void 0 && !o;
      if (this[w] === false && h) if (t.length < 512) if (this[ut]) this.brotli = true;
      else return this[p] = t, i?.(), true;
      else try {
        new F(t.subarray(0, 512)), this.brotli = false;
      } catch {
        this.brotli = true;
      }
      if (this[w] === void 0 || this[w] === false && (this.brotli || o)) {
        let a = this[ut];
        this[ut] = false, this[w] = this[w] === void 0 ? new Ue({}) : o ? new Ke({}) : new Ge({}), this[w].on("data", (c) => {
          this[Xs](c) && this[Xe](c);
        }), this[w].on("error", (c) => {
          this[$] || this.abort(c);
        }), this[w].on("end", () => {
          this[ut] = true, this[Xe]();
        }), this[Yt] = true, this[le] += t.length;
        let l = !!this[w][a ? "end" : "write"](t);
        return this[Yt] = false, i?.(), l;
      }
    }
    this[Yt] = true, this[w] ? (this[le] += t.length, this[w].write(t)) : this[Xe](t), this[Yt] = false;
    let n = this[st].length > 0 ? false : this[it] ? this[it].flowing : true;
    return !n && this[st].length === 0 && this[it]?.once("drain", () => this.emit("drain")), i?.(), n;
  }
  [Vi](t) {
    t && !this[$] && (this[p] = this[p] ? Buffer.concat([this[p], t]) : t);
  }
  [Qe]() {
    if (this[ut] && !this[Yi] && !this[$] && !this[ae]) {
      this[Yi] = true;
      let t = this[Nt];
      if (t?.blockRemain) {
        let e = this[p] ? this[p].length : 0;
        this.warn("TAR_BAD_ARCHIVE", `Truncated input (needed ${t.blockRemain} more bytes, only ${e} available)`, { entry: t }), this[p] && t.write(this[p]), t.end();
      }
      this[At](Je);
    }
  }
  [Xe](t) {
    if (this[ae] && t) this[Vi](t);
    else if (!t && !this[p]) this[Qe]();
    else if (t) {
      if (this[ae] = true, this[p]) {
        this[Vi](t);
        let e = this[p];
        this[p] = void 0, this[qe](e);
      } else this[qe](t);
      for (; this[p] && this[p]?.length >= 512 && !this[$] && !this[ti]; ) {
        let e = this[p];
        this[p] = void 0, this[qe](e);
      }
      this[ae] = false;
    }
    (!this[p] || this[ut]) && this[Qe]();
  }
  [qe](t) {
    let e = 0, i = t.length;
    for (; e + 512 <= i && !this[$] && !this[ti]; ) switch (this[B]) {
      case "begin":
      case "header":
        this[Vs](t, e), e += 512;
        break;
      case "ignore":
      case "body":
        e += this[Ki](t, e);
        break;
      case "meta":
        e += this[Ks](t, e);
        break;
      default:
        throw new Error("invalid state: " + this[B]);
    }
    e < i && (this[p] = this[p] ? Buffer.concat([t.subarray(e), this[p]]) : t.subarray(e));
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, e)), i && this.once("finish", i), this[$] || (this[w] ? (t && (this[le] += t.length, this[w].write(t)), this[w].end()) : (this[ut] = true, (this.brotli === void 0 || this.zstd === void 0) && (t = t || Buffer.alloc(0)), t && this.write(t), this[Qe]())), this;
  }
};
var mt = (s3) => {
  let t = s3.length - 1, e = -1;
  for (; t > -1 && s3.charAt(t) === "/"; ) e = t, t--;
  return e === -1 ? s3 : s3.slice(0, e);
};
var vn = (s3) => {
  let t = s3.onReadEntry;
  s3.onReadEntry = t ? (e) => {
    t(e), e.resume();
  } : (e) => e.resume();
};
var Qi = (s3, t) => {
  let e = new Map(t.map((o) => [mt(o), true])), i = s3.filter, r = 100, n = (o, h = "", a = 0) => {
    if (a >= r) return e.set(o, false), false;
    let l = h || kn(o).root || ".", c;
    if (o === l) c = false;
    else {
      let d = e.get(o);
      c = d !== void 0 ? d : n(Fn(o), l, a + 1);
    }
    return e.set(o, c), c;
  };
  s3.filter = i ? (o, h) => i(o, h) && n(mt(o)) : (o) => n(mt(o));
};
var Mn = (s3) => {
  let t = new rt(s3), e = s3.file, i;
  try {
    i = Kt.openSync(e, "r");
    let r = Kt.fstatSync(i), n = s3.maxReadSize || 16 * 1024 * 1024;
    if (r.size < n) {
      let o = Buffer.allocUnsafe(r.size), h = Kt.readSync(i, o, 0, r.size, 0);
      t.end(h === o.byteLength ? o : o.subarray(0, h));
    } else {
      let o = 0, h = Buffer.allocUnsafe(n);
      for (; o < r.size; ) {
        let a = Kt.readSync(i, h, 0, n, o);
        if (a === 0) break;
        o += a, t.write(h.subarray(0, a));
      }
      t.end();
    }
  } finally {
    if (typeof i == "number") try {
      Kt.closeSync(i);
    } catch {
    }
  }
};
var Bn = (s3, t) => {
  let e = new rt(s3), i = s3.maxReadSize || 16 * 1024 * 1024, r = s3.file;
  return new Promise((o, h) => {
    e.on("error", h), e.on("end", o), Kt.stat(r, (a, l) => {
      if (a) h(a);
      else {
        let c = new _t(r, { readSize: i, size: l.size });
        c.on("error", h), c.pipe(e);
      }
    });
  });
};
var Ct = K(Mn, Bn, (s3) => new rt(s3), (s3) => new rt(s3), (s3, t) => {
  t?.length && Qi(s3, t), s3.noResume || vn(s3);
});
var Ji = (s3, t, e) => (s3 &= 4095, e && (s3 = (s3 | 384) & -19), t && (s3 & 256 && (s3 |= 64), s3 & 32 && (s3 |= 8), s3 & 4 && (s3 |= 1)), s3);
var { isAbsolute: zn, parse: qs } = Pn;
var ce = (s3) => {
  let t = "", e = qs(s3);
  for (; zn(s3) || e.root; ) {
    let i = s3.charAt(0) === "/" && s3.slice(0, 4) !== "//?/" ? "/" : e.root;
    s3 = s3.slice(i.length), t += i, e = qs(s3);
  }
  return [t, s3];
};
var ei = ["|", "<", ">", "?", ":"];
var ji = ei.map((s3) => String.fromCodePoint(61440 + Number(s3.codePointAt(0))));
var Un = new Map(ei.map((s3, t) => [s3, ji[t]]));
var Hn = new Map(ji.map((s3, t) => [s3, ei[t]]));
var ts = (s3) => ei.reduce((t, e) => t.split(e).join(Un.get(e)), s3);
var Qs = (s3) => ji.reduce((t, e) => t.split(e).join(Hn.get(e)), s3);
var rr = (s3, t) => t ? (s3 = f(s3).replace(/^\.(\/|$)/, ""), mt(t) + "/" + s3) : f(s3);
var Wn = 16 * 1024 * 1024;
var tr = /* @__PURE__ */ Symbol("process");
var er = /* @__PURE__ */ Symbol("file");
var ir = /* @__PURE__ */ Symbol("directory");
var is = /* @__PURE__ */ Symbol("symlink");
var sr = /* @__PURE__ */ Symbol("hardlink");
var fe = /* @__PURE__ */ Symbol("header");
var ii = /* @__PURE__ */ Symbol("read");
var ss = /* @__PURE__ */ Symbol("lstat");
var si = /* @__PURE__ */ Symbol("onlstat");
var rs = /* @__PURE__ */ Symbol("onread");
var ns = /* @__PURE__ */ Symbol("onreadlink");
var os = /* @__PURE__ */ Symbol("openfile");
var hs = /* @__PURE__ */ Symbol("onopenfile");
var pt = /* @__PURE__ */ Symbol("close");
var ri = /* @__PURE__ */ Symbol("mode");
var as = /* @__PURE__ */ Symbol("awaitDrain");
var es = /* @__PURE__ */ Symbol("ondrain");
var q = /* @__PURE__ */ Symbol("prefix");
var de = class extends A {
  path;
  portable;
  myuid = process.getuid && process.getuid() || 0;
  myuser = process.env.USER || "";
  maxReadSize;
  linkCache;
  statCache;
  preservePaths;
  cwd;
  strict;
  mtime;
  noPax;
  noMtime;
  prefix;
  fd;
  blockLen = 0;
  blockRemain = 0;
  buf;
  pos = 0;
  remain = 0;
  length = 0;
  offset = 0;
  win32;
  absolute;
  header;
  type;
  linkpath;
  stat;
  onWriteEntry;
  #t = false;
  constructor(t, e = {}) {
    let i = se(e);
    super(), this.path = f(t), this.portable = !!i.portable, this.maxReadSize = i.maxReadSize || Wn, this.linkCache = i.linkCache || /* @__PURE__ */ new Map(), this.statCache = i.statCache || /* @__PURE__ */ new Map(), this.preservePaths = !!i.preservePaths, this.cwd = f(i.cwd || process.cwd()), this.strict = !!i.strict, this.noPax = !!i.noPax, this.noMtime = !!i.noMtime, this.mtime = i.mtime, this.prefix = i.prefix ? f(i.prefix) : void 0, this.onWriteEntry = i.onWriteEntry, typeof i.onwarn == "function" && this.on("warn", i.onwarn);
    let r = false;
    if (!this.preservePaths) {
      let [o, h] = ce(this.path);
      o && typeof h == "string" && (this.path = h, r = o);
    }
    this.win32 = !!i.win32 || process.platform === "win32", this.win32 && (this.path = Qs(this.path.replaceAll(/\\/g, "/")), t = t.replaceAll(/\\/g, "/")), this.absolute = f(i.absolute || js.resolve(this.cwd, t)), this.path === "" && (this.path = "./"), r && this.warn("TAR_ENTRY_INFO", `stripping ${r} from absolute path`, { entry: this, path: r + this.path });
    let n = this.statCache.get(this.absolute);
    n ? this[si](n) : this[ss]();
  }
  warn(t, e, i = {}) {
    return Dt(this, t, e, i);
  }
  emit(t, ...e) {
    return t === "error" && (this.#t = true), super.emit(t, ...e);
  }
  [ss]() {
    X.lstat(this.absolute, (t, e) => {
      if (t) return this.emit("error", t);
      this[si](e);
    });
  }
  [si](t) {
    this.statCache.set(this.absolute, t), this.stat = t, t.isFile() || (t.size = 0), this.type = Gn(t), this.emit("stat", t), this[tr]();
  }
  [tr]() {
    switch (this.type) {
      case "File":
        return this[er]();
      case "Directory":
        return this[ir]();
      case "SymbolicLink":
        return this[is]();
      default:
        return this.end();
    }
  }
  [ri](t) {
    return Ji(t, this.type === "Directory", this.portable);
  }
  [q](t) {
    return rr(t, this.prefix);
  }
  [fe]() {
    if (!this.stat) throw new Error("cannot write header before stat");
    this.type === "Directory" && this.portable && (this.noMtime = true), this.onWriteEntry?.(this), this.header = new F({ path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, mode: this[ri](this.stat.mode), uid: this.portable ? void 0 : this.stat.uid, gid: this.portable ? void 0 : this.stat.gid, size: this.stat.size, mtime: this.noMtime ? void 0 : this.mtime || this.stat.mtime, type: this.type === "Unsupported" ? void 0 : this.type, uname: this.portable ? void 0 : this.stat.uid === this.myuid ? this.myuser : "", atime: this.portable ? void 0 : this.stat.atime, ctime: this.portable ? void 0 : this.stat.ctime }), this.header.encode() && !this.noPax && super.write(new ft({ atime: this.portable ? void 0 : this.header.atime, ctime: this.portable ? void 0 : this.header.ctime, gid: this.portable ? void 0 : this.header.gid, mtime: this.noMtime ? void 0 : this.mtime || this.header.mtime, path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, size: this.header.size, uid: this.portable ? void 0 : this.header.uid, uname: this.portable ? void 0 : this.header.uname, dev: this.portable ? void 0 : this.stat.dev, ino: this.portable ? void 0 : this.stat.ino, nlink: this.portable ? void 0 : this.stat.nlink }).encode());
    let t = this.header?.block;
    if (!t) throw new Error("failed to encode header");
    super.write(t);
  }
  [ir]() {
    if (!this.stat) throw new Error("cannot create directory entry without stat");
    this.path.slice(-1) !== "/" && (this.path += "/"), this.stat.size = 0, this[fe](), this.end();
  }
  [is]() {
    X.readlink(this.absolute, (t, e) => {
      if (t) return this.emit("error", t);
      this[ns](e);
    });
  }
  [ns](t) {
    this.linkpath = f(t), this[fe](), this.end();
  }
  [sr](t) {
    if (!this.stat) throw new Error("cannot create link entry without stat");
    this.type = "Link", this.linkpath = f(js.relative(this.cwd, t)), this.stat.size = 0, this[fe](), this.end();
  }
  [er]() {
    if (!this.stat) throw new Error("cannot create file entry without stat");
    if (this.stat.nlink > 1) {
      let t = `${this.stat.dev}:${this.stat.ino}`, e = this.linkCache.get(t);
      if (e?.indexOf(this.cwd) === 0) return this[sr](e);
      this.linkCache.set(t, this.absolute);
    }
    if (this[fe](), this.stat.size === 0) return this.end();
    this[os]();
  }
  [os]() {
    X.open(this.absolute, "r", (t, e) => {
      if (t) return this.emit("error", t);
      this[hs](e);
    });
  }
  [hs](t) {
    if (this.fd = t, this.#t) return this[pt]();
    if (!this.stat) throw new Error("should stat before calling onopenfile");
    this.blockLen = 512 * Math.ceil(this.stat.size / 512), this.blockRemain = this.blockLen;
    let e = Math.min(this.blockLen, this.maxReadSize);
    this.buf = Buffer.allocUnsafe(e), this.offset = 0, this.pos = 0, this.remain = this.stat.size, this.length = this.buf.length, this[ii]();
  }
  [ii]() {
    let { fd: t, buf: e, offset: i, length: r, pos: n } = this;
    if (t === void 0 || e === void 0) throw new Error("cannot read file without first opening");
    X.read(t, e, i, r, n, (o, h) => {
      if (o) return this[pt](() => this.emit("error", o));
      this[rs](h);
    });
  }
  [pt](t = () => {
  }) {
    this.fd !== void 0 && X.close(this.fd, t);
  }
  [rs](t) {
    if (t <= 0 && this.remain > 0) {
      let r = Object.assign(new Error("encountered unexpected EOF"), { path: this.absolute, syscall: "read", code: "EOF" });
      return this[pt](() => this.emit("error", r));
    }
    if (t > this.remain) {
      let r = Object.assign(new Error("did not encounter expected EOF"), { path: this.absolute, syscall: "read", code: "EOF" });
      return this[pt](() => this.emit("error", r));
    }
    if (!this.buf) throw new Error("should have created buffer prior to reading");
    if (t === this.remain) for (let r = t; r < this.length && t < this.blockRemain; r++) this.buf[r + this.offset] = 0, t++, this.remain++;
    let e = this.offset === 0 && t === this.buf.length ? this.buf : this.buf.subarray(this.offset, this.offset + t);
    this.write(e) ? this[es]() : this[as](() => this[es]());
  }
  [as](t) {
    this.once("drain", t);
  }
  write(t, e, i) {
    if (typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8")), this.blockRemain < t.length) {
      let r = Object.assign(new Error("writing more data than expected"), { path: this.absolute });
      return this.emit("error", r);
    }
    return this.remain -= t.length, this.blockRemain -= t.length, this.pos += t.length, this.offset += t.length, super.write(t, null, i);
  }
  [es]() {
    if (!this.remain) return this.blockRemain && super.write(Buffer.alloc(this.blockRemain)), this[pt]((t) => t ? this.emit("error", t) : this.end());
    if (!this.buf) throw new Error("buffer lost somehow in ONDRAIN");
    this.offset >= this.length && (this.buf = Buffer.allocUnsafe(Math.min(this.blockRemain, this.buf.length)), this.offset = 0), this.length = this.buf.length - this.offset, this[ii]();
  }
};
var ni = class extends de {
  sync = true;
  [ss]() {
    this[si](X.lstatSync(this.absolute));
  }
  [is]() {
    this[ns](X.readlinkSync(this.absolute));
  }
  [os]() {
    this[hs](X.openSync(this.absolute, "r"));
  }
  [ii]() {
    let t = true;
    try {
      let { fd: e, buf: i, offset: r, length: n, pos: o } = this;
      if (e === void 0 || i === void 0) throw new Error("fd and buf must be set in READ method");
      let h = X.readSync(e, i, r, n, o);
      this[rs](h), t = false;
    } finally {
      if (t) try {
        this[pt](() => {
        });
      } catch {
      }
    }
  }
  [as](t) {
    t();
  }
  [pt](t = () => {
  }) {
    this.fd !== void 0 && X.closeSync(this.fd), t();
  }
};
var oi = class extends A {
  blockLen = 0;
  blockRemain = 0;
  buf = 0;
  pos = 0;
  remain = 0;
  length = 0;
  preservePaths;
  portable;
  strict;
  noPax;
  noMtime;
  readEntry;
  type;
  prefix;
  path;
  mode;
  uid;
  gid;
  uname;
  gname;
  header;
  mtime;
  atime;
  ctime;
  linkpath;
  size;
  onWriteEntry;
  warn(t, e, i = {}) {
    return Dt(this, t, e, i);
  }
  constructor(t, e = {}) {
    let i = se(e);
    super(), this.preservePaths = !!i.preservePaths, this.portable = !!i.portable, this.strict = !!i.strict, this.noPax = !!i.noPax, this.noMtime = !!i.noMtime, this.onWriteEntry = i.onWriteEntry, this.readEntry = t;
    let { type: r } = t;
    if (r === "Unsupported") throw new Error("writing entry that should be ignored");
    this.type = r, this.type === "Directory" && this.portable && (this.noMtime = true), this.prefix = i.prefix, this.path = f(t.path), this.mode = t.mode !== void 0 ? this[ri](t.mode) : void 0, this.uid = this.portable ? void 0 : t.uid, this.gid = this.portable ? void 0 : t.gid, this.uname = this.portable ? void 0 : t.uname, this.gname = this.portable ? void 0 : t.gname, this.size = t.size, this.mtime = this.noMtime ? void 0 : i.mtime || t.mtime, this.atime = this.portable ? void 0 : t.atime, this.ctime = this.portable ? void 0 : t.ctime, this.linkpath = t.linkpath !== void 0 ? f(t.linkpath) : void 0, typeof i.onwarn == "function" && this.on("warn", i.onwarn);
    let n = false;
    if (!this.preservePaths) {
      let [h, a] = ce(this.path);
      h && typeof a == "string" && (this.path = a, n = h);
    }
    this.remain = t.size, this.blockRemain = t.startBlockSize, this.onWriteEntry?.(this), this.header = new F({ path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, mode: this.mode, uid: this.portable ? void 0 : this.uid, gid: this.portable ? void 0 : this.gid, size: this.size, mtime: this.noMtime ? void 0 : this.mtime, type: this.type, uname: this.portable ? void 0 : this.uname, atime: this.portable ? void 0 : this.atime, ctime: this.portable ? void 0 : this.ctime }), n && this.warn("TAR_ENTRY_INFO", `stripping ${n} from absolute path`, { entry: this, path: n + this.path }), this.header.encode() && !this.noPax && super.write(new ft({ atime: this.portable ? void 0 : this.atime, ctime: this.portable ? void 0 : this.ctime, gid: this.portable ? void 0 : this.gid, mtime: this.noMtime ? void 0 : this.mtime, path: this[q](this.path), linkpath: this.type === "Link" && this.linkpath !== void 0 ? this[q](this.linkpath) : this.linkpath, size: this.size, uid: this.portable ? void 0 : this.uid, uname: this.portable ? void 0 : this.uname, dev: this.portable ? void 0 : this.readEntry.dev, ino: this.portable ? void 0 : this.readEntry.ino, nlink: this.portable ? void 0 : this.readEntry.nlink }).encode());
    let o = this.header?.block;
    if (!o) throw new Error("failed to encode header");
    super.write(o), t.pipe(this);
  }
  [q](t) {
    return rr(t, this.prefix);
  }
  [ri](t) {
    return Ji(t, this.type === "Directory", this.portable);
  }
  write(t, e, i) {
    typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, typeof e == "string" ? e : "utf8"));
    let r = t.length;
    if (r > this.blockRemain) throw new Error("writing more to entry than is appropriate");
    return this.blockRemain -= r, super.write(t, i);
  }
  end(t, e, i) {
    return this.blockRemain && super.write(Buffer.alloc(this.blockRemain)), typeof t == "function" && (i = t, e = void 0, t = void 0), typeof e == "function" && (i = e, e = void 0), typeof t == "string" && (t = Buffer.from(t, e ?? "utf8")), i && this.once("finish", i), t ? super.end(t, i) : super.end(i), this;
  }
};
var Gn = (s3) => s3.isFile() ? "File" : s3.isDirectory() ? "Directory" : s3.isSymbolicLink() ? "SymbolicLink" : "Unsupported";
var hi = class s2 {
  tail;
  head;
  length = 0;
  static create(t = []) {
    return new s2(t);
  }
  constructor(t = []) {
    for (let e of t) this.push(e);
  }
  *[Symbol.iterator]() {
    for (let t = this.head; t; t = t.next) yield t.value;
  }
  removeNode(t) {
    if (t.list !== this) throw new Error("removing node which does not belong to this list");
    let e = t.next, i = t.prev;
    return e && (e.prev = i), i && (i.next = e), t === this.head && (this.head = e), t === this.tail && (this.tail = i), this.length--, t.next = void 0, t.prev = void 0, t.list = void 0, e;
  }
  unshiftNode(t) {
    if (t === this.head) return;
    t.list && t.list.removeNode(t);
    let e = this.head;
    t.list = this, t.next = e, e && (e.prev = t), this.head = t, this.tail || (this.tail = t), this.length++;
  }
  pushNode(t) {
    if (t === this.tail) return;
    t.list && t.list.removeNode(t);
    let e = this.tail;
    t.list = this, t.prev = e, e && (e.next = t), this.tail = t, this.head || (this.head = t), this.length++;
  }
  push(...t) {
    for (let e = 0, i = t.length; e < i; e++) Yn(this, t[e]);
    return this.length;
  }
  unshift(...t) {
    for (var e = 0, i = t.length; e < i; e++) Kn(this, t[e]);
    return this.length;
  }
  pop() {
    if (!this.tail) return;
    let t = this.tail.value, e = this.tail;
    return this.tail = this.tail.prev, this.tail ? this.tail.next = void 0 : this.head = void 0, e.list = void 0, this.length--, t;
  }
  shift() {
    if (!this.head) return;
    let t = this.head.value, e = this.head;
    return this.head = this.head.next, this.head ? this.head.prev = void 0 : this.tail = void 0, e.list = void 0, this.length--, t;
  }
  forEach(t, e) {
    e = e || this;
    for (let i = this.head, r = 0; i; r++) t.call(e, i.value, r, this), i = i.next;
  }
  forEachReverse(t, e) {
    e = e || this;
    for (let i = this.tail, r = this.length - 1; i; r--) t.call(e, i.value, r, this), i = i.prev;
  }
  get(t) {
    let e = 0, i = this.head;
    for (; i && e < t; e++) i = i.next;
    if (e === t && i) return i.value;
  }
  getReverse(t) {
    let e = 0, i = this.tail;
    for (; i && e < t; e++) i = i.prev;
    if (e === t && i) return i.value;
  }
  map(t, e) {
    e = e || this;
    let i = new s2();
    for (let r = this.head; r; ) i.push(t.call(e, r.value, this)), r = r.next;
    return i;
  }
  mapReverse(t, e) {
    e = e || this;
    var i = new s2();
    for (let r = this.tail; r; ) i.push(t.call(e, r.value, this)), r = r.prev;
    return i;
  }
  reduce(t, e) {
    let i, r = this.head;
    if (arguments.length > 1) i = e;
    else if (this.head) r = this.head.next, i = this.head.value;
    else throw new TypeError("Reduce of empty list with no initial value");
    for (var n = 0; r; n++) i = t(i, r.value, n), r = r.next;
    return i;
  }
  reduceReverse(t, e) {
    let i, r = this.tail;
    if (arguments.length > 1) i = e;
    else if (this.tail) r = this.tail.prev, i = this.tail.value;
    else throw new TypeError("Reduce of empty list with no initial value");
    for (let n = this.length - 1; r; n--) i = t(i, r.value, n), r = r.prev;
    return i;
  }
  toArray() {
    let t = new Array(this.length);
    for (let e = 0, i = this.head; i; e++) t[e] = i.value, i = i.next;
    return t;
  }
  toArrayReverse() {
    let t = new Array(this.length);
    for (let e = 0, i = this.tail; i; e++) t[e] = i.value, i = i.prev;
    return t;
  }
  slice(t = 0, e = this.length) {
    e < 0 && (e += this.length), t < 0 && (t += this.length);
    let i = new s2();
    if (e < t || e < 0) return i;
    t < 0 && (t = 0), e > this.length && (e = this.length);
    let r = this.head, n = 0;
    for (n = 0; r && n < t; n++) r = r.next;
    for (; r && n < e; n++, r = r.next) i.push(r.value);
    return i;
  }
  sliceReverse(t = 0, e = this.length) {
    e < 0 && (e += this.length), t < 0 && (t += this.length);
    let i = new s2();
    if (e < t || e < 0) return i;
    t < 0 && (t = 0), e > this.length && (e = this.length);
    let r = this.length, n = this.tail;
    for (; n && r > e; r--) n = n.prev;
    for (; n && r > t; r--, n = n.prev) i.push(n.value);
    return i;
  }
  splice(t, e = 0, ...i) {
    t > this.length && (t = this.length - 1), t < 0 && (t = this.length + t);
    let r = this.head;
    for (let o = 0; r && o < t; o++) r = r.next;
    let n = [];
    for (let o = 0; r && o < e; o++) n.push(r.value), r = this.removeNode(r);
    r ? r !== this.tail && (r = r.prev) : r = this.tail;
    for (let o of i) r = Zn(this, r, o);
    return n;
  }
  reverse() {
    let t = this.head, e = this.tail;
    for (let i = t; i; i = i.prev) {
      let r = i.prev;
      i.prev = i.next, i.next = r;
    }
    return this.head = e, this.tail = t, this;
  }
};
function Zn(s3, t, e) {
  let i = t, r = t ? t.next : s3.head, n = new ue(e, i, r, s3);
  return n.next === void 0 && (s3.tail = n), n.prev === void 0 && (s3.head = n), s3.length++, n;
}
function Yn(s3, t) {
  s3.tail = new ue(t, s3.tail, void 0, s3), s3.head || (s3.head = s3.tail), s3.length++;
}
function Kn(s3, t) {
  s3.head = new ue(t, void 0, s3.head, s3), s3.tail || (s3.tail = s3.head), s3.length++;
}
var ue = class {
  list;
  next;
  prev;
  value;
  constructor(t, e, i, r) {
    this.list = r, this.value = t, e ? (e.next = this, this.prev = e) : this.prev = void 0, i ? (i.prev = this, this.next = i) : this.next = void 0;
  }
};
var pi = class {
  path;
  absolute;
  entry;
  stat;
  readdir;
  pending = false;
  pendingLink = false;
  ignore = false;
  piped = false;
  constructor(t, e) {
    this.path = t || "./", this.absolute = e;
  }
};
var nr = Buffer.alloc(1024);
var li = /* @__PURE__ */ Symbol("onStat");
var me = /* @__PURE__ */ Symbol("ended");
var W = /* @__PURE__ */ Symbol("queue");
var pe = /* @__PURE__ */ Symbol("pendingLinks");
var Et = /* @__PURE__ */ Symbol("current");
var Ft = /* @__PURE__ */ Symbol("process");
var Ee = /* @__PURE__ */ Symbol("processing");
var ai = /* @__PURE__ */ Symbol("processJob");
var G = /* @__PURE__ */ Symbol("jobs");
var ls = /* @__PURE__ */ Symbol("jobDone");
var ci = /* @__PURE__ */ Symbol("addFSEntry");
var or = /* @__PURE__ */ Symbol("addTarEntry");
var ds = /* @__PURE__ */ Symbol("stat");
var us = /* @__PURE__ */ Symbol("readdir");
var fi = /* @__PURE__ */ Symbol("onreaddir");
var di = /* @__PURE__ */ Symbol("pipe");
var hr = /* @__PURE__ */ Symbol("entry");
var cs = /* @__PURE__ */ Symbol("entryOpt");
var ui = /* @__PURE__ */ Symbol("writeEntryClass");
var lr = /* @__PURE__ */ Symbol("write");
var fs6 = /* @__PURE__ */ Symbol("ondrain");
var wt = class extends A {
  sync = false;
  opt;
  cwd;
  maxReadSize;
  preservePaths;
  strict;
  noPax;
  prefix;
  linkCache;
  statCache;
  file;
  portable;
  zip;
  readdirCache;
  noDirRecurse;
  follow;
  noMtime;
  mtime;
  filter;
  jobs;
  [ui];
  onWriteEntry;
  [W];
  [pe] = /* @__PURE__ */ new Map();
  [G] = 0;
  [Ee] = false;
  [me] = false;
  constructor(t = {}) {
    if (super(), this.opt = t, this.file = t.file || "", this.cwd = t.cwd || process.cwd(), this.maxReadSize = t.maxReadSize, this.preservePaths = !!t.preservePaths, this.strict = !!t.strict, this.noPax = !!t.noPax, this.prefix = f(t.prefix || ""), this.linkCache = t.linkCache || /* @__PURE__ */ new Map(), this.statCache = t.statCache || /* @__PURE__ */ new Map(), this.readdirCache = t.readdirCache || /* @__PURE__ */ new Map(), this.onWriteEntry = t.onWriteEntry, this[ui] = de, typeof t.onwarn == "function" && this.on("warn", t.onwarn), this.portable = !!t.portable, t.gzip || t.brotli || t.zstd) {
      if ((t.gzip ? 1 : 0) + (t.brotli ? 1 : 0) + (t.zstd ? 1 : 0) > 1) throw new TypeError("gzip, brotli, zstd are mutually exclusive");
      if (t.gzip && (typeof t.gzip != "object" && (t.gzip = {}), this.portable && (t.gzip.portable = true), this.zip = new ze(t.gzip)), t.brotli && (typeof t.brotli != "object" && (t.brotli = {}), this.zip = new We(t.brotli)), t.zstd && (typeof t.zstd != "object" && (t.zstd = {}), this.zip = new Ye(t.zstd)), !this.zip) throw new Error("impossible");
      let e = this.zip;
      e.on("data", (i) => super.write(i)), e.on("end", () => super.end()), e.on("drain", () => this[fs6]()), this.on("resume", () => e.resume());
    } else this.on("drain", this[fs6]);
    this.noDirRecurse = !!t.noDirRecurse, this.follow = !!t.follow, this.noMtime = !!t.noMtime, t.mtime && (this.mtime = t.mtime), this.filter = typeof t.filter == "function" ? t.filter : () => true, this[W] = new hi(), this[G] = 0, this.jobs = Number(t.jobs) || 4, this[Ee] = false, this[me] = false;
  }
  [lr](t) {
    return super.write(t);
  }
  add(t) {
    return this.write(t), this;
  }
  end(t, e, i) {
    return typeof t == "function" && (i = t, t = void 0), typeof e == "function" && (i = e, e = void 0), t && this.add(t), this[me] = true, this[Ft](), i && i(), this;
  }
  write(t) {
    if (this[me]) throw new Error("write after end");
    return typeof t == "string" ? this[ci](t) : this[or](t), this.flowing;
  }
  [or](t) {
    let e = f(ar.resolve(this.cwd, t.path));
    if (!this.filter(t.path, t)) t.resume();
    else {
      let i = new pi(t.path, e);
      i.entry = new oi(t, this[cs](i)), i.entry.on("end", () => this[ls](i)), this[G] += 1, this[W].push(i);
    }
    this[Ft]();
  }
  [ci](t) {
    let e = f(ar.resolve(this.cwd, t));
    this[W].push(new pi(t, e)), this[Ft]();
  }
  [ds](t) {
    t.pending = true, this[G] += 1;
    let e = this.follow ? "stat" : "lstat";
    mi[e](t.absolute, (i, r) => {
      t.pending = false, this[G] -= 1, i ? this.emit("error", i) : this[li](t, r);
    });
  }
  [li](t, e) {
    if (this.statCache.set(t.absolute, e), t.stat = e, !this.filter(t.path, e)) t.ignore = true;
    else if (e.isFile() && e.nlink > 1 && !this.linkCache.get(`${e.dev}:${e.ino}`) && !this.sync) if (t === this[Et]) this[ai](t);
    else {
      let i = `${e.dev}:${e.ino}`, r = this[pe].get(i);
      r ? r.push(t) : this[pe].set(i, [t]), t.pendingLink = true, t.pending = true;
    }
    this[Ft]();
  }
  [us](t) {
    t.pending = true, this[G] += 1, mi.readdir(t.absolute, (e, i) => {
      if (t.pending = false, this[G] -= 1, e) return this.emit("error", e);
      this[fi](t, i);
    });
  }
  [fi](t, e) {
    this.readdirCache.set(t.absolute, e), t.readdir = e, this[Ft]();
  }
  [Ft]() {
    if (!this[Ee]) {
      this[Ee] = true;
      for (let t = this[W].head; t && this[G] < this.jobs; t = t.next) if (this[ai](t.value), t.value.ignore) {
        let e = t.next;
        this[W].removeNode(t), t.next = e;
      }
      this[Ee] = false, this[me] && this[W].length === 0 && this[G] === 0 && (this.zip ? this.zip.end(nr) : (super.write(nr), super.end()));
    }
  }
  get [Et]() {
    return this[W] && this[W].head && this[W].head.value;
  }
  [ls](t) {
    this[W].shift(), this[G] -= 1;
    let { stat: e } = t;
    if (e && e.isFile() && e.nlink > 1) {
      let i = `${e.dev}:${e.ino}`, r = this[pe].get(i);
      if (r) {
        this[pe].delete(i);
        for (let n of r) n.pending = false, this[ai](n);
      }
    }
    this[Ft]();
  }
  [ai](t) {
    if (t.pending && t.pendingLink && t === this[Et] && (t.pending = false, t.pendingLink = false), !t.pending) {
      if (t.entry) {
        t === this[Et] && !t.piped && this[di](t);
        return;
      }
      if (!t.stat) {
        let e = this.statCache.get(t.absolute);
        e ? this[li](t, e) : this[ds](t);
      }
      if (t.stat && !t.ignore) {
        if (!this.noDirRecurse && t.stat.isDirectory() && !t.readdir) {
          let e = this.readdirCache.get(t.absolute);
          if (e ? this[fi](t, e) : this[us](t), !t.readdir) return;
        }
        if (t.entry = this[hr](t), !t.entry) {
          t.ignore = true;
          return;
        }
        t === this[Et] && !t.piped && this[di](t);
      }
    }
  }
  [cs](t) {
    return { onwarn: (e, i, r) => this.warn(e, i, r), noPax: this.noPax, cwd: this.cwd, absolute: t.absolute, preservePaths: this.preservePaths, maxReadSize: this.maxReadSize, strict: this.strict, portable: this.portable, linkCache: this.linkCache, statCache: this.statCache, noMtime: this.noMtime, mtime: this.mtime, prefix: this.prefix, onWriteEntry: this.onWriteEntry };
  }
  [hr](t) {
    this[G] += 1;
    try {
      return new this[ui](t.path, this[cs](t)).on("end", () => this[ls](t)).on("error", (i) => this.emit("error", i));
    } catch (e) {
      this.emit("error", e);
    }
  }
  [fs6]() {
    this[Et] && this[Et].entry && this[Et].entry.resume();
  }
  [di](t) {
    t.piped = true, t.readdir && t.readdir.forEach((r) => {
      let n = t.path, o = n === "./" ? "" : n.replace(/\/*$/, "/");
      this[ci](o + r);
    });
    let e = t.entry, i = this.zip;
    if (!e) throw new Error("cannot pipe without source");
    i ? e.on("data", (r) => {
      i.write(r) || e.pause();
    }) : e.on("data", (r) => {
      super.write(r) || e.pause();
    });
  }
  pause() {
    return this.zip && this.zip.pause(), super.pause();
  }
  warn(t, e, i = {}) {
    Dt(this, t, e, i);
  }
};
var kt = class extends wt {
  sync = true;
  constructor(t) {
    super(t), this[ui] = ni;
  }
  pause() {
  }
  resume() {
  }
  [ds](t) {
    let e = this.follow ? "statSync" : "lstatSync";
    this[li](t, mi[e](t.absolute));
  }
  [us](t) {
    this[fi](t, mi.readdirSync(t.absolute));
  }
  [di](t) {
    let e = t.entry, i = this.zip;
    if (t.readdir && t.readdir.forEach((r) => {
      let n = t.path, o = n === "./" ? "" : n.replace(/\/*$/, "/");
      this[ci](o + r);
    }), !e) throw new Error("Cannot pipe without source");
    i ? e.on("data", (r) => {
      i.write(r);
    }) : e.on("data", (r) => {
      super[lr](r);
    });
  }
};
var Vn = (s3, t) => {
  let e = new kt(s3), i = new Wt(s3.file, { mode: s3.mode || 438 });
  e.pipe(i), fr(e, t);
};
var $n = (s3, t) => {
  let e = new wt(s3), i = new et(s3.file, { mode: s3.mode || 438 });
  e.pipe(i);
  let r = new Promise((n, o) => {
    i.on("error", o), i.on("close", n), e.on("error", o);
  });
  return dr(e, t).catch((n) => e.emit("error", n)), r;
};
var fr = (s3, t) => {
  t.forEach((e) => {
    e.charAt(0) === "@" ? Ct({ file: cr.resolve(s3.cwd, e.slice(1)), sync: true, noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  }), s3.end();
};
var dr = async (s3, t) => {
  for (let e of t) e.charAt(0) === "@" ? await Ct({ file: cr.resolve(String(s3.cwd), e.slice(1)), noResume: true, onReadEntry: (i) => {
    s3.add(i);
  } }) : s3.add(e);
  s3.end();
};
var Xn = (s3, t) => {
  let e = new kt(s3);
  return fr(e, t), e;
};
var qn = (s3, t) => {
  let e = new wt(s3);
  return dr(e, t).catch((i) => e.emit("error", i)), e;
};
var Qn = K(Vn, $n, Xn, qn, (s3, t) => {
  if (!t?.length) throw new TypeError("no paths specified to add to archive");
});
var Jn = process.env.__FAKE_PLATFORM__ || process.platform;
var Er = Jn === "win32";
var { O_CREAT: wr, O_NOFOLLOW: ur, O_TRUNC: Sr, O_WRONLY: yr } = pr.constants;
var Rr = Number(process.env.__FAKE_FS_O_FILENAME__) || pr.constants.UV_FS_O_FILEMAP || 0;
var jn = Er && !!Rr;
var to = 512 * 1024;
var eo = Rr | Sr | wr | yr;
var mr = !Er && typeof ur == "number" ? ur | Sr | wr | yr : null;
var ms = mr !== null ? () => mr : jn ? (s3) => s3 < to ? eo : "w" : () => "w";
var ps = (s3, t, e) => {
  try {
    return wi.lchownSync(s3, t, e);
  } catch (i) {
    if (i?.code !== "ENOENT") throw i;
  }
};
var Ei = (s3, t, e, i) => {
  wi.lchown(s3, t, e, (r) => {
    i(r && r?.code !== "ENOENT" ? r : null);
  });
};
var io = (s3, t, e, i, r) => {
  if (t.isDirectory()) Es(we.resolve(s3, t.name), e, i, (n) => {
    if (n) return r(n);
    let o = we.resolve(s3, t.name);
    Ei(o, e, i, r);
  });
  else {
    let n = we.resolve(s3, t.name);
    Ei(n, e, i, r);
  }
};
var Es = (s3, t, e, i) => {
  wi.readdir(s3, { withFileTypes: true }, (r, n) => {
    if (r) {
      if (r.code === "ENOENT") return i();
      if (r.code !== "ENOTDIR" && r.code !== "ENOTSUP") return i(r);
    }
    if (r || !n.length) return Ei(s3, t, e, i);
    let o = n.length, h = null, a = (l) => {
      if (!h) {
        if (l) return i(h = l);
        if (--o === 0) return Ei(s3, t, e, i);
      }
    };
    for (let l of n) io(s3, l, t, e, a);
  });
};
var so = (s3, t, e, i) => {
  t.isDirectory() && ws(we.resolve(s3, t.name), e, i), ps(we.resolve(s3, t.name), e, i);
};
var ws = (s3, t, e) => {
  let i;
  try {
    i = wi.readdirSync(s3, { withFileTypes: true });
  } catch (r) {
    let n = r;
    if (n?.code === "ENOENT") return;
    if (n?.code === "ENOTDIR" || n?.code === "ENOTSUP") return ps(s3, t, e);
    throw n;
  }
  for (let r of i) so(s3, r, t, e);
  return ps(s3, t, e);
};
var Se = class extends Error {
  path;
  code;
  syscall = "chdir";
  constructor(t, e) {
    super(`${e}: Cannot cd into '${t}'`), this.path = t, this.code = e;
  }
  get name() {
    return "CwdError";
  }
};
var St = class extends Error {
  path;
  symlink;
  syscall = "symlink";
  code = "TAR_SYMLINK_ERROR";
  constructor(t, e) {
    super("TAR_SYMLINK_ERROR: Cannot extract through symbolic link"), this.symlink = t, this.path = e;
  }
  get name() {
    return "SymlinkError";
  }
};
var no = (s3, t) => {
  k.stat(s3, (e, i) => {
    (e || !i.isDirectory()) && (e = new Se(s3, e?.code || "ENOTDIR")), t(e);
  });
};
var gr = (s3, t, e) => {
  s3 = f(s3);
  let i = t.umask ?? 18, r = t.mode | 448, n = (r & i) !== 0, o = t.uid, h = t.gid, a = typeof o == "number" && typeof h == "number" && (o !== t.processUid || h !== t.processGid), l = t.preserve, c = t.unlink, d = f(t.cwd), y = (E, x) => {
    E ? e(E) : x && a ? Es(x, o, h, (Le) => y(Le)) : n ? k.chmod(s3, r, e) : e();
  };
  if (s3 === d) return no(s3, y);
  if (l) return ro.mkdir(s3, { mode: r, recursive: true }).then((E) => y(null, E ?? void 0), y);
  let D = f(Si.relative(d, s3)).split("/");
  Ss(d, D, r, c, d, void 0, y);
};
var Ss = (s3, t, e, i, r, n, o) => {
  if (t.length === 0) return o(null, n);
  let h = t.shift(), a = f(Si.resolve(s3 + "/" + h));
  k.mkdir(a, e, br(a, t, e, i, r, n, o));
};
var br = (s3, t, e, i, r, n, o) => (h) => {
  h ? k.lstat(s3, (a, l) => {
    if (a) a.path = a.path && f(a.path), o(a);
    else if (l.isDirectory()) Ss(s3, t, e, i, r, n, o);
    else if (i) k.unlink(s3, (c) => {
      if (c) return o(c);
      k.mkdir(s3, e, br(s3, t, e, i, r, n, o));
    });
    else {
      if (l.isSymbolicLink()) return o(new St(s3, s3 + "/" + t.join("/")));
      o(h);
    }
  }) : (n = n || s3, Ss(s3, t, e, i, r, n, o));
};
var oo = (s3) => {
  let t = false, e;
  try {
    t = k.statSync(s3).isDirectory();
  } catch (i) {
    e = i?.code;
  } finally {
    if (!t) throw new Se(s3, e ?? "ENOTDIR");
  }
};
var _r = (s3, t) => {
  s3 = f(s3);
  let e = t.umask ?? 18, i = t.mode | 448, r = (i & e) !== 0, n = t.uid, o = t.gid, h = typeof n == "number" && typeof o == "number" && (n !== t.processUid || o !== t.processGid), a = t.preserve, l = t.unlink, c = f(t.cwd), d = (E) => {
    E && h && ws(E, n, o), r && k.chmodSync(s3, i);
  };
  if (s3 === c) return oo(c), d();
  if (a) return d(k.mkdirSync(s3, { mode: i, recursive: true }) ?? void 0);
  let T = f(Si.relative(c, s3)).split("/"), D;
  for (let E = T.shift(), x = c; E && (x += "/" + E); E = T.shift()) {
    x = f(Si.resolve(x));
    try {
      k.mkdirSync(x, i), D = D || x;
    } catch {
      let Le = k.lstatSync(x);
      if (Le.isDirectory()) continue;
      if (l) {
        k.unlinkSync(x), k.mkdirSync(x, i), D = D || x;
        continue;
      } else if (Le.isSymbolicLink()) return new St(x, x + "/" + T.join("/"));
    }
  }
  return d(D);
};
var ys = /* @__PURE__ */ Object.create(null);
var Or = 1e4;
var Vt = /* @__PURE__ */ new Set();
var Tr = (s3) => {
  Vt.has(s3) ? Vt.delete(s3) : ys[s3] = s3.normalize("NFD").toLocaleLowerCase("en").toLocaleUpperCase("en"), Vt.add(s3);
  let t = ys[s3], e = Vt.size - Or;
  if (e > Or / 10) {
    for (let i of Vt) if (Vt.delete(i), delete ys[i], --e <= 0) break;
  }
  return t;
};
var ho = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var ao = ho === "win32";
var lo = (s3) => s3.split("/").slice(0, -1).reduce((e, i) => {
  let r = e.at(-1);
  return r !== void 0 && (i = xr(r, i)), e.push(i || "/"), e;
}, []);
var yi = class {
  #t = /* @__PURE__ */ new Map();
  #i = /* @__PURE__ */ new Map();
  #s = /* @__PURE__ */ new Set();
  reserve(t, e) {
    t = ao ? ["win32 parallelization disabled"] : t.map((r) => mt(xr(Tr(r))));
    let i = new Set(t.map((r) => lo(r)).reduce((r, n) => r.concat(n)));
    this.#i.set(e, { dirs: i, paths: t });
    for (let r of t) {
      let n = this.#t.get(r);
      n ? n.push(e) : this.#t.set(r, [e]);
    }
    for (let r of i) {
      let n = this.#t.get(r);
      if (!n) this.#t.set(r, [/* @__PURE__ */ new Set([e])]);
      else {
        let o = n.at(-1);
        o instanceof Set ? o.add(e) : n.push(/* @__PURE__ */ new Set([e]));
      }
    }
    return this.#r(e);
  }
  #n(t) {
    let e = this.#i.get(t);
    if (!e) throw new Error("function does not have any path reservations");
    return { paths: e.paths.map((i) => this.#t.get(i)), dirs: [...e.dirs].map((i) => this.#t.get(i)) };
  }
  check(t) {
    let { paths: e, dirs: i } = this.#n(t);
    return e.every((r) => r && r[0] === t) && i.every((r) => r && r[0] instanceof Set && r[0].has(t));
  }
  #r(t) {
    return this.#s.has(t) || !this.check(t) ? false : (this.#s.add(t), t(() => this.#e(t)), true);
  }
  #e(t) {
    if (!this.#s.has(t)) return false;
    let e = this.#i.get(t);
    if (!e) throw new Error("invalid reservation");
    let { paths: i, dirs: r } = e, n = /* @__PURE__ */ new Set();
    for (let o of i) {
      let h = this.#t.get(o);
      if (!h || h?.[0] !== t) continue;
      let a = h[1];
      if (!a) {
        this.#t.delete(o);
        continue;
      }
      if (h.shift(), typeof a == "function") n.add(a);
      else for (let l of a) n.add(l);
    }
    for (let o of r) {
      let h = this.#t.get(o), a = h?.[0];
      if (!(!h || !(a instanceof Set))) if (a.size === 1 && h.length === 1) {
        this.#t.delete(o);
        continue;
      } else if (a.size === 1) {
        h.shift();
        let l = h[0];
        typeof l == "function" && n.add(l);
      } else a.delete(t);
    }
    return this.#s.delete(t), n.forEach((o) => this.#r(o)), true;
  }
};
var Lr = () => process.umask();
var Dr = /* @__PURE__ */ Symbol("onEntry");
var _s = /* @__PURE__ */ Symbol("checkFs");
var Nr = /* @__PURE__ */ Symbol("checkFs2");
var Os = /* @__PURE__ */ Symbol("isReusable");
var P = /* @__PURE__ */ Symbol("makeFs");
var Ts = /* @__PURE__ */ Symbol("file");
var xs = /* @__PURE__ */ Symbol("directory");
var gi = /* @__PURE__ */ Symbol("link");
var Ar = /* @__PURE__ */ Symbol("symlink");
var Ir = /* @__PURE__ */ Symbol("hardlink");
var Re = /* @__PURE__ */ Symbol("ensureNoSymlink");
var Cr = /* @__PURE__ */ Symbol("unsupported");
var Fr = /* @__PURE__ */ Symbol("checkPath");
var Rs = /* @__PURE__ */ Symbol("stripAbsolutePath");
var yt = /* @__PURE__ */ Symbol("mkdir");
var O = /* @__PURE__ */ Symbol("onError");
var Ri = /* @__PURE__ */ Symbol("pending");
var kr = /* @__PURE__ */ Symbol("pend");
var $t = /* @__PURE__ */ Symbol("unpend");
var gs = /* @__PURE__ */ Symbol("ended");
var bs = /* @__PURE__ */ Symbol("maybeClose");
var Ls = /* @__PURE__ */ Symbol("skip");
var ge = /* @__PURE__ */ Symbol("doChown");
var be = /* @__PURE__ */ Symbol("uid");
var _e = /* @__PURE__ */ Symbol("gid");
var Oe = /* @__PURE__ */ Symbol("checkedCwd");
var fo = process.env.TESTING_TAR_FAKE_PLATFORM || process.platform;
var Te = fo === "win32";
var uo = 1024;
var mo = (s3, t) => {
  if (!Te) return u.unlink(s3, t);
  let e = s3 + ".DELETE." + Mr(16).toString("hex");
  u.rename(s3, e, (i) => {
    if (i) return t(i);
    u.unlink(e, t);
  });
};
var po = (s3) => {
  if (!Te) return u.unlinkSync(s3);
  let t = s3 + ".DELETE." + Mr(16).toString("hex");
  u.renameSync(s3, t), u.unlinkSync(t);
};
var vr = (s3, t, e) => s3 !== void 0 && s3 === s3 >>> 0 ? s3 : t !== void 0 && t === t >>> 0 ? t : e;
var Xt = class extends rt {
  [gs] = false;
  [Oe] = false;
  [Ri] = 0;
  reservations = new yi();
  transform;
  writable = true;
  readable = false;
  uid;
  gid;
  setOwner;
  preserveOwner;
  processGid;
  processUid;
  maxDepth;
  forceChown;
  win32;
  newer;
  keep;
  noMtime;
  preservePaths;
  unlink;
  cwd;
  strip;
  processUmask;
  umask;
  dmode;
  fmode;
  chmod;
  constructor(t = {}) {
    if (t.ondone = () => {
      this[gs] = true, this[bs]();
    }, super(t), this.transform = t.transform, this.chmod = !!t.chmod, typeof t.uid == "number" || typeof t.gid == "number") {
      if (typeof t.uid != "number" || typeof t.gid != "number") throw new TypeError("cannot set owner without number uid and gid");
      if (t.preserveOwner) throw new TypeError("cannot preserve owner in archive and also set owner explicitly");
      this.uid = t.uid, this.gid = t.gid, this.setOwner = true;
    } else this.uid = void 0, this.gid = void 0, this.setOwner = false;
    this.preserveOwner = t.preserveOwner === void 0 && typeof t.uid != "number" ? process.getuid?.() === 0 : !!t.preserveOwner, this.processUid = (this.preserveOwner || this.setOwner) && process.getuid ? process.getuid() : void 0, this.processGid = (this.preserveOwner || this.setOwner) && process.getgid ? process.getgid() : void 0, this.maxDepth = typeof t.maxDepth == "number" ? t.maxDepth : uo, this.forceChown = t.forceChown === true, this.win32 = !!t.win32 || Te, this.newer = !!t.newer, this.keep = !!t.keep, this.noMtime = !!t.noMtime, this.preservePaths = !!t.preservePaths, this.unlink = !!t.unlink, this.cwd = f(R.resolve(t.cwd || process.cwd())), this.strip = Number(t.strip) || 0, this.processUmask = this.chmod ? typeof t.processUmask == "number" ? t.processUmask : Lr() : 0, this.umask = typeof t.umask == "number" ? t.umask : this.processUmask, this.dmode = t.dmode || 511 & ~this.umask, this.fmode = t.fmode || 438 & ~this.umask, this.on("entry", (e) => this[Dr](e));
  }
  warn(t, e, i = {}) {
    return (t === "TAR_BAD_ARCHIVE" || t === "TAR_ABORT") && (i.recoverable = false), super.warn(t, e, i);
  }
  [bs]() {
    this[gs] && this[Ri] === 0 && (this.emit("prefinish"), this.emit("finish"), this.emit("end"));
  }
  [Rs](t, e) {
    let i = t[e], { type: r } = t;
    if (!i || this.preservePaths) return true;
    let [n, o] = ce(i), h = o.replaceAll(/\\/g, "/").split("/");
    if (h.includes("..") || Te && /^[a-z]:\.\.$/i.test(h[0] ?? "")) {
      if (e === "path" || r === "Link") return this.warn("TAR_ENTRY_ERROR", `${e} contains '..'`, { entry: t, [e]: i }), false;
      let a = R.posix.dirname(t.path), l = R.posix.normalize(R.posix.join(a, h.join("/")));
      if (l.startsWith("../") || l === "..") return this.warn("TAR_ENTRY_ERROR", `${e} escapes extraction directory`, { entry: t, [e]: i }), false;
    }
    return n && (t[e] = String(o), this.warn("TAR_ENTRY_INFO", `stripping ${n} from absolute ${e}`, { entry: t, [e]: i })), true;
  }
  [Fr](t) {
    let e = f(t.path), i = e.split("/");
    if (this.strip) {
      if (i.length < this.strip) return false;
      if (t.type === "Link") {
        let r = f(String(t.linkpath)).split("/");
        if (r.length >= this.strip) t.linkpath = r.slice(this.strip).join("/");
        else return false;
      }
      i.splice(0, this.strip), t.path = i.join("/");
    }
    if (isFinite(this.maxDepth) && i.length > this.maxDepth) return this.warn("TAR_ENTRY_ERROR", "path excessively deep", { entry: t, path: e, depth: i.length, maxDepth: this.maxDepth }), false;
    if (!this[Rs](t, "path") || !this[Rs](t, "linkpath")) return false;
    if (t.absolute = R.isAbsolute(t.path) ? f(R.resolve(t.path)) : f(R.resolve(this.cwd, t.path)), !this.preservePaths && typeof t.absolute == "string" && t.absolute.indexOf(this.cwd + "/") !== 0 && t.absolute !== this.cwd) return this.warn("TAR_ENTRY_ERROR", "path escaped extraction target", { entry: t, path: f(t.path), resolvedPath: t.absolute, cwd: this.cwd }), false;
    if (t.absolute === this.cwd && t.type !== "Directory" && t.type !== "GNUDumpDir") return false;
    if (this.win32) {
      let { root: r } = R.win32.parse(String(t.absolute));
      t.absolute = r + ts(String(t.absolute).slice(r.length));
      let { root: n } = R.win32.parse(t.path);
      t.path = n + ts(t.path.slice(n.length));
    }
    return true;
  }
  [Dr](t) {
    if (!this[Fr](t)) return t.resume();
    switch (co.equal(typeof t.absolute, "string"), t.type) {
      case "Directory":
      case "GNUDumpDir":
        t.mode && (t.mode = t.mode | 448);
      case "File":
      case "OldFile":
      case "ContiguousFile":
      case "Link":
      case "SymbolicLink":
        return this[_s](t);
      default:
        return this[Cr](t);
    }
  }
  [O](t, e) {
    t.name === "CwdError" ? this.emit("error", t) : (this.warn("TAR_ENTRY_ERROR", t, { entry: e }), this[$t](), e.resume());
  }
  [yt](t, e, i) {
    gr(f(t), { uid: this.uid, gid: this.gid, processUid: this.processUid, processGid: this.processGid, umask: this.processUmask, preserve: this.preservePaths, unlink: this.unlink, cwd: this.cwd, mode: e }, i);
  }
  [ge](t) {
    return this.forceChown || this.preserveOwner && (typeof t.uid == "number" && t.uid !== this.processUid || typeof t.gid == "number" && t.gid !== this.processGid) || typeof this.uid == "number" && this.uid !== this.processUid || typeof this.gid == "number" && this.gid !== this.processGid;
  }
  [be](t) {
    return vr(this.uid, t.uid, this.processUid);
  }
  [_e](t) {
    return vr(this.gid, t.gid, this.processGid);
  }
  [Ts](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.fmode, r = new et(String(t.absolute), { flags: ms(t.size), mode: i, autoClose: false });
    r.on("error", (a) => {
      r.fd && u.close(r.fd, () => {
      }), r.write = () => true, this[O](a, t), e();
    });
    let n = 1, o = (a) => {
      if (a) {
        r.fd && u.close(r.fd, () => {
        }), this[O](a, t), e();
        return;
      }
      --n === 0 && r.fd !== void 0 && u.close(r.fd, (l) => {
        l ? this[O](l, t) : this[$t](), e();
      });
    };
    r.on("finish", () => {
      let a = String(t.absolute), l = r.fd;
      if (typeof l == "number" && t.mtime && !this.noMtime) {
        n++;
        let c = t.atime || /* @__PURE__ */ new Date(), d = t.mtime;
        u.futimes(l, c, d, (y) => y ? u.utimes(a, c, d, (T) => o(T && y)) : o());
      }
      if (typeof l == "number" && this[ge](t)) {
        n++;
        let c = this[be](t), d = this[_e](t);
        typeof c == "number" && typeof d == "number" && u.fchown(l, c, d, (y) => y ? u.chown(a, c, d, (T) => o(T && y)) : o());
      }
      o();
    });
    let h = this.transform && this.transform(t) || t;
    h !== t && (h.on("error", (a) => {
      this[O](a, t), e();
    }), t.pipe(h)), h.pipe(r);
  }
  [xs](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.dmode;
    this[yt](String(t.absolute), i, (r) => {
      if (r) {
        this[O](r, t), e();
        return;
      }
      let n = 1, o = () => {
        --n === 0 && (e(), this[$t](), t.resume());
      };
      t.mtime && !this.noMtime && (n++, u.utimes(String(t.absolute), t.atime || /* @__PURE__ */ new Date(), t.mtime, o)), this[ge](t) && (n++, u.chown(String(t.absolute), Number(this[be](t)), Number(this[_e](t)), o)), o();
    });
  }
  [Cr](t) {
    t.unsupported = true, this.warn("TAR_ENTRY_UNSUPPORTED", `unsupported entry type: ${t.type}`, { entry: t }), t.resume();
  }
  [Ar](t, e) {
    let i = f(R.relative(this.cwd, R.resolve(R.dirname(String(t.absolute)), String(t.linkpath)))).split("/");
    this[Re](t, this.cwd, i, () => this[gi](t, String(t.linkpath), "symlink", e), (r) => {
      this[O](r, t), e();
    });
  }
  [Ir](t, e) {
    let i = f(R.resolve(this.cwd, String(t.linkpath))), r = f(String(t.linkpath)).split("/");
    this[Re](t, this.cwd, r, () => this[gi](t, i, "link", e), (n) => {
      this[O](n, t), e();
    });
  }
  [Re](t, e, i, r, n) {
    let o = i.shift();
    if (this.preservePaths || o === void 0) return r();
    let h = R.resolve(e, o);
    u.lstat(h, (a, l) => {
      if (a) return r();
      if (l?.isSymbolicLink()) return n(new St(h, R.resolve(h, i.join("/"))));
      this[Re](t, h, i, r, n);
    });
  }
  [kr]() {
    this[Ri]++;
  }
  [$t]() {
    this[Ri]--, this[bs]();
  }
  [Ls](t) {
    this[$t](), t.resume();
  }
  [Os](t, e) {
    return t.type === "File" && !this.unlink && e.isFile() && e.nlink <= 1 && !Te;
  }
  [_s](t) {
    this[kr]();
    let e = [t.path];
    t.linkpath && e.push(t.linkpath), this.reservations.reserve(e, (i) => this[Nr](t, i));
  }
  [Nr](t, e) {
    let i = (h) => {
      e(h);
    }, r = () => {
      this[yt](this.cwd, this.dmode, (h) => {
        if (h) {
          this[O](h, t), i();
          return;
        }
        this[Oe] = true, n();
      });
    }, n = () => {
      if (t.absolute !== this.cwd) {
        let h = f(R.dirname(String(t.absolute)));
        if (h !== this.cwd) return this[yt](h, this.dmode, (a) => {
          if (a) {
            this[O](a, t), i();
            return;
          }
          o();
        });
      }
      o();
    }, o = () => {
      u.lstat(String(t.absolute), (h, a) => {
        if (a && (this.keep || this.newer && a.mtime > (t.mtime ?? a.mtime))) {
          this[Ls](t), i();
          return;
        }
        if (h || this[Os](t, a)) return this[P](null, t, i);
        if (a.isDirectory()) {
          if (t.type === "Directory") {
            let l = this.chmod && t.mode && (a.mode & 4095) !== t.mode, c = (d) => this[P](d ?? null, t, i);
            return l ? u.chmod(String(t.absolute), Number(t.mode), c) : c();
          }
          if (t.absolute !== this.cwd) return u.rmdir(String(t.absolute), (l) => this[P](l ?? null, t, i));
        }
        if (t.absolute === this.cwd) return this[P](null, t, i);
        mo(String(t.absolute), (l) => this[P](l ?? null, t, i));
      });
    };
    this[Oe] ? n() : r();
  }
  [P](t, e, i) {
    if (t) {
      this[O](t, e), i();
      return;
    }
    switch (e.type) {
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return this[Ts](e, i);
      case "Link":
        return this[Ir](e, i);
      case "SymbolicLink":
        return this[Ar](e, i);
      case "Directory":
      case "GNUDumpDir":
        return this[xs](e, i);
    }
  }
  [gi](t, e, i, r) {
    u[i](e, String(t.absolute), (n) => {
      n ? this[O](n, t) : (this[$t](), t.resume()), r();
    });
  }
};
var ye = (s3) => {
  try {
    return [null, s3()];
  } catch (t) {
    return [t, null];
  }
};
var xe = class extends Xt {
  sync = true;
  [P](t, e) {
    return super[P](t, e, () => {
    });
  }
  [_s](t) {
    if (!this[Oe]) {
      let n = this[yt](this.cwd, this.dmode);
      if (n) return this[O](n, t);
      this[Oe] = true;
    }
    if (t.absolute !== this.cwd) {
      let n = f(R.dirname(String(t.absolute)));
      if (n !== this.cwd) {
        let o = this[yt](n, this.dmode);
        if (o) return this[O](o, t);
      }
    }
    let [e, i] = ye(() => u.lstatSync(String(t.absolute)));
    if (i && (this.keep || this.newer && i.mtime > (t.mtime ?? i.mtime))) return this[Ls](t);
    if (e || this[Os](t, i)) return this[P](null, t);
    if (i.isDirectory()) {
      if (t.type === "Directory") {
        let o = this.chmod && t.mode && (i.mode & 4095) !== t.mode, [h] = o ? ye(() => {
          u.chmodSync(String(t.absolute), Number(t.mode));
        }) : [];
        return this[P](h, t);
      }
      let [n] = ye(() => u.rmdirSync(String(t.absolute)));
      this[P](n, t);
    }
    let [r] = t.absolute === this.cwd ? [] : ye(() => po(String(t.absolute)));
    this[P](r, t);
  }
  [Ts](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.fmode, r = (h) => {
      let a;
      try {
        u.closeSync(n);
      } catch (l) {
        a = l;
      }
      (h || a) && this[O](h || a, t), e();
    }, n;
    try {
      n = u.openSync(String(t.absolute), ms(t.size), i);
    } catch (h) {
      return r(h);
    }
    let o = this.transform && this.transform(t) || t;
    o !== t && (o.on("error", (h) => this[O](h, t)), t.pipe(o)), o.on("data", (h) => {
      try {
        u.writeSync(n, h, 0, h.length);
      } catch (a) {
        r(a);
      }
    }), o.on("end", () => {
      let h = null;
      if (t.mtime && !this.noMtime) {
        let a = t.atime || /* @__PURE__ */ new Date(), l = t.mtime;
        try {
          u.futimesSync(n, a, l);
        } catch (c) {
          try {
            u.utimesSync(String(t.absolute), a, l);
          } catch {
            h = c;
          }
        }
      }
      if (this[ge](t)) {
        let a = this[be](t), l = this[_e](t);
        try {
          u.fchownSync(n, Number(a), Number(l));
        } catch (c) {
          try {
            u.chownSync(String(t.absolute), Number(a), Number(l));
          } catch {
            h = h || c;
          }
        }
      }
      r(h);
    });
  }
  [xs](t, e) {
    let i = typeof t.mode == "number" ? t.mode & 4095 : this.dmode, r = this[yt](String(t.absolute), i);
    if (r) {
      this[O](r, t), e();
      return;
    }
    if (t.mtime && !this.noMtime) try {
      u.utimesSync(String(t.absolute), t.atime || /* @__PURE__ */ new Date(), t.mtime);
    } catch {
    }
    if (this[ge](t)) try {
      u.chownSync(String(t.absolute), Number(this[be](t)), Number(this[_e](t)));
    } catch {
    }
    e(), t.resume();
  }
  [yt](t, e) {
    try {
      return _r(f(t), { uid: this.uid, gid: this.gid, processUid: this.processUid, processGid: this.processGid, umask: this.processUmask, preserve: this.preservePaths, unlink: this.unlink, cwd: this.cwd, mode: e });
    } catch (i) {
      return i;
    }
  }
  [Re](t, e, i, r, n) {
    if (this.preservePaths || i.length === 0) return r();
    let o = e;
    for (let h of i) {
      o = R.resolve(o, h);
      let [a, l] = ye(() => u.lstatSync(o));
      if (a) return r();
      if (l.isSymbolicLink()) return n(new St(o, R.resolve(e, i.join("/"))));
    }
    r();
  }
  [gi](t, e, i, r) {
    let n = `${i}Sync`;
    try {
      u[n](e, String(t.absolute)), r(), t.resume();
    } catch (o) {
      return this[O](o, t);
    }
  }
};
var Eo = (s3) => {
  let t = new xe(s3), e = s3.file, i = Br.statSync(e), r = s3.maxReadSize || 16 * 1024 * 1024;
  new Be(e, { readSize: r, size: i.size }).pipe(t);
};
var wo = (s3, t) => {
  let e = new Xt(s3), i = s3.maxReadSize || 16 * 1024 * 1024, r = s3.file;
  return new Promise((o, h) => {
    e.on("error", h), e.on("close", o), Br.stat(r, (a, l) => {
      if (a) h(a);
      else {
        let c = new _t(r, { readSize: i, size: l.size });
        c.on("error", h), c.pipe(e);
      }
    });
  });
};
var So = K(Eo, wo, (s3) => new xe(s3), (s3) => new Xt(s3), (s3, t) => {
  t?.length && Qi(s3, t);
});
var yo = (s3, t) => {
  let e = new kt(s3), i = true, r, n;
  try {
    try {
      r = v.openSync(s3.file, "r+");
    } catch (a) {
      if (a?.code === "ENOENT") r = v.openSync(s3.file, "w+");
      else throw a;
    }
    let o = v.fstatSync(r), h = Buffer.alloc(512);
    t: for (n = 0; n < o.size; n += 512) {
      for (let c = 0, d = 0; c < 512; c += d) {
        if (d = v.readSync(r, h, c, h.length - c, n + c), n === 0 && h[0] === 31 && h[1] === 139) throw new Error("cannot append to compressed archives");
        if (!d) break t;
      }
      let a = new F(h);
      if (!a.cksumValid) break;
      let l = 512 * Math.ceil((a.size || 0) / 512);
      if (n + l + 512 > o.size) break;
      n += l, s3.mtimeCache && a.mtime && s3.mtimeCache.set(String(a.path), a.mtime);
    }
    i = false, Ro(s3, e, n, r, t);
  } finally {
    if (i) try {
      v.closeSync(r);
    } catch {
    }
  }
};
var Ro = (s3, t, e, i, r) => {
  let n = new Wt(s3.file, { fd: i, start: e });
  t.pipe(n), bo(t, r);
};
var go = (s3, t) => {
  t = Array.from(t);
  let e = new wt(s3), i = (n, o, h) => {
    let a = (T, D) => {
      T ? v.close(n, (E) => h(T)) : h(null, D);
    }, l = 0;
    if (o === 0) return a(null, 0);
    let c = 0, d = Buffer.alloc(512), y = (T, D) => {
      if (T || D === void 0) return a(T);
      if (c += D, c < 512 && D) return v.read(n, d, c, d.length - c, l + c, y);
      if (l === 0 && d[0] === 31 && d[1] === 139) return a(new Error("cannot append to compressed archives"));
      if (c < 512) return a(null, l);
      let E = new F(d);
      if (!E.cksumValid) return a(null, l);
      let x = 512 * Math.ceil((E.size ?? 0) / 512);
      if (l + x + 512 > o || (l += x + 512, l >= o)) return a(null, l);
      s3.mtimeCache && E.mtime && s3.mtimeCache.set(String(E.path), E.mtime), c = 0, v.read(n, d, 0, 512, l, y);
    };
    v.read(n, d, 0, 512, l, y);
  };
  return new Promise((n, o) => {
    e.on("error", o);
    let h = "r+", a = (l, c) => {
      if (l && l.code === "ENOENT" && h === "r+") return h = "w+", v.open(s3.file, h, a);
      if (l || !c) return o(l);
      v.fstat(c, (d, y) => {
        if (d) return v.close(c, () => o(d));
        i(c, y.size, (T, D) => {
          if (T) return o(T);
          let E = new et(s3.file, { fd: c, start: D });
          e.pipe(E), E.on("error", o), E.on("close", n), _o(e, t);
        });
      });
    };
    v.open(s3.file, h, a);
  });
};
var bo = (s3, t) => {
  t.forEach((e) => {
    e.charAt(0) === "@" ? Ct({ file: Pr.resolve(s3.cwd, e.slice(1)), sync: true, noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  }), s3.end();
};
var _o = async (s3, t) => {
  for (let e of t) e.charAt(0) === "@" ? await Ct({ file: Pr.resolve(String(s3.cwd), e.slice(1)), noResume: true, onReadEntry: (i) => s3.add(i) }) : s3.add(e);
  s3.end();
};
var vt = K(yo, go, () => {
  throw new TypeError("file is required");
}, () => {
  throw new TypeError("file is required");
}, (s3, t) => {
  if (!Bs(s3)) throw new TypeError("file is required");
  if (s3.gzip || s3.brotli || s3.zstd || s3.file.endsWith(".br") || s3.file.endsWith(".tbr")) throw new TypeError("cannot append to compressed archives");
  if (!t?.length) throw new TypeError("no paths specified to add/replace");
});
var Oo = K(vt.syncFile, vt.asyncFile, vt.syncNoFile, vt.asyncNoFile, (s3, t = []) => {
  vt.validate?.(s3, t), To(s3);
});
var To = (s3) => {
  let t = s3.filter;
  s3.mtimeCache || (s3.mtimeCache = /* @__PURE__ */ new Map()), s3.filter = t ? (e, i) => t(e, i) && !((s3.mtimeCache?.get(e) ?? i.mtime ?? 0) > (i.mtime ?? 0)) : (e, i) => !((s3.mtimeCache?.get(e) ?? i.mtime ?? 0) > (i.mtime ?? 0));
};

// src/executor/unpack.ts
var WHITEOUT = ".wh.";
var OPAQUE = ".wh..wh..opq";
var isRoot = () => process.getuid?.() === 0;
async function unpackLayers(root, layers, options = {}) {
  for (const [i, layer] of layers.entries()) {
    try {
      await unpackLayer(root, layer.file, options);
    } catch (error2) {
      throw new Error(
        `Could not unpack layer ${i + 1} of ${layers.length} (${layer.digest}): ${errorMessage(
          error2
        )}`,
        { cause: error2 }
      );
    }
  }
}
function unpackLayer(root, file, options = {}) {
  return new Promise((resolve2, reject) => {
    let failed = false;
    const input = fs7.createReadStream(file);
    const parser = new rt({ strict: true });
    const layer = new LayerWriter(root, options, (error2) => fail(error2));
    const fail = (error2) => {
      if (failed) return;
      failed = true;
      input.destroy();
      layer.abort();
      reject(error2 instanceof Error ? error2 : new Error(String(error2)));
    };
    parser.on("entry", (entry) => {
      if (failed) {
        entry.resume();
        return;
      }
      try {
        layer.apply(entry);
      } catch (error2) {
        entry.resume();
        fail(error2);
      }
    });
    parser.on("error", fail);
    parser.on("end", () => {
      if (failed) return;
      try {
        layer.finish();
        resolve2();
      } catch (error2) {
        fail(error2);
      }
    });
    input.on("error", fail);
    input.on("data", (chunk) => {
      if (failed) return;
      if (!parser.write(chunk)) {
        input.pause();
        parser.once("drain", () => input.resume());
      }
    });
    input.on("end", () => {
      if (!failed) parser.end();
    });
  });
}
var LayerWriter = class {
  constructor(root, options, onError) {
    this.root = root;
    this.options = options;
    this.onError = onError;
  }
  root;
  options;
  onError;
  /** Host paths this layer wrote, and every directory above them: an opaque marker keeps them. */
  kept = /* @__PURE__ */ new Set();
  /** Directory modes and times, applied when the layer is done (a 0555 directory still fills). */
  dirs = [];
  openFd;
  apply(entry) {
    const parts = rootParts(entry.path);
    const name = parts.pop();
    if (name === void 0) {
      entry.resume();
      return;
    }
    const inside = parts.join("/");
    if (name === OPAQUE) {
      entry.resume();
      this.opaque(resolveInRoot(this.root, inside, { followFinal: true }));
      return;
    }
    if (name.startsWith(WHITEOUT)) {
      entry.resume();
      const hidden = name.slice(WHITEOUT.length);
      if (hidden.startsWith(WHITEOUT) || hidden === "" || hidden === ".." || hidden === ".") return;
      const dir = resolveInRoot(this.root, inside, { followFinal: true });
      const target = path5.join(dir, hidden);
      if (!this.kept.has(target)) fs7.rmSync(target, { recursive: true, force: true });
      return;
    }
    const parent = resolveInRoot(this.root, inside, { followFinal: true, createParents: true });
    ensureDirectory(parent, this.root);
    const abs = path5.join(parent, name);
    switch (entry.type) {
      case "Directory":
        entry.resume();
        this.directory(abs, entry);
        break;
      case "File":
      case "OldFile":
      case "ContiguousFile":
        this.file(abs, entry);
        break;
      case "SymbolicLink":
        entry.resume();
        this.symlink(abs, entry);
        break;
      case "Link":
        entry.resume();
        this.hardlink(abs, entry);
        break;
      case "CharacterDevice":
      case "BlockDevice":
      case "FIFO":
        entry.resume();
        this.options.onWarning?.(`skipped ${entry.type} /${[...parts, name].join("/")}`);
        return;
      default:
        entry.resume();
        this.options.onWarning?.(`skipped ${entry.type} entry /${[...parts, name].join("/")}`);
        return;
    }
    this.keep(abs);
  }
  /** Called when the archive ended: directory modes and times, deepest first. */
  finish() {
    for (const dir of this.dirs.reverse()) {
      fs7.chmodSync(dir.abs, dir.mode);
      if (dir.mtime) fs7.utimesSync(dir.abs, dir.mtime, dir.mtime);
    }
  }
  abort() {
    if (this.openFd !== void 0) {
      fs7.closeSync(this.openFd);
      this.openFd = void 0;
    }
  }
  keep(abs) {
    for (let p2 = abs; p2 !== this.root && p2.startsWith(this.root); p2 = path5.dirname(p2)) {
      this.kept.add(p2);
    }
  }
  opaque(dir) {
    this.keep(dir);
    const st2 = lstatOrNull(dir);
    if (st2?.isDirectory()) this.clearBelow(dir);
  }
  /** Deletes what the layers below put in `dir`, keeping what this layer wrote. */
  clearBelow(dir) {
    for (const child of fs7.readdirSync(dir)) {
      const p2 = path5.join(dir, child);
      if (!this.kept.has(p2)) {
        fs7.rmSync(p2, { recursive: true, force: true });
      } else if (fs7.lstatSync(p2).isDirectory()) {
        this.clearBelow(p2);
      }
    }
  }
  /** Removes what is at `abs` unless it is a directory and `keepDirectory`. */
  clear(abs, keepDirectory) {
    const st2 = lstatOrNull(abs);
    if (st2 === null) return false;
    if (keepDirectory && st2.isDirectory()) return true;
    fs7.rmSync(abs, { recursive: true, force: true });
    return false;
  }
  directory(abs, entry) {
    if (!this.clear(abs, true)) fs7.mkdirSync(abs, { mode: 448 });
    this.chown(abs, entry, false);
    this.dirs.push({ abs, mode: mode(entry, 493), mtime: entry.mtime });
  }
  file(abs, entry) {
    this.clear(abs, false);
    const flags = fs7.constants.O_WRONLY | fs7.constants.O_CREAT | fs7.constants.O_EXCL;
    const fd = fs7.openSync(abs, flags | fs7.constants.O_NOFOLLOW, 384);
    this.openFd = fd;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.openFd = void 0;
      try {
        if (isRoot()) fs7.fchownSync(fd, entry.uid ?? 0, entry.gid ?? 0);
        fs7.fchmodSync(fd, mode(entry, 420));
        if (entry.mtime) fs7.futimesSync(fd, entry.mtime, entry.mtime);
      } catch (error2) {
        this.onError(error2);
      } finally {
        fs7.closeSync(fd);
      }
    };
    entry.on("data", (chunk) => {
      if (done) return;
      try {
        let offset = 0;
        while (offset < chunk.length) offset += fs7.writeSync(fd, chunk, offset);
      } catch (error2) {
        this.abort();
        done = true;
        this.onError(error2);
      }
    });
    entry.on("end", finish);
    if (entry.emittedEnd) finish();
  }
  symlink(abs, entry) {
    if (!entry.linkpath) throw new Error(`The symbolic link /${entry.path} has no target.`);
    this.clear(abs, false);
    fs7.symlinkSync(entry.linkpath, abs);
    this.chown(abs, entry, true);
    if (entry.mtime) fs7.lutimesSync(abs, entry.mtime, entry.mtime);
  }
  hardlink(abs, entry) {
    if (!entry.linkpath) throw new Error(`The hard link /${entry.path} has no target.`);
    const target = resolveInRoot(this.root, entry.linkpath);
    const st2 = lstatOrNull(target);
    if (st2 === null || st2.isDirectory()) {
      throw new Error(
        `The hard link /${entry.path} points at /${rootParts(entry.linkpath).join("/")}, which is ${st2 === null ? "not in the image" : "a directory"}.`
      );
    }
    if (target === abs) return;
    this.clear(abs, false);
    fs7.linkSync(target, abs);
  }
  chown(abs, entry, link) {
    if (!isRoot()) return;
    if (link) fs7.lchownSync(abs, entry.uid ?? 0, entry.gid ?? 0);
    else fs7.chownSync(abs, entry.uid ?? 0, entry.gid ?? 0);
  }
};
function mode(entry, fallback) {
  return entry.mode === void 0 ? fallback : entry.mode & 4095;
}
function ensureDirectory(dir, root) {
  const st2 = lstatOrNull(dir);
  if (st2 === null) fs7.mkdirSync(dir, { recursive: true, mode: 493 });
  else if (!st2.isDirectory()) {
    throw new Error(`/${path5.relative(root, dir)} is not a directory, but an entry is below it.`);
  }
}

// src/executor/install.ts
var DOWNLOAD_CONCURRENCY = 3;
async function installExecutor(inputs, options = {}) {
  const ref = parseExecutorReference(inputs.executorImage);
  const platform = options.platform ?? runnerPlatform();
  const log = options.log ?? ((line) => info(line));
  const warn = options.warn ?? ((message) => warning(message));
  const registries = options.registries ?? new Registries(inputs);
  const client = registries.client(ref.apiHost);
  const failure = (step2, error2) => new InstallError(
    `Could not install the kaniko executor ${ref.image} (${platformName(platform)}): ${step2}: ${errorMessage(error2)}`,
    { cause: error2 }
  );
  try {
    const target = await resolvePlatformManifest(client, ref, platform, failure);
    const key = { version: cacheVersion(target.digest), arch: cacheArch(platform) };
    const cached = await findEntry(key);
    if (cached.found) {
      log(
        `Found ${ref.image} (${platformName(platform)}, ${target.digest}) in the tool cache, verified.`
      );
      return installed(cached.found, true);
    }
    if (cached.invalid) {
      warn(
        `The cached kaniko executor ${ref.image} (${platformName(platform)}) no longer matches what was installed (${cached.invalid}); it is not run, and is installed again.`
      );
    }
    const { entry, installed: fresh } = await installEntry(
      key,
      (rootfs) => download(client, ref, platform, target, rootfs, log, failure)
    ).catch((error2) => {
      throw error2 instanceof InstallError ? error2 : failure("storing it in the tool cache", error2);
    });
    if (!fresh) log(`Another job installed ${ref.image} meanwhile; using it.`);
    return installed(entry, !fresh);
  } finally {
    if (!options.registries) await registries.close();
  }
}
var InstallError = class extends Error {
  name = "InstallError";
};
async function step(name, failure, work) {
  try {
    return await work();
  } catch (error2) {
    throw failure(name, error2);
  }
}
async function resolvePlatformManifest(client, ref, platform, failure) {
  const top = await step(
    "reading the image",
    failure,
    () => client.getManifest(ref.repository, ref.reference, MANIFEST_TYPES)
  );
  if (ref.digest && top.digest !== ref.digest) {
    throw failure(
      "reading the image",
      new Error(`the registry sent ${top.digest}, not the pinned ${ref.digest}; refusing it`)
    );
  }
  if (INDEX_TYPES.includes(top.mediaType)) {
    return step(
      "choosing the platform",
      failure,
      async () => selectManifest(parseIndex(top.body), platform, ref.image)
    );
  }
  if (IMAGE_MANIFEST_TYPES.includes(top.mediaType)) {
    return { mediaType: top.mediaType, digest: top.digest, size: top.body.length, manifest: top };
  }
  throw failure(
    "reading the image",
    new Error(`unexpected media type ${top.mediaType || "(none)"}`)
  );
}
function installed(entry, cached) {
  const { config } = entry.record;
  return {
    rootfs: entry.rootfs,
    digest: entry.record.manifestDigest,
    env: config.env,
    entrypoint: config.entrypoint.length > 0 ? config.entrypoint : config.cmd,
    image: entry.record.image,
    platform: entry.record.platform,
    cached,
    fingerprint: entry.fingerprint
  };
}
async function download(client, ref, platform, target, rootfs, log, failure) {
  const base = process.env.RUNNER_TEMP || os2.tmpdir();
  fs8.mkdirSync(base, { recursive: true });
  const staging = fs8.mkdtempSync(path6.join(fs8.realpathSync(base), "kaniko-executor-"));
  try {
    const manifest = target.manifest ?? await step("fetching the platform manifest", failure, async () => {
      const m2 = await client.getManifest(ref.repository, target.digest, IMAGE_MANIFEST_TYPES);
      if (m2.body.length !== target.size) {
        throw new Error(
          `the manifest ${target.digest} has ${m2.body.length} bytes, not the ${target.size} the index says; refusing it`
        );
      }
      return m2;
    });
    const { config: configDescriptor, layers } = await step(
      "reading the manifest",
      failure,
      async () => parseImageManifest(manifest.body)
    );
    const blobs = path6.join(staging, "blobs");
    fs8.mkdirSync(blobs);
    const config = await step(
      `downloading the config ${configDescriptor.digest}`,
      failure,
      async () => {
        const file = path6.join(blobs, "config");
        await downloadBlob(client, ref.repository, configDescriptor, file);
        return parseImageConfig(await fs8.promises.readFile(file));
      }
    );
    if (target.manifest && config.platform.os && !platformRuns(config.platform, platform)) {
      throw failure(
        "checking the platform",
        new Error(`the image is for ${platformName(config.platform)}, not for this runner`)
      );
    }
    if (config.entrypoint.length === 0 && config.cmd.length === 0) {
      throw failure("reading the config", new Error("the image has no entrypoint"));
    }
    const total = layers.reduce((sum, l) => sum + l.size, 0);
    log(
      `Downloading ${ref.image} (${platformName(platform)}, ${manifest.digest}): ${layers.length} layer${layers.length === 1 ? "" : "s"}, ${(total / 1024 / 1024).toFixed(1)} MiB.`
    );
    const files = layers.map((l, i) => ({
      file: path6.join(blobs, `layer-${i}`),
      digest: l.digest
    }));
    await mapAll(
      layers,
      DOWNLOAD_CONCURRENCY,
      (layer, i) => step(
        `downloading layer ${i + 1} of ${layers.length} (${layer.digest})`,
        failure,
        () => downloadBlob(client, ref.repository, layer, files[i].file)
      )
    );
    await step(
      "unpacking the layers",
      failure,
      () => unpackLayers(rootfs, files, { onWarning: (m2) => log(`  ${m2}`) })
    );
    return {
      image: ref.image,
      manifestDigest: manifest.digest,
      platform: platformName(platform),
      config
    };
  } finally {
    fs8.rmSync(staging, { recursive: true, force: true });
  }
}

// src/report/commit-status.ts
import { createHash } from "node:crypto";
var MAX_DESCRIPTION = 140;
var MAX_CONTEXT = 255;
var CONTEXT_PREFIX = "kaniko-release/";
function truncate(text, max) {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}\u2026`;
}
function statusContext(directory) {
  const context = `${CONTEXT_PREFIX}${directory}`;
  if (Array.from(context).length <= MAX_CONTEXT) return context;
  const hash = createHash("sha256").update(directory).digest("hex").slice(0, 12);
  return `${truncate(context, MAX_CONTEXT - hash.length - 1)}-${hash}`;
}
function status(state, directory, description, targetUrl) {
  return {
    state,
    context: statusContext(directory),
    description: truncate(description, MAX_DESCRIPTION),
    ...targetUrl ? { target_url: targetUrl } : {}
  };
}
function pendingStatus(plan2, links) {
  return status(
    "pending",
    plan2.directory,
    `Building ${plan2.ref.reference}:${plan2.version}`,
    links.runUrl
  );
}
function finalStatus(result, tried, links) {
  const ref = `${result.image}:${result.version}`;
  const digest = result.digest ? ` (${shortDigest(result.digest)})` : "";
  switch (result.status) {
    case "pushed":
      return status("success", result.directory, `Pushed ${ref}${digest}`, result.webUrl);
    case "built":
      return status("success", result.directory, `Built ${ref}${digest}, not pushed`, "");
    case "unchanged":
      return status(
        "success",
        result.directory,
        `Unchanged: ${ref} already holds this build`,
        result.webUrl
      );
    case "failed":
      if (tried) {
        return status("failure", result.directory, `Failed: ${result.error}`, links.runUrl);
      }
      return status("error", result.directory, notBuilt(result.error), links.runUrl);
    case "skipped":
      return status("error", result.directory, notBuilt(result.error), links.runUrl);
  }
}
function notBuilt(reason) {
  return /^not built\b/i.test(reason) ? `Not built${reason.slice("not built".length)}` : `Not built: ${reason}`;
}
var DEFAULT_STATUS_RETRY = {
  attempts: 3,
  baseDelayMs: 1e3,
  maxDelayMs: 8e3,
  maxRetryAfterMs: 6e4,
  timeoutMs: 15e3
};
function retryable(error2) {
  const code = error2.status;
  return code === void 0 || code === 429 || code >= 500;
}
function refused(error2) {
  const code = error2.status;
  return code === 401 || code === 403 || code === 404;
}
function timedOut(error2) {
  for (let e = error2, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e.name === "AbortError" || e.name === "TimeoutError") return true;
  }
  return false;
}
function reasonOf(error2, timeoutMs) {
  if (timedOut(error2)) return `no answer within ${timeoutMs / 1e3} s`;
  const code = error2.status;
  const message = truncate(errorMessage(error2), 300);
  return code !== void 0 && !message.startsWith(String(code)) ? `${code} ${message}` : message;
}
var CommitStatuses = class {
  constructor(options) {
    this.options = options;
    this.retry = { ...DEFAULT_STATUS_RETRY, ...options.retry };
    this.warn = options.warn ?? ((message) => warning(message));
    this.sleep = options.sleep ?? ((ms2) => new Promise((resolve2) => setTimeout(resolve2, ms2)));
  }
  options;
  retry;
  warn;
  sleep;
  /** Per directory, the last call in flight: the next one waits for it, so order is kept. */
  chains = /* @__PURE__ */ new Map();
  /** Directories whose final status was requested. */
  done = /* @__PURE__ */ new Set();
  /** Set once GitHub refused the token: no further calls. */
  refusal = "";
  started(plan2) {
    this.enqueue(plan2.directory, pendingStatus(plan2, this.options.links));
  }
  finished(result) {
    this.done.add(result.directory);
    this.enqueue(result.directory, finalStatus(result, true, this.options.links));
  }
  /**
   * Gives every directory not reported by its build its last status (`error`: not tried, or
   * the reason it failed before its build), then waits for every call. Never throws.
   */
  async settle(results) {
    for (const result of results) {
      if (this.done.has(result.directory)) continue;
      this.done.add(result.directory);
      this.enqueue(result.directory, finalStatus(result, false, this.options.links));
    }
    await Promise.all(this.chains.values());
  }
  enqueue(directory, body) {
    const previous = this.chains.get(directory) ?? Promise.resolve();
    this.chains.set(
      directory,
      previous.then(() => this.send(body))
    );
  }
  /** One status with bounded retries; a failure becomes a warning. */
  async send(body) {
    if (this.refusal) return;
    const { attempts, timeoutMs } = this.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.post(this.options.sha, body, AbortSignal.timeout(timeoutMs));
        return;
      } catch (error2) {
        const reason = reasonOf(error2, timeoutMs);
        const delay = attempt < attempts && retryable(error2) ? this.delayFor(attempt, error2) : -1;
        if (delay >= 0) {
          debug(`Commit status ${body.context}: ${reason}; retrying in ${delay} ms.`);
          await this.sleep(delay);
          continue;
        }
        if (refused(error2)) {
          if (this.refusal) return;
          this.refusal = reason;
          this.warn(
            `Commit statuses are not set: GitHub answered ${plain(reason)}. Give the job 'permissions: statuses: write', or a 'github-token' that may write commit statuses of this repository. The release itself is not affected.`
          );
          return;
        }
        const tries = attempt === 1 ? "" : ` after ${attempt} tries`;
        this.warn(
          `Could not set the commit status ${plain(body.context)} to ${body.state}${tries}: ${plain(reason)}. The release itself is not affected.`
        );
        return;
      }
    }
  }
  /** The wait before the next try, or -1 when GitHub asks for longer than the bound. */
  delayFor(attempt, error2) {
    const header = error2.response?.headers?.["retry-after"];
    const asked = parseRetryAfter(header ?? null);
    if (asked !== void 0) return asked <= this.retry.maxRetryAfterMs ? asked : -1;
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
  }
};
function statusCommit(event, built) {
  if (event.name === "pull_request" || event.name === "pull_request_target") {
    const pr2 = event.payload.pull_request;
    const sha = pr2?.head?.sha;
    if (typeof sha === "string" && OBJECT_ID.test(sha)) return sha;
  }
  return built;
}
function runUrl(env) {
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return "";
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
async function commitStatusesFor(inputs, sha, env = process.env, options = {}) {
  if (!inputs.commitStatus) return void 0;
  const [owner, repo, ...extra] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const warn = options.warn ?? ((message) => warning(message));
  if (!owner || !repo || extra.length > 0 || !sha) {
    warn(
      `Commit statuses are not set: ${!sha ? "the commit built is not known (no git checkout and no GITHUB_SHA)" : "GITHUB_REPOSITORY is not owner/name"}. The release itself is not affected.`
    );
    return void 0;
  }
  let octokit;
  try {
    const { getOctokit } = await import("./chunks/github-36EJ56BT.js");
    octokit = getOctokit(inputs.githubToken, {
      baseUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
      userAgent: "kaniko-release",
      log: {
        debug: (m2) => debug(m2),
        info: (m2) => debug(m2),
        warn: (m2) => debug(m2),
        error: (m2) => debug(m2)
      }
    });
  } catch (error2) {
    warn(
      `Commit statuses are not set: the GitHub client cannot be made (${plain(errorMessage(error2))}). The release itself is not affected.`
    );
    return void 0;
  }
  const post = async (commit, body, signal) => {
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: commit,
      ...body,
      request: { signal }
    });
  };
  return new CommitStatuses({ ...options, post, sha, links: { runUrl: runUrl(env) } });
}

// src/action/main-step.ts
function failureMessage(results) {
  const failed = results.filter((r) => r.status === "failed");
  return `${failed.length} of ${results.length} image director${results.length === 1 ? "y" : "ies"} failed: ${failed.map((r) => `${plain(r.directory)} (${r.error})`).join("; ")}`;
}
async function baseCacheFor(plans, inputs, registries, logins, credentials) {
  try {
    const cache = await startBaseCache({
      inputs,
      bases: await baseImagesOfPlans(plans, inputs, workspace()),
      registries,
      logins,
      credentials,
      temp: runnerTemp()
    });
    if (cache) saveState(State.BaseCacheDir, cache.dir);
    return cache;
  } catch (error2) {
    warning(`${errorMessage(error2)}; every build pulls its base images itself.`);
    return void 0;
  }
}
async function runMain() {
  const inputs = getInputs("main");
  let planned;
  try {
    planned = await plan(inputs);
  } catch (error2) {
    writePlanOutputs([]);
    writeImagesOutput([]);
    if (inputs.summary)
      await writeSummary([], { failure: `No image was built: ${errorMessage(error2)}` });
    throw error2;
  }
  writePlanOutputs(planned.plans);
  const anything = planned.plans.length + planned.failures.length > 0;
  const revision = anything ? await headRevision(workspace(), process.env) : "";
  const statuses = anything ? await commitStatusesFor(inputs, statusCommit(planned.event, revision)) : void 0;
  const results = planned.failures.map(failedResult);
  let stageError;
  try {
    if (inputs.failFast && planned.failures.length > 0) {
      for (const p2 of planned.plans)
        results.push(resultOf(p2, inputs.latest, "skipped", SKIPPED_BY_FAIL_FAST));
    } else if (planned.plans.length > 0) {
      const runtime = await selectRuntime(inputs, {
        record: (ids) => saveState(State.Containers, JSON.stringify(ids))
      });
      saveState(State.WorkDir, runtime.workDir);
      info(
        `Builds run in ${runtime.name} containers (${runtime.version ?? "version unknown"}).`
      );
      const logins = new Logins(inputs);
      const credentials = await writeCredentials(logins);
      saveState(State.CredentialsDir, credentials.dir);
      const registries = new Registries(inputs, void 0, logins);
      try {
        const executor = await group(
          "Install the kaniko executor",
          () => installExecutor(inputs, { registries })
        );
        const baseCache = await baseCacheFor(
          planned.plans,
          inputs,
          registries,
          logins,
          credentials
        );
        try {
          results.push(
            ...await buildImages(planned.plans, {
              inputs,
              workspace: workspace(),
              executor,
              runtime,
              credentials,
              registry: registries,
              revision,
              statuses,
              baseMirror: baseCache?.mirror
            })
          );
        } finally {
          await baseCache?.stop();
        }
      } finally {
        await registries.close();
      }
    }
  } catch (error2) {
    stageError = error2;
    const done = new Set(results.map((r) => r.directory));
    const message = errorMessage(error2);
    for (const p2 of planned.plans) {
      if (!done.has(p2.directory)) results.push(resultOf(p2, inputs.latest, "failed", message));
    }
  } finally {
    results.sort((a, b2) => compareStrings(a.directory, b2.directory));
    writeImagesOutput(results);
    if (inputs.summary) {
      await writeSummary(results, {
        heading: planned.description,
        notes: planned.notices,
        versionGiven: inputs.version !== ""
      });
    }
    await statuses?.settle(results);
  }
  if (stageError !== void 0) throw stageError;
  if (results.some((r) => r.status === "failed")) throw new Error(failureMessage(results));
}

// src/main.ts
await run(runMain);
