import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  SHA256_DIGEST
} from "./chunk-TOPFUZQF.js";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}
function saveState(name, value) {
  const filePath = process.env["GITHUB_STATE"] || "";
  if (filePath) {
    return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
  }
  issueCommand("save-state", { name }, toCommandValue(value));
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}

// src/lib/untrusted.ts
var BREAK = "\u2060";
function safeLine(line) {
  let out = line.replace(/##\[/g, `#${BREAK}#[`);
  if (/^[\s\u0085\u180e]*::/.test(out)) out = BREAK + out;
  return out;
}
function safeLines(text) {
  return text.replace(/\r?\n$/, "").split(/\r?\n|\r/).map(safeLine);
}
function quote(value) {
  return JSON.stringify(value).replace(/##\[/g, `#${BREAK}#[`);
}
function plain(value) {
  const oneLine = /[\x00-\x1f\x7f\u2028\u2029]/.test(value) ? quote(value).slice(1, -1) : value;
  return safeLine(oneLine);
}

// src/lib/oci.ts
import { createHash } from "node:crypto";
function sha256Digest(content) {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}
function shortDigest(digest) {
  return digest.slice(0, "sha256:".length + 12);
}
var MediaType = {
  OciIndex: "application/vnd.oci.image.index.v1+json",
  DockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  OciManifest: "application/vnd.oci.image.manifest.v1+json",
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json"
};
var INDEX_TYPES = [MediaType.OciIndex, MediaType.DockerList];
var IMAGE_MANIFEST_TYPES = [
  MediaType.OciManifest,
  MediaType.DockerManifest
];
var LAYER_TYPES = /* @__PURE__ */ new Set([
  "application/vnd.oci.image.layer.v1.tar",
  "application/vnd.oci.image.layer.v1.tar+gzip",
  "application/vnd.oci.image.layer.v1.tar+zstd",
  "application/vnd.docker.image.rootfs.diff.tar.gzip",
  "application/vnd.docker.image.rootfs.diff.tar"
]);
var DIGEST = SHA256_DIGEST;
var ARCHITECTURES = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ia32: "386",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loong64",
  mips: "mips",
  mipsel: "mipsle"
};
function runnerPlatform(nodePlatform = process.platform, nodeArch = process.arch, armVersion = armVersionOfNode()) {
  const os5 = nodePlatform === "win32" ? "windows" : nodePlatform;
  const architecture = ARCHITECTURES[nodeArch] ?? nodeArch;
  if (architecture === "arm") return { os: os5, architecture, variant: `v${armVersion ?? "7"}` };
  return { os: os5, architecture };
}
function armVersionOfNode() {
  const variables = process.config.variables;
  const value = variables?.arm_version;
  return typeof value === "string" || typeof value === "number" ? String(value) : void 0;
}
function platformName(platform2) {
  return [platform2.os, platform2.architecture, platform2.variant].filter((p) => p !== void 0 && p !== "").join("/");
}
function isAttestation(descriptor) {
  const type = descriptor.annotations?.["vnd.docker.reference.type"];
  if (type === "attestation-manifest") return true;
  const p = descriptor.platform;
  return p !== void 0 && (p.os === "unknown" || p.architecture === "unknown");
}
function variantMatches(wanted, offered) {
  const w = wanted.variant ?? "";
  const o = offered.variant ?? "";
  if (w === o) return "exact";
  if (wanted.architecture === "arm64" && (w || "v8") === (o || "v8")) return "exact";
  if (o === "") return "compatible";
  if (wanted.architecture === "arm" && /^v\d$/.test(o) && /^v\d$/.test(w) && o < w) {
    return "compatible";
  }
  return "no";
}
function selectManifest(manifests, platform2, image) {
  let compatible;
  for (const m of manifests) {
    if (isAttestation(m) || !m.platform) continue;
    if (!IMAGE_MANIFEST_TYPES.includes(m.mediaType)) continue;
    if (m.platform.os !== platform2.os || m.platform.architecture !== platform2.architecture) {
      continue;
    }
    const match = variantMatches(platform2, m.platform);
    if (match === "exact") return m;
    if (match === "compatible" && compatible === void 0) compatible = m;
  }
  if (compatible) return compatible;
  const offered = manifests.filter((m) => !isAttestation(m) && m.platform).map((m) => platformName(m.platform));
  throw new Error(
    `The executor image ${image} has no manifest for ${platformName(platform2)}; it offers ${offered.length > 0 ? offered.join(", ") : "no platform"}.`
  );
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseJson(body, what) {
  let value;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error2) {
    throw new Error(`The ${what} is not JSON.`, { cause: error2 });
  }
  if (!isRecord(value)) throw new Error(`The ${what} is not a JSON object.`);
  return value;
}
function parseDescriptor(value, what) {
  if (!isRecord(value)) throw new Error(`A ${what} descriptor is not an object.`);
  const { mediaType, digest, size, platform: platform2, annotations } = value;
  if (typeof mediaType !== "string") throw new Error(`A ${what} descriptor has no mediaType.`);
  if (typeof digest !== "string" || !DIGEST.test(digest)) {
    throw new Error(`A ${what} descriptor has no sha256 digest (got ${JSON.stringify(digest)}).`);
  }
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw new Error(`The ${what} descriptor ${digest} has no valid size.`);
  }
  const out = { mediaType, digest, size };
  if (isRecord(platform2)) {
    const { os: os5, architecture, variant } = platform2;
    if (typeof os5 === "string" && typeof architecture === "string") {
      out.platform = { os: os5, architecture, ...typeof variant === "string" ? { variant } : {} };
    }
  }
  if (isRecord(annotations)) {
    out.annotations = Object.fromEntries(
      Object.entries(annotations).filter((e) => typeof e[1] === "string")
    );
  }
  return out;
}
function parseIndex(body) {
  const index = parseJson(body, "image index");
  if (!Array.isArray(index.manifests)) throw new Error("The image index has no manifests.");
  return index.manifests.map((m) => parseDescriptor(m, "index"));
}
function parseImageManifest(body) {
  const manifest = parseJson(body, "image manifest");
  const config = parseDescriptor(manifest.config, "config");
  if (!Array.isArray(manifest.layers)) throw new Error("The image manifest has no layers.");
  const layers = manifest.layers.map((l) => parseDescriptor(l, "layer"));
  for (const layer of layers) {
    if (!LAYER_TYPES.has(layer.mediaType)) {
      throw new Error(
        `The layer ${layer.digest} has the media type ${layer.mediaType}, which the install cannot unpack.`
      );
    }
  }
  return { config, layers };
}
function stringArray(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}
function parseImageConfig(body) {
  const config = parseJson(body, "image config");
  const inner = isRecord(config.config) ? config.config : {};
  const os5 = typeof config.os === "string" ? config.os : "";
  const architecture = typeof config.architecture === "string" ? config.architecture : "";
  const variant = typeof config.variant === "string" ? config.variant : void 0;
  return {
    platform: { os: os5, architecture, ...variant ? { variant } : {} },
    env: stringArray(inner.Env),
    entrypoint: stringArray(inner.Entrypoint),
    cmd: stringArray(inner.Cmd),
    workingDir: typeof inner.WorkingDir === "string" ? inner.WorkingDir : ""
  };
}
function platformRuns(image, runner) {
  if (image.os !== runner.os || image.architecture !== runner.architecture) return false;
  return variantMatches(runner, image) !== "no";
}

export {
  summary,
  setSecret,
  getInput,
  setOutput,
  setFailed,
  debug,
  error,
  warning,
  notice,
  info,
  startGroup,
  endGroup,
  group,
  saveState,
  getState,
  safeLines,
  quote,
  plain,
  sha256Digest,
  shortDigest,
  MediaType,
  INDEX_TYPES,
  IMAGE_MANIFEST_TYPES,
  runnerPlatform,
  platformName,
  isAttestation,
  selectManifest,
  parseIndex,
  parseImageManifest,
  parseImageConfig,
  platformRuns
};
