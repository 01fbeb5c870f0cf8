import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  BUILD_ARG_KEY,
  LABEL_KEY,
  PREFIXED_VERSION,
  errorMessage,
  nextVersion,
  normaliseRegistry,
  oneOf,
  parseBoolean,
  parseCaCertificates,
  parseCacheRepo,
  parseCpus,
  parseDefaultVersion,
  parseExecutorImage,
  parseExtraArgs,
  parseHubApiUrl,
  parseKeyValues,
  parseMemory,
  parseNamespace,
  parseParallel,
  parsePlatforms,
  parseRelativePath,
  parseRuntime,
  parseTarget,
  parseVersion,
  splitLines,
  splitList,
  versionPrefix
} from "./chunk-ATYAE7CF.js";
import {
  normaliseRepository,
  repositoryOf,
  require_picomatch
} from "./chunk-G5IOAGKQ.js";
import {
  debug,
  getInput,
  group,
  info,
  notice,
  plain,
  platformName,
  quote,
  runnerPlatform,
  setFailed,
  setOutput,
  setSecret,
  shortDigest,
  summary,
  warning
} from "./chunk-E5RWFZEF.js";
import {
  DOCKER_HUB_REGISTRY_HOST,
  Defaults,
  Input,
  InputError,
  InputErrors,
  MAX_REPOSITORY_LENGTH,
  Output,
  PATH_COMPONENT,
  TAG,
  basicAuth,
  compareBytes,
  isDockerHub,
  plural,
  sortUnique
} from "./chunk-TOPFUZQF.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-6DG7BXTN.js";

// node_modules/@balena/dockerignore/ignore.js
var require_ignore = __commonJS({
  "node_modules/@balena/dockerignore/ignore.js"(exports, module) {
    "use strict";
    var path4 = __require("path");
    var factory = (options) => new IgnoreBase(options);
    factory.default = factory;
    module.exports = factory;
    function make_array(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var REGEX_TRAILING_SLASH = /(?<=.)\/$/;
    var REGEX_TRAILING_BACKSLASH = /(?<=.)\\$/;
    var REGEX_TRAILING_PATH_SEP = path4.sep === "\\" ? REGEX_TRAILING_BACKSLASH : REGEX_TRAILING_SLASH;
    var KEY_IGNORE = typeof Symbol !== "undefined" ? /* @__PURE__ */ Symbol.for("dockerignore") : "dockerignore";
    function cleanPath(file) {
      return path4.normalize(file).replace(REGEX_TRAILING_PATH_SEP, "");
    }
    function toSlash(file) {
      if (path4.sep === "/") {
        return file;
      }
      return file.replace(/\\/g, "/");
    }
    function fromSlash(file) {
      if (path4.sep === "/") {
        return file;
      }
      return file.replace(/\//g, path4.sep);
    }
    var IgnoreBase = class {
      constructor({
        // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L372
        ignorecase = true
      } = {}) {
        this._rules = [];
        this._ignorecase = ignorecase;
        this[KEY_IGNORE] = true;
        this._initCache();
      }
      _initCache() {
        this._cache = {};
      }
      // @param {Array.<string>|string|Ignore} pattern
      add(pattern) {
        this._added = false;
        if (typeof pattern === "string") {
          pattern = pattern.split(/\r?\n/g);
        }
        make_array(pattern).forEach(this._addPattern, this);
        if (this._added) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      _addPattern(pattern) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules);
          this._added = true;
          return;
        }
        if (this._checkPattern(pattern)) {
          const rule = this._createRule(pattern.trim());
          if (rule !== null) {
            this._added = true;
            this._rules.push(rule);
          }
        }
      }
      _checkPattern(pattern) {
        return pattern && typeof pattern === "string" && pattern.indexOf("#") !== 0 && pattern.trim() !== "";
      }
      filter(paths) {
        return make_array(paths).filter((path5) => this._filter(path5));
      }
      createFilter() {
        return (path5) => this._filter(path5);
      }
      ignores(path5) {
        return !this._filter(path5);
      }
      // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L41-L53
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L29-L55
      _createRule(pattern) {
        const origin = pattern;
        let negative = false;
        if (pattern[0] === "!") {
          negative = true;
          pattern = pattern.substring(1).trim();
        }
        if (pattern.length > 0) {
          pattern = cleanPath(pattern);
          pattern = toSlash(pattern);
          if (pattern.length > 1 && pattern[0] === "/") {
            pattern = pattern.slice(1);
          }
        }
        if (negative) {
          pattern = "!" + pattern;
        }
        pattern = pattern.trim();
        if (pattern === "") {
          return null;
        }
        pattern = cleanPath(pattern);
        if (pattern[0] === "!") {
          if (pattern.length === 1) {
            return null;
          }
          negative = true;
          pattern = pattern.substring(1);
        } else {
          negative = false;
        }
        return {
          origin,
          pattern,
          // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L54
          dirs: pattern.split(path4.sep),
          negative
        };
      }
      // @returns `Boolean` true if the `path` is NOT ignored
      _filter(path5) {
        if (!path5) {
          return false;
        }
        if (path5 in this._cache) {
          return this._cache[path5];
        }
        return this._cache[path5] = this._test(path5);
      }
      // @returns {Boolean} true if a file is NOT ignored
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L62
      _test(file) {
        file = fromSlash(file);
        const parentPath = cleanPath(path4.dirname(file));
        const parentPathDirs = parentPath.split(path4.sep);
        let matched = false;
        this._rules.forEach((rule) => {
          let match = this._match(file, rule);
          if (!match && parentPath !== ".") {
            if (rule.dirs.includes("**")) {
              for (let i = rule.dirs.filter((x) => x !== "**").length; i <= parentPathDirs.length; i++) {
                match = match || this._match(parentPathDirs.slice(0, i).join(path4.sep), rule);
              }
            } else if (rule.dirs.length <= parentPathDirs.length) {
              match = this._match(parentPathDirs.slice(0, rule.dirs.length).join(path4.sep), rule);
            }
          }
          if (match) {
            matched = !rule.negative;
          }
        });
        return !matched;
      }
      // @returns {Boolean} true if a file is matched by a rule
      _match(file, rule) {
        return this._compile(rule).regexp.test(file);
      }
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L139
      _compile(rule) {
        if (rule.regexp) {
          return rule;
        }
        let regStr = "^";
        let escapedSlash = path4.sep === "\\" ? "\\\\" : path4.sep;
        for (let i = 0; i < rule.pattern.length; i++) {
          const ch = rule.pattern[i];
          if (ch === "*") {
            if (rule.pattern[i + 1] === "*") {
              i++;
              if (rule.pattern[i + 1] === path4.sep) {
                i++;
              }
              if (rule.pattern[i + 1] === void 0) {
                regStr += ".*";
              } else {
                regStr += `(.*${escapedSlash})?`;
              }
            } else {
              regStr += `[^${escapedSlash}]*`;
            }
          } else if (ch === "?") {
            regStr += `[^${escapedSlash}]`;
          } else if (ch === "." || ch === "$") {
            regStr += `\\${ch}`;
          } else if (ch === "\\") {
            if (path4.sep === "\\") {
              regStr += escapedSlash;
              continue;
            }
            if (rule.pattern[i + 1] !== void 0) {
              regStr += "\\" + rule.pattern[i + 1];
              i++;
            } else {
              regStr += "\\";
            }
          } else {
            regStr += ch;
          }
        }
        regStr += "$";
        rule.regexp = new RegExp(regStr, this._ignorecase ? "i" : "");
        return rule;
      }
    };
  }
});

// src/detect/detect.ts
import * as fs2 from "node:fs";
import * as path2 from "node:path";

// src/detect/named.ts
import * as fs from "node:fs";
import * as path from "node:path";
function inside(root, rel) {
  try {
    const real = fs.realpathSync(path.join(root, rel));
    return real === root || real.startsWith(root + path.sep) ? real : void 0;
  } catch {
    return void 0;
  }
}
function directoryProblems(directories, dockerfile, workspace2) {
  const root = fs.realpathSync(workspace2);
  const problems = [];
  for (const dir of directories) {
    const real = inside(root, dir);
    if (real === void 0) {
      problems.push(
        fs.existsSync(path.join(root, dir)) ? `${quote(dir)} leads outside the workspace` : `${quote(dir)} does not exist in the workspace`
      );
    } else if (!fs.statSync(real).isDirectory()) {
      problems.push(`${quote(dir)} is not a directory`);
    } else if (!fs.statSync(path.join(root, dir, dockerfile), { throwIfNoEntry: false })?.isFile()) {
      problems.push(`${quote(dir)} holds no ${dockerfile}`);
    }
  }
  return problems;
}
function isContextDirectory(context, workspace2) {
  const real = inside(fs.realpathSync(workspace2), context);
  return real !== void 0 && fs.statSync(real).isDirectory();
}

// src/detect/event.ts
var OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
var ZERO = /^0+$/;
function record(value) {
  return value && typeof value === "object" ? value : {};
}
function text(value) {
  return typeof value === "string" ? value : "";
}
function objectId(value) {
  const v = text(value).toLowerCase();
  return OBJECT_ID.test(v) ? v : void 0;
}
function branchName(value) {
  const v = text(value);
  if (v === "" || v.startsWith("-") || v.includes("..") || /[\s\x00-\x1f\x7f:~^?*[\\]/.test(v) || v.endsWith(".lock") || v.endsWith("/")) {
    return void 0;
  }
  return v;
}
function rangeRequest(event, base, head) {
  if (base !== "") return { kind: "explicit", base, head: head || "HEAD" };
  if (head !== "") return { kind: "parent", head, reason: `'head' ${JSON.stringify(head)}` };
  const payload = event.payload;
  if (event.name === "push") {
    const before = objectId(payload.before);
    const after = objectId(payload.after);
    const ref = text(payload.ref);
    if (before === void 0 || after === void 0) {
      return { kind: "parent", head: "HEAD", reason: "push event without before/after" };
    }
    if (ZERO.test(after)) return { kind: "deleted-ref", ref };
    if (ZERO.test(before)) {
      return {
        kind: "new-ref",
        after,
        ref,
        defaultBranch: branchName(record(payload.repository).default_branch)
      };
    }
    const commits = Array.isArray(payload.commits) ? payload.commits.length : void 0;
    return { kind: "push", before, after, ref, commits, forced: payload.forced === true };
  }
  if (event.name === "pull_request" || event.name === "pull_request_target") {
    const pr = record(payload.pull_request);
    const baseSha = objectId(record(pr.base).sha);
    const headSha = objectId(record(pr.head).sha);
    if (baseSha !== void 0 && headSha !== void 0) {
      const number = typeof pr.number === "number" ? pr.number : void 0;
      return { kind: "pull-request", event: event.name, number, base: baseSha, head: headSha };
    }
    return {
      kind: "parent",
      head: "HEAD",
      reason: `${event.name} event without pull_request.base.sha/head.sha`
    };
  }
  return { kind: "parent", head: "HEAD", reason: event.name || "no event" };
}

// src/lib/git.ts
import { spawn } from "node:child_process";

// src/lib/git-output.ts
function splitNul(output) {
  const text2 = typeof output === "string" ? output : output.toString("utf8");
  const entries = text2.split("\0");
  if (entries.at(-1) === "") entries.pop();
  return entries;
}
function parentsOf(content) {
  const parents = [];
  for (const line of content.toString("utf8").split("\n")) {
    if (line === "") break;
    if (line.startsWith("parent ")) parents.push(line.slice("parent ".length));
  }
  return parents;
}
var HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+) (\d+)$/;
function parseObjectBatch(output, names, withContent) {
  const answers = [];
  let at = 0;
  for (const name of names) {
    const eol = output.indexOf(10, at);
    if (eol < 0) break;
    const match = HEADER.exec(output.toString("utf8", at, eol));
    if (!match) {
      const echo = Buffer.from(`${name} `, "utf8");
      if (!output.subarray(at, at + echo.length).equals(echo)) break;
      const end = output.indexOf(10, at + echo.length);
      if (end < 0) break;
      answers.push(null);
      at = end + 1;
      continue;
    }
    const [, oid, type, size] = match;
    at = eol + 1;
    let content = Buffer.alloc(0);
    if (withContent) {
      content = output.subarray(at, at + Number(size));
      at += Number(size) + 1;
    }
    answers.push({ oid, type, size: Number(size), content });
  }
  if (answers.length !== names.length) {
    throw new Error(`git cat-file: expected ${names.length} answers, understood ${answers.length}`);
  }
  return answers;
}
var TREE_MODE = "040000";
var NO_MODE = "000000";
function parseRawDiff(output) {
  const fields = splitNul(output);
  const paths = [];
  const trees = /* @__PURE__ */ new Map();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [before = "", after = "", , oid = ""] = (fields[i] ?? "").slice(1).split(" ");
    const path4 = fields[i + 1] ?? "";
    const isFile = (mode) => mode !== TREE_MODE && mode !== NO_MODE;
    if (isFile(before) || isFile(after)) paths.push(path4);
    if (after === TREE_MODE) trees.set(path4, oid);
  }
  return { paths, trees };
}
function parseTreeEntries(output) {
  return splitNul(output).map((line) => {
    const tab = line.indexOf("	");
    const [, type = "", oid = ""] = line.slice(0, tab).split(" ");
    return { type, oid, path: line.slice(tab + 1) };
  });
}

// src/lib/git.ts
var GitError = class extends Error {
  constructor(args, exitCode, stderr, options) {
    const said = stderr.trim().split("\n").slice(-3).join(" | ");
    super(
      `git ${args.join(" ")} failed${exitCode === null ? "" : ` (exit ${exitCode})`}${said ? `: ${said}` : ""}`,
      options
    );
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.name = "GitError";
  }
  args;
  exitCode;
  stderr;
};
function isSafeRevision(rev) {
  return rev !== "" && !rev.startsWith("-") && !/[\s\x00-\x1f\x7f]/.test(rev);
}
var Git = class {
  constructor(cwd, env = process.env) {
    this.cwd = cwd;
    this.env = env;
  }
  cwd;
  env;
  /** Every git process this object started, for tests and benchmarks. */
  calls = [];
  /** Runs `git <args>` in the repository; resolves with its output, rejects with a GitError. */
  run(args, options = {}) {
    this.calls.push([...args]);
    return new Promise((resolve, reject) => {
      const child = spawn("git", args, {
        cwd: this.cwd,
        env: { ...this.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        stdio: [options.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"]
      });
      const out = [];
      const err = [];
      let stopped = false;
      child.stdout?.on("data", (d) => {
        if (stopped) return;
        if (!options.onStdout) out.push(d);
        else if (options.onStdout(d)) {
          stopped = true;
          child.kill();
        }
      });
      child.stderr?.on("data", (d) => err.push(d));
      child.on("error", (error) => {
        reject(
          error.code === "ENOENT" ? new Error("git is not installed or not on PATH", { cause: error }) : new GitError(args, null, error.message, { cause: error })
        );
      });
      child.on("close", (code) => {
        const stderr = Buffer.concat(err).toString("utf8");
        const exitCode = stopped ? 0 : code ?? -1;
        if (exitCode === 0 || options.okCodes?.includes(exitCode)) {
          resolve({ stdout: Buffer.concat(out), stderr, exitCode });
        } else {
          reject(new GitError(args, code, stderr));
        }
      });
      if (options.input !== void 0 && child.stdin) {
        child.stdin.on("error", () => void 0);
        child.stdin.end(options.input);
      }
    });
  }
  /** The repository's top-level directory. */
  async repository() {
    const { stdout } = await this.run(["rev-parse", "--show-toplevel"]);
    const [topLevel = ""] = stdout.toString("utf8").split("\n");
    return { topLevel };
  }
  /** The commit checked out (`HEAD`), `''` when there is none or this is no repository. */
  async headCommit() {
    try {
      const [head] = await this.commits(["HEAD"]);
      return head?.oid ?? "";
    } catch {
      return "";
    }
  }
  async isShallow() {
    const { stdout } = await this.run(["rev-parse", "--is-shallow-repository"]);
    return stdout.toString("utf8").trim() === "true";
  }
  /**
   * Resolves revisions to commits in one process (`cat-file --batch` reads them on stdin).
   * `null` for a revision that names no commit present in this clone.
   */
  async commits(revisions) {
    if (revisions.length === 0) return [];
    for (const rev of revisions) {
      if (/[\n\r\0]/.test(rev)) throw new Error(`Not a revision: ${JSON.stringify(rev)}`);
    }
    const objects = await this.objects(
      revisions.map((r) => `${r}^{commit}`),
      { content: true }
    );
    return objects.map(
      (o) => o && o.type === "commit" ? { oid: o.oid, parents: parentsOf(o.content) } : null
    );
  }
  /** The best common ancestor of two commits, or `null` when they have none (here). */
  async mergeBase(a, b) {
    const { stdout, exitCode } = await this.run(["merge-base", "--end-of-options", a, b], {
      okCodes: [1]
    });
    const oid = stdout.toString("utf8").trim();
    return exitCode === 0 && oid !== "" ? oid : null;
  }
  /**
   * Fetches from `origin` without tags, submodules or garbage collection. `depth` makes the
   * fetched history shallow (`--depth`), `deepen` extends a shallow clone (`--deepen`).
   */
  async fetch(refspecs, options = {}) {
    const args = ["fetch", "--no-tags", "--no-recurse-submodules", "--no-auto-gc", "--quiet"];
    if (options.writeFetchHead === false) args.push("--no-write-fetch-head");
    if (options.depth !== void 0) args.push(`--depth=${options.depth}`);
    if (options.deepen !== void 0) args.push(`--deepen=${options.deepen}`);
    args.push("--end-of-options", "origin", ...refspecs);
    await this.run(args);
  }
  /**
   * Looks objects up by name (`<rev>:<path>`, `<tree-oid>:<path>`, an object id) in one
   * `cat-file` process: `--batch` also reads their content, `--batch-check` only says what
   * they are. `null` for a name that resolves to nothing. Names are sent one per line, or
   * NUL-separated (`-z`, git 2.38 or later) when one of them holds a line break.
   */
  async objects(names, options = {}) {
    if (names.length === 0) return [];
    if (names.some((n) => n.includes("\0"))) throw new Error("An object name holds a NUL byte.");
    const nul = names.some((n) => /[\n\r]/.test(n));
    const mode = options.content ? "--batch" : "--batch-check";
    const { stdout } = await this.run(["cat-file", mode, "--buffer", ...nul ? ["-z"] : []], {
      input: names.map((n) => `${n}${nul ? "\0" : "\n"}`).join("")
    });
    return parseObjectBatch(stdout, names, options.content ?? false);
  }
  /**
   * The trees directly inside each of `directories` at `rev` (`''`: the root), or with
   * `recursive` every tree below them, the directories themselves included. The directories
   * must not lie inside one another (git then lists only the deeper one); paths are literal.
   */
  async listTrees(rev, directories, options = {}) {
    const paths = directories.includes("") ? [] : directories.map((d) => `${d}/`);
    const { stdout } = await this.run([
      "--literal-pathspecs",
      "ls-tree",
      "-d",
      "-z",
      ...options.recursive ? ["-r"] : [],
      "--end-of-options",
      rev,
      ...paths.length > 0 ? ["--", ...paths] : []
    ]);
    return parseTreeEntries(stdout);
  }
  /**
   * What differs between two commits: the files (either side of a rename counts), and the
   * directories that differ and still exist at `head`, with their tree there (one diff, `-t`).
   */
  async changes(base, head) {
    const { stdout } = await this.run([
      "diff-tree",
      "-r",
      "-t",
      "-z",
      "--no-renames",
      "--no-commit-id",
      "--end-of-options",
      base,
      head
    ]);
    return parseRawDiff(stdout);
  }
};

// src/detect/range.ts
var DEEPEN_STEPS = [64, 512, 4096];
var HistoryUnavailableError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "HistoryUnavailableError";
  }
};
var short = (oid) => oid.slice(0, 7);
var FETCH_DEPTH_HINT = "check out with `fetch-depth: 0` (actions/checkout) so the whole history is there";
function noCommit(rev) {
  return new Error(
    `${rev} does not name a commit; check the repository out (actions/checkout) before this step.`
  );
}
function pushRange(request) {
  const count = request.commits === void 0 ? "" : ` (${request.commits} commit${request.commits === 1 ? "" : "s"}${request.forced ? ", forced" : ""})`;
  return {
    kind: "diff",
    base: request.before,
    head: request.after,
    description: `push ${short(request.before)}..${short(request.after)}${count}`
  };
}
var RangeResolver = class {
  constructor(git) {
    this.git = git;
  }
  git;
  /** Warnings for the log (e.g. a force push whose `before` is gone). */
  warnings = [];
  shallow;
  async isShallow(refresh = false) {
    if (this.shallow === void 0 || refresh) this.shallow = await this.git.isShallow();
    return this.shallow;
  }
  /** Fetches commits from origin: only those commits in a shallow clone, else with history. */
  async fetchCommits(refspecs) {
    await this.git.fetch(refspecs, await this.isShallow() ? { depth: 1 } : {});
  }
  /** A commit by id, fetched from origin when the clone lacks it; `null` when neither has it. */
  async commit(oid) {
    const [found] = await this.git.commits([oid]);
    if (found) return found;
    try {
      await this.fetchCommits([oid]);
    } catch {
      return null;
    }
    const [fetched] = await this.git.commits([oid]);
    return fetched ?? null;
  }
  async requireCommit(oid, what) {
    const found = await this.commit(oid);
    if (found) return found;
    throw new HistoryUnavailableError(
      `The ${what} ${oid} is not in the clone and could not be fetched from origin; ${FETCH_DEPTH_HINT}.`
    );
  }
  /**
   * Calls `attempt` again after each bounded deepening of a shallow clone from `tips`, until
   * it answers. `null` when the history is complete and still gives no answer.
   */
  async deepen(tips, attempt, what) {
    let fetched = 0;
    for (const step of DEEPEN_STEPS) {
      if (!await this.isShallow(true)) return null;
      try {
        await this.git.fetch(tips, { deepen: step, writeFetchHead: false });
      } catch (error) {
        throw new HistoryUnavailableError(
          `The history for ${what} is not available: the clone is shallow and fetching more from origin failed; ${FETCH_DEPTH_HINT}.`,
          { cause: error }
        );
      }
      fetched += step;
      const answer = await attempt();
      if (answer !== null) return answer;
    }
    if (!await this.isShallow(true)) return null;
    throw new HistoryUnavailableError(
      `The history for ${what} is not available: the clone is shallow and ${fetched} more commits from origin did not reach it; ${FETCH_DEPTH_HINT}.`
    );
  }
  /** The merge-base of two present commits, deepening a shallow clone as needed. */
  async mergeBase(a, b, what) {
    const found = await this.git.mergeBase(a, b);
    if (found !== null) return found;
    return this.deepen([a, b], () => this.git.mergeBase(a, b), what);
  }
  /** An explicit `base`/`head` revision: here, else fetched from origin, else an InputError. */
  async revision(value, input) {
    if (!isSafeRevision(value)) {
      throw new InputError(
        input,
        `${quote(value)} is not a git revision (a commit id, branch, tag or expression such as 'HEAD~1').`
      );
    }
    if (value === "HEAD") return (await this.headCommit("HEAD")).oid;
    const [here] = await this.git.commits([value]);
    if (here) return here.oid;
    try {
      await this.fetchCommits([value]);
      const [fetched] = await this.git.commits(["FETCH_HEAD"]);
      if (fetched) return fetched.oid;
    } catch {
    }
    if (await this.isShallow()) {
      const [head] = await this.git.commits(["HEAD"]);
      if (head) {
        let found;
        try {
          found = await this.deepen(
            [head.oid],
            async () => (await this.git.commits([value]))[0]?.oid ?? null,
            `'${input}' ${quote(value)}`
          );
        } catch {
          throw new InputError(
            input,
            `revision ${quote(value)} is not in this shallow clone, and more history from origin did not hold it; give a commit id, branch or tag, or ${FETCH_DEPTH_HINT}.`
          );
        }
        if (found !== null) return found;
      }
    }
    throw new InputError(
      input,
      `revision ${quote(value)} does not exist in the repository, nor on origin; give a commit id, branch or tag.`
    );
  }
  /** The head commit alone, for `build-all`: the `head` input or `HEAD`. */
  async head(headInput) {
    return this.revision(headInput || "HEAD", Input.Head);
  }
  async headCommit(rev) {
    const [head] = await this.git.commits([rev]);
    if (!head) throw noCommit(rev);
    return head;
  }
  async resolve(request) {
    switch (request.kind) {
      case "explicit": {
        const base = await this.revision(request.base, Input.Base);
        const head = await this.revision(request.head, Input.Head);
        return {
          kind: "diff",
          base,
          head,
          description: `base..head ${request.base}..${request.head} (${short(base)}..${short(head)})`
        };
      }
      case "parent": {
        const head = request.head === "HEAD" ? "HEAD" : await this.revision(request.head, Input.Head);
        return this.parentRange(head, `${request.reason}: ${request.head}^..${request.head}`);
      }
      case "deleted-ref":
        return { kind: "none", description: `push deleted ${request.ref}: nothing to build` };
      case "push":
        return this.pushRange(request);
      case "new-ref":
        return this.newRefRange(request);
      case "pull-request":
        return this.pullRequestRange(request);
    }
  }
  /** `<head>^..<head>`; a root commit counts every file of head. */
  async parentRange(rev, label) {
    const [head, parentHere] = await this.git.commits([rev, `${rev}^1`]);
    if (!head) throw noCommit(rev);
    const parent = head.parents[0];
    if (parent === void 0) {
      return {
        kind: "all",
        head: head.oid,
        description: `${label}: ${short(head.oid)} is a root commit, every file counts as changed`
      };
    }
    if (parentHere?.oid !== parent)
      await this.requireCommit(parent, `parent of ${short(head.oid)}`);
    return {
      kind: "diff",
      base: parent,
      head: head.oid,
      description: `${label} (${short(parent)}..${short(head.oid)})`
    };
  }
  async pushRange(request) {
    const [afterHere, beforeHere] = await this.git.commits([request.after, request.before]);
    const after = afterHere ?? await this.requireCommit(request.after, `pushed commit ('after')`);
    const before = beforeHere ?? await this.commit(request.before);
    if (!before) {
      this.warnings.push(
        `The push's 'before' commit ${short(request.before)} is not in the history${request.forced ? " (force push)" : ""} and could not be fetched from origin; comparing HEAD^..HEAD instead, so only the last commit of this push is looked at.`
      );
      return this.parentRange(after.oid, `push ${request.ref}: HEAD^..HEAD`);
    }
    return pushRange(request);
  }
  async newRefRange(request) {
    const after = await this.requireCommit(request.after, `pushed commit ('after')`);
    const label = `push of new ref ${request.ref}`;
    const all = (why) => ({
      kind: "all",
      head: after.oid,
      description: `${label}: ${why}, every matching directory counts as changed`
    });
    const branch = request.defaultBranch;
    if (branch === void 0) return all("the event names no default branch");
    if (request.ref === `refs/heads/${branch}`) return all("first push of the default branch");
    const tracking = `refs/remotes/origin/${branch}`;
    let [main] = await this.git.commits([tracking]);
    if (!main) {
      try {
        await this.fetchCommits([`+refs/heads/${branch}:${tracking}`]);
        [main] = await this.git.commits([tracking]);
      } catch {
      }
    }
    if (!main) return all(`the default branch ${branch} is not on origin`);
    const base = await this.mergeBase(
      main.oid,
      after.oid,
      `the merge-base of ${branch} and ${short(after.oid)}`
    );
    if (base === null) return all(`no common history with ${branch}`);
    return {
      kind: "diff",
      base,
      head: after.oid,
      description: `${label}: merge-base with ${branch} ${short(base)}..${short(after.oid)}`
    };
  }
  async pullRequestRange(request) {
    const [baseHere, headHere] = await this.git.commits([request.base, request.head]);
    const missing = [baseHere ? "" : request.base, headHere ? "" : request.head].filter(Boolean);
    if (missing.length > 0) {
      try {
        await this.fetchCommits(missing);
      } catch {
      }
    }
    const base = baseHere ?? await this.requireCommit(request.base, "pull request base");
    const head = headHere ?? await this.requireCommit(request.head, "pull request head");
    const label = `${request.event}${request.number === void 0 ? "" : ` #${request.number}`}`;
    const mergeBase = await this.mergeBase(
      base.oid,
      head.oid,
      `the merge-base of the pull request's base ${short(base.oid)} and head ${short(head.oid)}`
    );
    if (mergeBase === null) {
      return {
        kind: "all",
        head: head.oid,
        description: `${label}: base ${short(base.oid)} and head ${short(head.oid)} share no history, every matching directory counts as changed`
      };
    }
    return {
      kind: "diff",
      base: mergeBase,
      head: head.oid,
      description: `${label}: merge-base ${short(mergeBase)}..head ${short(head.oid)} (base ${short(base.oid)})`
    };
  }
};

// src/detect/mapping.ts
function parentOf(path4) {
  const slash = path4.lastIndexOf("/");
  return slash < 0 ? "" : path4.slice(0, slash);
}
function candidateDirectories(changed, matches) {
  const seen = /* @__PURE__ */ new Set();
  for (const path4 of changed) {
    for (let dir = parentOf(path4); dir !== "" && !seen.has(dir); dir = parentOf(dir)) {
      seen.add(dir);
    }
  }
  return sortUnique([...seen].filter((dir) => matches(dir)));
}
function touchedDockerfiles(changed, dockerfile, matches) {
  const suffix = `/${dockerfile}`;
  const owners = changed.filter((path4) => path4.length > suffix.length && path4.endsWith(suffix)).map((path4) => path4.slice(0, -suffix.length)).filter((dir) => matches(dir));
  return sortUnique(owners);
}
function enclosingImageDirectory(path4, imageDirectories) {
  for (let dir = parentOf(path4); dir !== ""; dir = parentOf(dir)) {
    if (imageDirectories.has(dir)) return dir;
  }
  return void 0;
}
function mapChangedPaths(changed, head, dockerfile, matches) {
  const directories = /* @__PURE__ */ new Set();
  for (const path4 of changed) {
    const dir = enclosingImageDirectory(path4, head.imageDirectories);
    if (dir !== void 0) directories.add(dir);
  }
  const gone = touchedDockerfiles(changed, dockerfile, matches).filter((dir) => !head.imageDirectories.has(dir)).map((directory) => ({
    directory,
    reason: head.existing.has(directory) ? "lost-dockerfile" : "deleted"
  }));
  return { directories: sortUnique(directories), gone };
}
async function headFacts(git, changes, rule, only) {
  const owners = touchedDockerfiles(changes.paths, rule.dockerfile, rule.matches);
  const candidates2 = (only === "gone" ? owners : candidateDirectories(changes.paths, rule.matches)).filter((dir) => changes.trees.has(dir));
  const answers = await git.objects(
    candidates2.map((dir) => `${changes.trees.get(dir)}:${rule.dockerfile}`)
  );
  return {
    imageDirectories: new Set(candidates2.filter((_, i) => answers[i]?.type === "blob")),
    existing: new Set(owners.filter((dir) => changes.trees.has(dir)))
  };
}

// src/detect/patterns.ts
var import_picomatch = __toESM(require_picomatch(), 1);
var OPTIONS = {
  dot: false,
  nonegate: true,
  strictBrackets: true,
  windows: false,
  nocase: false
};
function normalise(pattern) {
  let p = pattern.trim();
  while (p.startsWith("./")) p = p.slice(2);
  while (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}
function compile(pattern, shown) {
  if (pattern === "" || pattern === "." || pattern === "/") {
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(shown)} matches no directory; write patterns such as 'airflow-*' or 'images/**'.`
    );
  }
  if (pattern.includes("\0")) {
    throw new InputError(Input.Patterns, `${JSON.stringify(shown)} holds a NUL character.`);
  }
  try {
    return (0, import_picomatch.default)(pattern, OPTIONS);
  } catch (error) {
    const reason = errorMessage(error);
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(shown)} is not a valid glob: ${reason}.`
    );
  }
}
function isExclusion(raw) {
  return raw.trim().startsWith("!") && !raw.trim().startsWith("!(");
}
function compilePatterns(patterns) {
  const include = [];
  const exclude = [];
  for (const raw of patterns) {
    const excluded = isExclusion(raw);
    const body = normalise(excluded ? raw.trim().slice(1) : raw);
    (excluded ? exclude : include).push(compile(body, raw));
  }
  if (include.length === 0) {
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(patterns.join(", "))} only excludes; add a pattern that includes directories, e.g. '*'.`
    );
  }
  return (directory) => include.some((m) => m(directory)) && !exclude.some((m) => m(directory));
}
var GLOB_SEGMENT = /[*?[\]{}()!+@\\]/;
function patternReach(patterns) {
  return patterns.filter((raw) => !isExclusion(raw)).map((raw) => {
    const pattern = normalise(raw);
    const segments = pattern.split("/");
    const fixed = segments.findIndex((s) => GLOB_SEGMENT.test(s));
    const start = segments.slice(0, fixed < 0 ? segments.length : fixed).join("/");
    if (/\*\*|[{(]|\[[^\]]*\/[^\]]*\]/.test(pattern)) return { kind: "any", start };
    const prefixes = segments.map(
      (_, n) => (0, import_picomatch.default)(segments.slice(0, n + 1).join("/"), OPTIONS)
    );
    return { kind: "depth", start, depth: segments.length, prefixes };
  });
}

// src/detect/image-directories.ts
var depthOf = (directory) => directory === "" ? 0 : directory.split("/").length;
function outermost(directories) {
  const sorted = [...new Set(directories)].sort(compareBytes);
  if (sorted.includes("")) return [""];
  return sorted.filter((d, i) => !sorted.slice(0, i).some((o) => d.startsWith(`${o}/`)));
}
async function candidates(git, rev, rule) {
  const found = /* @__PURE__ */ new Map();
  const add = (entry) => {
    if (entry.path !== "" && rule.matches(entry.path)) {
      found.set(entry.path, `${entry.oid}:${rule.dockerfile}`);
    }
  };
  const reaches = patternReach(rule.patterns);
  const anywhere = outermost(reaches.filter((r) => r.kind === "any").map((r) => r.start));
  const listings = [];
  if (anywhere.length > 0) {
    listings.push(
      git.listTrees(rev, anywhere, { recursive: true }).then((entries) => entries.forEach(add))
    );
  }
  listings.push(walk(git, rev, reaches, add, found, rule));
  await Promise.all(listings);
  return found;
}
async function walk(git, rev, reaches, add, found, rule) {
  let frontier = /* @__PURE__ */ new Map();
  for (const reach of reaches) {
    if (reach.kind !== "depth") continue;
    if (depthOf(reach.start) === reach.depth) {
      if (rule.matches(reach.start)) {
        found.set(reach.start, `${rev}:${reach.start}/${rule.dockerfile}`);
      }
    } else {
      frontier.set(reach.start, [...frontier.get(reach.start) ?? [], reach]);
    }
  }
  while (frontier.size > 0) {
    const byDepth = /* @__PURE__ */ new Map();
    for (const dir of frontier.keys()) {
      byDepth.set(depthOf(dir), [...byDepth.get(depthOf(dir)) ?? [], dir]);
    }
    const listed = await Promise.all([...byDepth.values()].map((d) => git.listTrees(rev, d)));
    const next = /* @__PURE__ */ new Map();
    for (const entry of listed.flat()) {
      const level = depthOf(entry.path);
      for (const reach of frontier.get(parentOf(entry.path)) ?? []) {
        if (level === reach.depth) add(entry);
        else if (reach.prefixes[level - 1]?.(entry.path)) {
          next.set(entry.path, [...next.get(entry.path) ?? [], reach]);
        }
      }
    }
    frontier = next;
  }
}
async function read(git, rev, rule, text2, files) {
  const found = [...await candidates(git, rev, rule)].sort(([a], [b]) => compareBytes(a, b));
  const objects = await git.objects(
    [...found.map(([, name]) => name), ...files.map((f) => `${rev}:${f}`)],
    { content: text2 || files.length > 0 }
  );
  const images = [];
  found.forEach(([directory], i) => {
    const object = objects[i];
    if (object?.type !== "blob") return;
    images.push(text2 ? { directory, text: object.content.toString("utf8") } : { directory });
  });
  const contents = files.map((file, i) => {
    const object = objects[found.length + i];
    return [file, object?.type === "blob" ? object.content.toString("utf8") : void 0];
  });
  return { images, files: new Map(contents) };
}
async function imageDirectoriesAt(git, rev, rule, options = {}) {
  return (await read(git, rev, rule, options.text ?? false, [])).images;
}
function imagesAndFilesAt(git, rev, rule, files) {
  return read(git, rev, rule, true, files);
}
async function anyImageDirectory(git, rev, rule) {
  const reaches = patternReach(rule.patterns);
  if (!reaches.some((r) => r.kind === "any" && r.start === "")) {
    return (await imageDirectoriesAt(git, rev, rule)).length > 0;
  }
  const suffix = `/${rule.dockerfile}`;
  let carry = Buffer.alloc(0);
  let seen = false;
  await git.run(["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", rev], {
    onStdout: (chunk) => {
      const bytes = Buffer.concat([carry, chunk]);
      const end = bytes.lastIndexOf(0);
      carry = bytes.subarray(end + 1);
      for (const path4 of splitNul(bytes.subarray(0, end + 1))) {
        if (path4.endsWith(suffix) && rule.matches(path4.slice(0, -suffix.length))) seen = true;
      }
      return seen;
    }
  });
  return seen;
}

// src/detect/detect.ts
function nothingMatchesWarning(rule, head) {
  const patterns = rule.patterns.map((p) => quote(p)).join(", ");
  return `No directory at ${short(head)} matches 'patterns' (${patterns}) and holds ${quote(rule.dockerfile)}, so there is nothing to build. Check 'patterns' and 'dockerfile' for a typo.`;
}
function namedDirectories(inputs, workspace2) {
  const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace2);
  if (problems.length > 0) throw new InputError(Input.Directories, `${problems.join("; ")}.`);
  const directories = sortUnique(inputs.directories);
  return {
    directories,
    head: "",
    description: `'directories' input: ${plural(directories.length, "directory", "directories")}, no change detection`,
    notices: [],
    warnings: []
  };
}
async function checkRepository(git, workspace2) {
  if (fs2.existsSync(path2.join(workspace2, ".git"))) return;
  let topLevel;
  try {
    topLevel = (await git.repository()).topLevel;
  } catch (error) {
    throw new Error(
      `The workspace ${workspace2} is not a git repository; check the repository out (actions/checkout) before this step.`,
      { cause: error }
    );
  }
  if (fs2.realpathSync(topLevel) !== fs2.realpathSync(workspace2)) {
    throw new Error(
      `The workspace ${workspace2} is inside the repository ${topLevel}, not its top; image directories are relative to the repository root, so run the action there.`
    );
  }
}
function goneNotice(gone, dockerfile) {
  const named = gone.map(
    (g) => g.reason === "deleted" ? `${quote(g.directory)} (deleted)` : `${quote(g.directory)} (its ${dockerfile} was removed)`
  );
  return `Not built, no longer ${gone.length === 1 ? "an image directory" : "image directories"} at head: ${named.join(", ")}.`;
}
async function detectDirectories(inputs, workspace2, event, git = new Git(workspace2)) {
  const detection = await detect(inputs, workspace2, event, git);
  for (const w of detection.warnings) warning(w);
  for (const n of detection.notices) notice(n);
  return detection;
}
async function detect(inputs, workspace2, event, git = new Git(workspace2)) {
  if (inputs.directories.length > 0) return namedDirectories(inputs, workspace2);
  const rule = {
    patterns: inputs.patterns,
    matches: compilePatterns(inputs.patterns),
    dockerfile: inputs.dockerfile
  };
  await checkRepository(git, workspace2);
  const resolver = new RangeResolver(git);
  let range;
  let changes;
  if (inputs.buildAll) {
    const head2 = await resolver.head(inputs.head);
    range = {
      kind: "all",
      head: head2,
      description: `build-all: every matching directory at ${short(head2)}`
    };
  } else {
    const request = rangeRequest(event, inputs.base, inputs.head);
    if (request.kind === "push") {
      changes = await git.changes(request.before, request.after).catch(() => void 0);
      if (changes) range = pushRange(request);
    }
    range ??= await resolver.resolve(request);
  }
  const warnings = resolver.warnings;
  if (range.kind === "none") {
    return { directories: [], head: "", description: range.description, notices: [], warnings };
  }
  const head = range.head;
  if (range.kind === "all") {
    const images = await imageDirectoriesAt(git, head, rule, { text: true });
    const directories2 = images.map((d) => d.directory);
    if (directories2.length === 0) warnings.push(nothingMatchesWarning(rule, head));
    return { directories: directories2, images, head, description: range.description, notices: [], warnings };
  }
  changes ??= await git.changes(range.base, head);
  const changed = changes.paths;
  const context = (inputs.context ?? "") !== "";
  const facts = await headFacts(git, changes, rule, context ? "gone" : void 0);
  const mapping = mapChangedPaths(changed, facts, inputs.dockerfile, rule.matches);
  const directories = context ? [] : mapping.directories;
  if (!context && directories.length === 0 && !await anyImageDirectory(git, head, rule)) {
    warnings.push(nothingMatchesWarning(rule, head));
  }
  return {
    directories,
    ...context ? { changedPaths: changed } : {},
    head,
    description: `${range.description}, ${plural(changed.length, "changed path", "changed paths")}`,
    notices: mapping.gone.length > 0 ? [goneNotice(mapping.gone, inputs.dockerfile)] : [],
    warnings
  };
}

// src/graph/targets.ts
var import_dockerignore = __toESM(require_ignore(), 1);
import * as fs3 from "node:fs";
import * as path3 from "node:path";

// src/graph/screen.ts
var ESCAPE_DIRECTIVE = /^[ \t]*#[ \t]*escape[ \t]*=/im;
var NAMING_LINES = /^[ \t]*from[ \t][^\n]*|^[^\n]*--from=[^\n]*/gim;
function joined(text2) {
  return text2.replace(/^[ \t]*#[^\r\n]*(?:\r?\n|$)/gm, "").replace(/\\[ \t]*\r?\n/g, "");
}
var bare = (text2) => text2.replace(/["'\\]/g, "");
function mayNameImages(text2, images, except) {
  if (images.size === 0 || images.size === 1 && except !== void 0 && images.has(except)) {
    return false;
  }
  if (text2.includes("#") && ESCAPE_DIRECTIVE.test(text2)) return true;
  const t = /[#\\]/.test(text2) ? joined(text2) : text2;
  for (const [line] of t.matchAll(NAMING_LINES)) {
    const from = /^[ \t]*from[ \t]/i.test(line);
    if (line.includes("$") && (from || /--from=\S*\$/i.test(line))) return true;
    for (const [token] of bare(line).toLowerCase().matchAll(/[a-z0-9._-]+/g)) {
      if (token !== except && images.has(token)) return true;
    }
  }
  return false;
}
function pathScreen(paths) {
  const firsts = /* @__PURE__ */ new Set();
  for (const p of paths) firsts.add(p.split("/")[0]);
  return { firsts, odd: [...firsts].filter((f) => /[\s"'\\,[\]]/.test(f)) };
}
function mayReadPaths(text2, screen) {
  if (screen.firsts.size === 0) return false;
  if (ESCAPE_DIRECTIVE.test(text2)) return true;
  for (const line of joined(text2).split(/\r?\n/)) {
    if (!/^[ \t]*(?:copy|add)[ \t]/i.test(line)) continue;
    if (/[$*?[]|:\/\/|@/.test(line)) return true;
    const words = bare(line);
    if (screen.odd.some((first) => words.includes(first))) return true;
    for (const word of words.trim().split(/[\s,]+/).slice(1)) {
      if (word.startsWith("--")) continue;
      const normal = word.replace(/^\/+/, "").split("/").filter((s) => s !== "" && s !== ".");
      if (normal.length === 0 || normal.includes("..")) return true;
      if (screen.firsts.has(normal[0])) return true;
    }
  }
  return false;
}

// src/graph/waves.ts
var CycleError = class extends Error {
  constructor(cycle) {
    super(
      `The images to build are built from each other in a circle: ${cycle.join(" \u2192 ")}. None of them can be built first; pin the tag (or digest) of one of these bases, or build it from another image.`
    );
    this.cycle = cycle;
    this.name = "CycleError";
  }
  cycle;
};
function findCycle(bases) {
  const state = /* @__PURE__ */ new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, "open");
    stack.push(node);
    for (const base of [...bases.get(node) ?? []].sort(compareBytes)) {
      if (state.get(base) === "open") return [...stack.slice(stack.indexOf(base)), base];
      if (!state.has(base) && bases.has(base)) {
        const found = visit(base);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return void 0;
  };
  for (const node of [...bases.keys()].sort(compareBytes)) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return void 0;
}
function wavesOf(bases) {
  const cycle = findCycle(bases);
  if (cycle) throw new CycleError(cycle);
  const waves = /* @__PURE__ */ new Map();
  const waveOf = (node) => {
    const known = waves.get(node);
    if (known !== void 0) return known;
    const own = (bases.get(node) ?? []).filter((b) => bases.has(b)).reduce((wave, base) => Math.max(wave, waveOf(base) + 1), 0);
    waves.set(node, own);
    return own;
  };
  for (const node of bases.keys()) waveOf(node);
  return waves;
}
function waveCount(images) {
  return images.reduce((n, image) => Math.max(n, image.wave + 1), 0);
}

// src/graph/targets.ts
var ignore = import_dockerignore.default;
var parser = /* @__PURE__ */ (() => {
  let loaded;
  return () => loaded ??= import("./parse-2A7GUED3.js");
})();
var Dockerfiles = class {
  constructor(texts) {
    this.texts = texts;
  }
  texts;
  models = /* @__PURE__ */ new Map();
  get parsed() {
    return sortUnique(this.models.keys());
  }
  model(directory) {
    let model = this.models.get(directory);
    if (!model) {
      const text2 = this.texts.get(directory) ?? "";
      model = parser().then((p) => p.parseDockerfile(text2));
      this.models.set(directory, model);
    }
    return model;
  }
};
var contextPrefix = (context) => context === "." ? "" : `${context}/`;
var nameIn = (repository) => repository.slice(repository.lastIndexOf("/") + 1);
var Bases = class {
  constructor(dockerfiles, inputs, referenceOf2, platforms) {
    this.dockerfiles = dockerfiles;
    this.inputs = inputs;
    this.referenceOf = referenceOf2;
    this.platforms = platforms;
  }
  dockerfiles;
  inputs;
  referenceOf;
  platforms;
  found = /* @__PURE__ */ new Map();
  repositories = /* @__PURE__ */ new Map();
  byRepository;
  /** The repository `dir`'s images are pushed to (`undefined` when none). */
  repositoryOf(dir) {
    if (!this.repositories.has(dir)) {
      const reference = this.referenceOf(dir);
      this.repositories.set(dir, reference && normaliseRepository(reference) || void 0);
    }
    return this.repositories.get(dir);
  }
  /** The directory of every image directory, by the repository its images are pushed to. */
  directoryOf(repository) {
    if (!this.byRepository) {
      this.byRepository = /* @__PURE__ */ new Map();
      for (const dir of this.dockerfiles.texts.keys()) {
        const own = this.repositoryOf(dir);
        if (own) this.byRepository.set(own, dir);
      }
    }
    return this.byRepository.get(repository);
  }
  /** The directories of the images `dir` is built on, directly (never itself). */
  of(dir) {
    let found = this.found.get(dir);
    if (!found) {
      found = Promise.all([this.dockerfiles.model(dir), parser()]).then(([model, p]) => {
        const { buildArgs, target } = this.inputs;
        const dirs = this.platforms.flatMap(
          (platform) => p.baseImagesOf(model, { buildArgs, target, platform }).filter(p.followsReleases).map((b) => this.directoryOf(repositoryOf(b.name))).filter((d) => d !== void 0 && d !== dir)
        );
        return sortUnique(dirs);
      });
      this.found.set(dir, found);
    }
    return found;
  }
  /** The image names of directories (what a Dockerfile must spell to name them). */
  names(dirs) {
    const names = /* @__PURE__ */ new Set();
    for (const dir of dirs) {
      const repository = this.repositoryOf(dir);
      if (repository) names.add(nameIn(repository));
    }
    return names;
  }
  /** Whether `dir`'s Dockerfile may name one of `images` (else it is not parsed). */
  mayBeBuiltOn(dir, images) {
    const text2 = this.dockerfiles.texts.get(dir) ?? "";
    if (!mayNameImages(text2, images)) return false;
    const own = this.repositoryOf(dir);
    return mayNameImages(text2, images, own && nameIn(own));
  }
};
async function changedImages(detection, inputs, ctx, notices, warnings) {
  if (inputs.directories.length > 0) {
    const texts = detection.directories.map(
      (d) => [d, readWorkspace(ctx.workspace, d, inputs.dockerfile)]
    );
    return { start: detection.directories, dockerfiles: new Dockerfiles(new Map(texts)) };
  }
  const changed = detection.changedPaths;
  if (detection.head === "" || detection.directories.length === 0 && changed === void 0) {
    return { start: [], dockerfiles: new Dockerfiles(/* @__PURE__ */ new Map()) };
  }
  const rule = {
    patterns: inputs.patterns,
    matches: compilePatterns(inputs.patterns),
    dockerfile: inputs.dockerfile
  };
  const ignoreFile = `${contextPrefix(inputs.context)}.dockerignore`;
  const read2 = detection.images ? { images: detection.images, files: /* @__PURE__ */ new Map() } : await imagesAndFilesAt(ctx.git, detection.head, rule, changed ? [ignoreFile] : []);
  const all = read2.images;
  const ignoreText = read2.files.get(ignoreFile) ?? "";
  const dockerfiles = new Dockerfiles(new Map(all.map((d) => [d.directory, d.text ?? ""])));
  if (!changed) return { start: detection.directories, dockerfiles };
  if (all.length === 0) warnings.push(nothingMatchesWarning(rule, detection.head));
  const start = await changedByInputs(changed, dockerfiles, inputs, ignoreText, notices);
  return { start, dockerfiles };
}
async function planGraph(detection, inputs, ctx) {
  const notices = [];
  const warnings = [];
  const named = inputs.directories.length > 0;
  const reason = named ? "requested" : inputs.buildAll ? "build-all" : "changed";
  const { start, dockerfiles } = await changedImages(detection, inputs, ctx, notices, warnings);
  const reasons = new Map(start.map((d) => [d, reason]));
  if (reasons.size === 0) return { targets: [], notices, warnings, parsed: dockerfiles.parsed };
  const platforms = inputs.platforms?.length ? inputs.platforms : [ctx.platform];
  const bases = new Bases(dockerfiles, inputs, ctx.referenceOf, platforms);
  for (let level = named ? [] : [...reasons.keys()]; level.length > 0; ) {
    const images = bases.names(level);
    const next = [];
    for (const dir of dockerfiles.texts.keys()) {
      if (reasons.has(dir) || !bases.mayBeBuiltOn(dir, images)) continue;
      const base = (await bases.of(dir)).find((b) => level.includes(b));
      if (base === void 0) continue;
      reasons.set(dir, `base ${base} changed`);
      next.push(dir);
    }
    level = next;
  }
  const building = bases.names(reasons.keys());
  const edges = /* @__PURE__ */ new Map();
  for (const dir of reasons.keys()) {
    const own = bases.mayBeBuiltOn(dir, building) ? await bases.of(dir) : [];
    edges.set(
      dir,
      own.filter((b) => reasons.has(b))
    );
  }
  const waves = wavesOf(edges);
  const targets = [...reasons].sort(([a], [b]) => compareBytes(a, b)).map(([directory, why]) => ({
    directory,
    reason: why,
    wave: waves.get(directory) ?? 0,
    bases: edges.get(directory) ?? []
  }));
  return { targets, notices, warnings, parsed: dockerfiles.parsed };
}
function readWorkspace(workspace2, directory, dockerfile) {
  try {
    return fs3.readFileSync(path3.join(workspace2, directory, dockerfile), "utf8");
  } catch {
    return "";
  }
}
async function changedByInputs(changed, dockerfiles, inputs, ignoreText, notices) {
  const prefix = contextPrefix(inputs.context);
  const images = [...dockerfiles.texts.keys()];
  if (changed.includes(`${prefix}.dockerignore`)) return images;
  const ignored = ignore().add(ignoreText);
  const marked = new Set(
    touchedDockerfiles(changed, inputs.dockerfile, () => true).filter(
      (d) => dockerfiles.texts.has(d)
    )
  );
  const read2 = changed.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).filter((p) => !ignored.ignores(p));
  const screen = pathScreen(read2);
  const byFirst = /* @__PURE__ */ new Map();
  for (const p of read2) {
    const first = p.split("/")[0];
    byFirst.set(first, [...byFirst.get(first) ?? [], p]);
  }
  for (const dir of images) {
    if (marked.has(dir) || !mayReadPaths(dockerfiles.texts.get(dir) ?? "", screen)) continue;
    const p = await parser();
    const inputsOf = p.imageInputsOf(await dockerfiles.model(dir));
    if (inputsOf.unknown.length > 0) {
      notices.push(
        `${quote(dir)}: its Dockerfile reads ${inputsOf.unknown.map((s) => quote(s)).join(", ")}, which only the build can resolve, so every path of the context ${quote(inputs.context)} counts as an input of this image.`
      );
    }
    const under = p.readsUnder(inputsOf);
    const candidates2 = under ? [...under].flatMap((first) => byFirst.get(first) ?? []) : read2;
    if (candidates2.some(p.inputMatcher(inputsOf))) marked.add(dir);
  }
  return sortUnique(marked);
}

// src/report/outputs.ts
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function matrixOf(plans) {
  return {
    include: plans.map((p) => ({
      directory: p.directory,
      version: p.version,
      previous: p.previous,
      wave: p.wave
    }))
  };
}
function wavesOf2(plans) {
  const count = waveCount(plans);
  return Array.from({ length: count }, (_, wave) => matrixOf(plans.filter((p) => p.wave === wave)));
}
function writePlanOutputs(plans) {
  const sorted = [...plans].sort((a, b) => compareStrings(a.directory, b.directory));
  setOutput(Output.Changed, sorted.length > 0 ? "true" : "false");
  setOutput(Output.Directories, JSON.stringify(sorted.map((p) => p.directory)));
  setOutput(Output.Matrix, JSON.stringify(matrixOf(sorted)));
  setOutput(Output.Waves, JSON.stringify(wavesOf2(sorted)));
}
function imagesOf(results) {
  return results.map((r) => ({
    directory: r.directory,
    image: r.image,
    version: r.version,
    previous: r.previous,
    tags: r.tags,
    digest: r.digest,
    platforms: r.platforms,
    reason: r.reason,
    status: r.status,
    error: r.error
  }));
}
function writeImagesOutput(results) {
  setOutput(Output.Images, JSON.stringify(imagesOf(results)));
}

// src/report/summary.ts
function escapeCell(text2) {
  return text2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\|/g, "&#124;").replace(/\r?\n/g, "<br>");
}
function escapeText(text2) {
  return escapeCell(text2).replace(/`([^`]+)`/g, "<code>$1</code>");
}
var STATUS_LABEL = {
  pushed: "\u2705 pushed",
  built: "\u2611\uFE0F built (not pushed)",
  unchanged: "\u{1F7F0} unchanged",
  failed: "\u274C failed",
  skipped: "\u23ED\uFE0F skipped"
};
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)} ms`;
  const s = ms / 1e3;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
function versionCell(r, versionGiven) {
  if (!r.version) return "\u2014";
  const version = `<b>${escapeCell(r.version)}</b>`;
  if (r.previous === r.version) return version;
  if (r.previous) return `${escapeCell(r.previous)} \u2192 ${version}`;
  return versionGiven ? version : `${version} (new)`;
}
function digestCell(digest) {
  return `<code title="${escapeCell(digest)}">${escapeCell(shortDigest(digest))}\u2026</code>`;
}
function platformLines(platforms) {
  return Object.entries(platforms).map(([name, digest]) => `<br><sub>${escapeCell(name)} ${digestCell(digest)}</sub>`).join("");
}
function summaryHtml(results, options = {}) {
  const lines = ["<h2>kaniko-release</h2>"];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  if (options.failure) {
    lines.push(`<p>\u274C ${escapeText(options.failure)}</p>`);
  } else if (results.length === 0) {
    lines.push("<p>No image directory changed: nothing to build.</p>");
  } else {
    const counts = /* @__PURE__ */ new Map();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    lines.push(
      `<p>${[...counts].map(([status, n]) => `${n} ${status}`).join(", ")}</p>`,
      "<table>",
      "<tr><th>Directory</th><th>Image</th><th>Version</th><th>Tags</th><th>Digest</th><th>Status</th><th>Duration</th></tr>"
    );
    for (const r of results) {
      const image = r.webUrl ? `<a href="${escapeCell(r.webUrl)}"><code>${escapeCell(r.image)}</code></a>` : `<code>${escapeCell(r.image)}</code>`;
      const version = versionCell(r, options.versionGiven ?? false);
      const tags = r.tags.map((t) => `<code>${escapeCell(t)}</code>`).join(" ");
      const digest = r.digest ? digestCell(r.digest) + platformLines(r.platforms) : "";
      const status = r.error ? `${STATUS_LABEL[r.status]}<br>${escapeText(r.error)}` : STATUS_LABEL[r.status];
      lines.push(
        `<tr><td><code>${escapeCell(r.directory)}</code>${r.reason ? `<br><sub>${escapeCell(r.reason)}</sub>` : ""}</td><td>${image}</td><td>${version}</td><td>${tags}</td><td>${digest}</td><td>${status}</td><td>${formatDuration(r.durationMs)}</td></tr>`
      );
    }
    lines.push("</table>");
  }
  if (options.notes && options.notes.length > 0) {
    lines.push("<ul>", ...options.notes.map((n) => `<li>${escapeText(n)}</li>`), "</ul>");
  }
  return lines.join("\n") + "\n";
}
async function writeJobSummary(html) {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    debug("No GITHUB_STEP_SUMMARY: the job summary is not written.");
    return;
  }
  await summary.addRaw(html).write();
}
async function writeSummary(results, options = {}) {
  await writeJobSummary(summaryHtml(results, options));
}

// src/report/plan-summary.ts
function planSummaryHtml(plans, options = {}) {
  const lines = ["<h2>kaniko-release plan</h2>"];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  const failures = options.failures ?? [];
  if (options.failure) {
    lines.push(`<p>\u274C ${escapeText(options.failure)}</p>`);
  } else if (plans.length === 0 && failures.length === 0) {
    lines.push("<p>No image directory changed: nothing to build.</p>");
  } else if (plans.length > 0) {
    const waves = waveCount(plans);
    lines.push(
      `<p>${plural(plans.length, "image", "images")} to build${waves > 1 ? ` in ${waves} waves, each after the one before` : ""}.</p>`,
      "<table>",
      "<tr><th>Wave</th><th>Directory</th><th>Image</th><th>Version</th><th>Why</th></tr>"
    );
    const sorted = [...plans].sort(
      (a, b) => a.wave - b.wave || compareStrings(a.directory, b.directory)
    );
    for (const p of sorted) {
      lines.push(
        `<tr><td>${p.wave}</td><td><code>${escapeCell(p.directory)}</code></td><td><code>${escapeCell(p.ref.reference)}</code></td><td>${versionCell(p, options.versionGiven ?? false)}</td><td>${escapeCell(p.reason)}</td></tr>`
      );
    }
    lines.push("</table>");
  }
  if (failures.length > 0) {
    lines.push(
      `<p>\u274C ${plural(failures.length, "directory cannot", "directories cannot")} be built:</p>`,
      "<ul>",
      ...failures.map(
        (f) => `<li><code>${escapeCell(f.directory)}</code>: ${escapeText(f.error)}</li>`
      ),
      "</ul>"
    );
  }
  if (options.notes && options.notes.length > 0) {
    lines.push("<ul>", ...options.notes.map((n) => `<li>${escapeText(n)}</li>`), "</ul>");
  }
  return lines.join("\n") + "\n";
}
async function writePlanSummary(plans, options = {}) {
  await writeJobSummary(planSummaryHtml(plans, options));
}

// src/versions/image-ref.ts
function imageName(directory) {
  const name = directory.replace(/\/+$/, "").toLowerCase().replace(/\//g, "-");
  if (!PATH_COMPONENT.test(name)) {
    throw new Error(
      `Directory ${quote(directory)} cannot be an image name: ${quote(name)} must be lower-case letters and digits joined by '.', '_', '__' or '-' (rename the directory, or leave it out of 'patterns').`
    );
  }
  return name;
}
function imageRef(registry, namespace, name) {
  const repository = namespace ? `${namespace}/${name}` : name;
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    throw new Error(
      `Image repository ${JSON.stringify(repository)} is longer than ${MAX_REPOSITORY_LENGTH} characters.`
    );
  }
  const dockerHub = isDockerHub(registry);
  return {
    registry,
    repository,
    reference: `${dockerHub ? "docker.io" : registry}/${repository}`,
    apiHost: dockerHub ? DOCKER_HUB_REGISTRY_HOST : registry,
    dockerHub
  };
}
function imageWebUrl(ref, github = {}) {
  if (ref.dockerHub) return `https://hub.docker.com/r/${ref.repository}`;
  if (ref.registry !== "ghcr.io") return "";
  const server = (github.serverUrl || "https://github.com").replace(/\/+$/, "");
  const [owner = "", ...rest] = ref.repository.split("/");
  const [repoOwner = "", repoName = ""] = (github.repository ?? "").split("/");
  if (server !== "https://github.com" || rest.length === 0 || repoName === "") return "";
  if (owner !== repoOwner.toLowerCase()) return "";
  return `${server}/${repoOwner}/${repoName}/pkgs/container/${encodeURIComponent(rest.join("/"))}`;
}

// src/lib/pool.ts
async function mapBounded(items, limit, work, options = {}) {
  const stopOnError = options.stopOnError ?? true;
  const results = new Array(items.length).fill(void 0);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length && !(options.shouldStop?.() ?? false)) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        if (stopOnError) failed = true;
        throw error;
      }
    }
  };
  const count = Math.max(1, Math.min(limit, items.length));
  const settled = await Promise.allSettled(Array.from({ length: count }, worker));
  const rejected = settled.find((s) => s.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}
async function mapAll(items, limit, work) {
  return await mapBounded(items, limit, work);
}

// src/versions/plan.ts
var VERSION_CONCURRENCY = 8;
var MAX_NAMED = 5;
async function planVersions(targets, inputs, options = {}) {
  const log = options.log ?? { warning, info };
  const failures = [];
  const images = [];
  for (const target of targets) {
    try {
      const name = imageName(target.directory);
      images.push({ ...target, name, ref: imageRef(inputs.registry, inputs.namespace, name) });
    } catch (error) {
      failures.push({ directory: target.directory, error: errorMessage(error) });
    }
  }
  if (inputs.version !== "") {
    return {
      plans: images.map((i) => ({ ...i, version: inputs.version, previous: "" })),
      failures
    };
  }
  const own = options.lookups ? void 0 : new (await import("./clients-PKEEQFNA.js")).Registries(inputs);
  const lookups = options.lookups ?? own;
  try {
    return { plans: await lookUp(images, inputs, lookups, options, log), failures };
  } finally {
    await own?.close();
  }
}
async function lookUp(images, inputs, lookups, options, log) {
  return mapAll(
    images,
    options.concurrency ?? VERSION_CONCURRENCY,
    async (image) => {
      let tags;
      try {
        tags = await lookups.listTags(image.ref);
      } catch (error) {
        throw new Error(
          `Cannot read the tags of ${image.ref.reference} (directory ${plain(image.directory)}): ${errorMessage(error)}`,
          { cause: error }
        );
      }
      const decision = nextVersion(tags, inputs.defaultVersion, inputs.bump);
      if (tags === null) {
        const privateHint = image.ref.dockerHub && !(inputs.username && inputs.password) ? " (Docker Hub answers the same for a private repository read without credentials: set 'username' and 'password' if it is private)" : "";
        log.info(
          `${image.ref.reference} does not exist yet${privateHint}; it starts at ${decision.version}.`
        );
      } else if (decision.previous === "") {
        log.info(
          `${image.ref.reference} has ${tags.length} tag${tags.length === 1 ? "" : "s"} but no version tag like ${inputs.defaultVersion}; it starts at ${decision.version}.`
        );
      }
      if (decision.ignored.length > 0) {
        const named = decision.ignored.slice(0, MAX_NAMED).join(", ");
        const more = decision.ignored.length > MAX_NAMED ? ` and ${decision.ignored.length - MAX_NAMED} more` : "";
        log.warning(
          `${image.ref.reference}: ignored ${named}${more}, which look${decision.ignored.length === 1 ? "s" : ""} like ${decision.previous ? `a version above ${decision.previous}` : `a version at or above ${inputs.defaultVersion}`} but ${decision.ignored.length === 1 ? "is" : "are"} not exactly ${describePattern(inputs.defaultVersion)}; the next version is ${decision.version}.`
        );
      }
      return { ...image, version: decision.version, previous: decision.previous };
    }
  );
}
function describePattern(defaultVersion) {
  return `${versionPrefix(defaultVersion)}MAJOR.MINOR.PATCH`;
}

// src/action/event.ts
import * as fs4 from "node:fs";
function readEvent(env = process.env) {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs4.existsSync(file)) return { name, payload: {} };
  try {
    const payload = JSON.parse(fs4.readFileSync(file, "utf8"));
    return {
      name,
      payload: payload && typeof payload === "object" ? payload : {}
    };
  } catch (error) {
    throw new Error(`Cannot read the event payload ${file}`, { cause: error });
  }
}
function workspace() {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}

// src/action/inputs.ts
import * as fs5 from "node:fs";

// src/versions/tag-templates.ts
var TEMPLATE_FIELDS = ["prefix", "major", "minor", "patch", "version", "sha", "branch"];
var FIELD = /\{\{\s*([a-z]+)\s*\}\}/g;
function branchTag(branch) {
  return branch.replace(/^refs\/(heads|tags)\//, "").replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "").slice(0, 128);
}
function renderTag(template, values) {
  const m = PREFIXED_VERSION.exec(values.version);
  if (!m) throw new Error(`${JSON.stringify(values.version)} is not <prefix>MAJOR.MINOR.PATCH.`);
  const fields = {
    prefix: m[1],
    major: m[2],
    minor: m[3],
    patch: m[4],
    version: values.version,
    sha: values.sha.slice(0, 7),
    branch: branchTag(values.branch)
  };
  return template.replace(FIELD, (whole, name) => {
    const value = fields[name];
    if (value === void 0) {
      throw new Error(
        `${JSON.stringify(whole)} is not a template field; use ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(", ")}.`
      );
    }
    return value;
  });
}
function tagProblem(tag, version) {
  if (tag === "latest") return "renders to 'latest', which the 'latest' input controls";
  if (!TAG.test(tag)) {
    return `renders to ${JSON.stringify(tag)}, which is not a valid tag (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')`;
  }
  const prefix = PREFIXED_VERSION.exec(version)?.[1];
  const exact = PREFIXED_VERSION.exec(tag);
  if (exact && exact[1] === prefix) {
    return `renders to ${JSON.stringify(tag)}, an exact version, which the version rule would count as a release`;
  }
  return void 0;
}
function checkTagTemplate(template, prefix) {
  const sample = { version: `${prefix}1.2.3`, sha: "abcdef0123456789", branch: "main" };
  let rendered;
  try {
    rendered = renderTag(template, sample);
  } catch (error) {
    return errorMessage(error);
  }
  return tagProblem(rendered, sample.version);
}
function renderTags(templates, values) {
  const out = [];
  for (const template of templates) {
    for (const [field, value, why] of [
      ["sha", values.sha, "the head commit is not known (no git checkout and no GITHUB_SHA)"],
      ["branch", values.branch, "this run is not on a branch (e.g. a tag push)"]
    ]) {
      if (value === "" && new RegExp(`\\{\\{\\s*${field}\\s*\\}\\}`).test(template)) {
        throw new Error(
          `The tag template ${JSON.stringify(template)} uses {{${field}}}, but ${why}.`
        );
      }
    }
    const tag = renderTag(template, values);
    const problem = tagProblem(tag, values.version);
    if (problem) throw new Error(`The tag template ${JSON.stringify(template)} ${problem}.`);
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}
function imageTags(version, latest, templates, values) {
  const tags = latest ? [version, "latest"] : [version];
  for (const tag of renderTags(templates, { ...values, version })) {
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}
function branchOf(env) {
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  if (env.GITHUB_REF?.startsWith("refs/heads/")) return env.GITHUB_REF.slice("refs/heads/".length);
  return "";
}

// src/action/inputs.ts
function collectInputs(read2, ctx) {
  const errors = [];
  const get = (name) => read2(name) ?? "";
  function rule(fallback, parse) {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(error);
      return fallback;
    }
  }
  const bool = (name, fallback) => rule(fallback === "true", () => parseBoolean(name, get(name), fallback));
  const username = get(Input.Username).trim();
  const password = get(Input.Password);
  if (password !== "" && username === "") {
    errors.push(
      new InputError(
        Input.Password,
        `is set but 'username' is empty; give both, or neither to use an existing docker login.`
      )
    );
  }
  if (username !== "" && password === "") {
    errors.push(
      new InputError(
        Input.Username,
        `${quote(username)} is set but 'password' is empty; give both, or neither to use an existing docker login.`
      )
    );
  }
  const registry = rule(
    Defaults.registry,
    () => normaliseRegistry(Input.Registry, get(Input.Registry).trim() || Defaults.registry)
  );
  const version = rule("", () => parseVersion(get(Input.Version)));
  const namespace = rule(
    "",
    () => parseNamespace(get(Input.Namespace).trim() || username.toLowerCase(), registry)
  );
  if (namespace === "" && (ctx.mode === "main" || version === "")) {
    if (!errors.some((e) => e.input === Input.Namespace)) {
      errors.push(
        new InputError(
          Input.Namespace,
          `is empty and there is no 'username' to default to; set 'namespace' to the user or organisation that owns the images.`
        )
      );
    }
  }
  const patterns = rule([Defaults.patterns], () => {
    const list = splitList(
      get(Input.Patterns).trim() === "" ? Defaults.patterns : get(Input.Patterns)
    );
    for (const p of list) {
      if (p.startsWith("/") || p.split("/").includes("..")) {
        throw new InputError(
          Input.Patterns,
          `${quote(p)} is not relative to the repository root; write patterns such as 'airflow-*' or 'images/**'.`
        );
      }
    }
    compilePatterns(list);
    return list;
  });
  const dockerfile = rule(
    Defaults.dockerfile,
    () => parseRelativePath(
      Input.Dockerfile,
      get(Input.Dockerfile).trim() || Defaults.dockerfile,
      "path"
    )
  );
  const directories = rule(
    [],
    () => sortUnique(
      splitList(get(Input.Directories)).map(
        (d) => parseRelativePath(Input.Directories, d, "directory")
      )
    )
  );
  const context = rule("", () => {
    const raw = get(Input.Context).trim();
    return raw === "" ? "" : parseRelativePath(Input.Context, raw, "directory", true);
  });
  const defaultVersion = rule(
    Defaults.defaultVersion,
    () => parseDefaultVersion(get(Input.DefaultVersion))
  );
  const tags = splitLines(get(Input.Tags));
  const prefix = versionPrefix(version || defaultVersion);
  tags.forEach((template, i) => {
    const problem = checkTagTemplate(template, prefix);
    if (problem) {
      errors.push(new InputError(Input.Tags, `line ${i + 1} ${quote(template)}: ${problem}.`));
    }
  });
  const commitStatus = bool(Input.CommitStatus, Defaults.commitStatus);
  const githubToken = get(Input.GithubToken).trim();
  if (commitStatus && githubToken === "") {
    errors.push(
      new InputError(
        Input.GithubToken,
        `is empty, but 'commit-status' is true; leave 'github-token' at its default (\${{ github.token }}) or give a token that may write commit statuses.`
      )
    );
  }
  const inputs = {
    patterns,
    dockerfile,
    directories,
    context,
    buildAll: bool(Input.BuildAll, Defaults.buildAll),
    base: get(Input.Base).trim(),
    head: get(Input.Head).trim(),
    registry,
    namespace,
    username,
    password,
    version,
    defaultVersion,
    bump: rule(
      "patch",
      () => oneOf(Input.Bump, get(Input.Bump), Defaults.bump, ["patch", "minor", "major"])
    ),
    latest: bool(Input.Latest, Defaults.latest),
    tags,
    platforms: rule([], () => parsePlatforms(get(Input.Platforms))),
    skipUnchanged: bool(Input.SkipUnchanged, Defaults.skipUnchanged),
    push: bool(Input.Push, Defaults.push),
    buildArgs: rule(
      [],
      () => parseKeyValues(Input.BuildArgs, get(Input.BuildArgs), BUILD_ARG_KEY, "build argument")
    ),
    target: rule("", () => parseTarget(get(Input.Target))),
    labels: rule(
      [],
      () => parseKeyValues(Input.Labels, get(Input.Labels), LABEL_KEY, "label")
    ),
    cache: bool(Input.Cache, Defaults.cache),
    cacheRepo: rule("", () => parseCacheRepo(get(Input.CacheRepo))),
    extraArgs: rule([], () => parseExtraArgs(get(Input.ExtraArgs))),
    executorImage: rule(
      Defaults.executorImage,
      () => parseExecutorImage(get(Input.ExecutorImage))
    ),
    runtime: rule(Defaults.runtime, () => parseRuntime(get(Input.Runtime))),
    memoryBytes: rule(0, () => parseMemory(get(Input.Memory))),
    cpus: rule(0, () => parseCpus(get(Input.Cpus))),
    parallel: rule(1, () => parseParallel(get(Input.Parallel))),
    insecureRegistries: rule([], () => [
      ...new Set(
        splitList(get(Input.InsecureRegistries)).map(
          (h) => normaliseRegistry(Input.InsecureRegistries, h)
        )
      )
    ]),
    caCertificates: rule("", () => parseCaCertificates(get(Input.CaCertificates), ctx.workspace)),
    hubApiUrl: rule(Defaults.hubApiUrl, () => parseHubApiUrl(get(Input.HubApiUrl))),
    failFast: bool(Input.FailFast, Defaults.failFast),
    summary: bool(Input.Summary, Defaults.summary),
    commitStatus,
    githubToken
  };
  if (ctx.checkPaths) errors.push(...checkPaths(inputs, ctx.workspace, errors));
  return { inputs, errors };
}
function parseInputs(read2, ctx) {
  const { inputs, errors } = collectInputs(read2, ctx);
  if (errors.length > 0) throw new InputErrors(errors);
  return inputs;
}
function checkPaths(inputs, workspace2, earlier) {
  const errors = [];
  const failed = (name) => earlier.some((e) => e.input === name);
  if (!fs5.existsSync(workspace2)) return errors;
  if (inputs.context !== "" && !failed(Input.Context)) {
    if (!isContextDirectory(inputs.context, workspace2)) {
      errors.push(
        new InputError(
          Input.Context,
          `${quote(inputs.context)} is not a directory of the workspace; give a directory relative to the repository root, e.g. '.'.`
        )
      );
    }
  }
  if (inputs.directories.length > 0 && !failed(Input.Directories) && !failed(Input.Dockerfile)) {
    const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace2);
    if (problems.length > 0) {
      errors.push(new InputError(Input.Directories, `${problems.join("; ")}.`));
    }
  }
  return errors;
}
function getInputs(mode) {
  const password = getInput(Input.Password);
  const username = getInput(Input.Username).trim();
  if (password !== "") {
    setSecret(password);
    if (username !== "") setSecret(basicAuth(username, password));
  }
  const token = getInput(Input.GithubToken).trim();
  if (token !== "") setSecret(token);
  const inputs = parseInputs((name) => getInput(name), {
    mode,
    workspace: workspace(),
    checkPaths: true
  });
  for (const name of [Input.Password, Input.GithubToken]) {
    delete process.env[`INPUT_${name.toUpperCase()}`];
  }
  return inputs;
}

// src/action/plan-step.ts
function referenceOf(inputs) {
  return (directory) => {
    try {
      return imageRef(inputs.registry, inputs.namespace, imageName(directory)).reference;
    } catch {
      return void 0;
    }
  };
}
function describeTarget(t, waves) {
  const wave = waves > 1 ? `, wave ${t.wave + 1} of ${waves}` : "";
  return `  ${plain(t.directory)} (${plain(t.reason)}${wave})`;
}
async function detectTargets(inputs) {
  const root = workspace();
  const git = new Git(root);
  const event = readEvent();
  const found = await detectDirectories(inputs, root, event, git);
  const graph = await planGraph(found, inputs, {
    git,
    workspace: root,
    referenceOf: referenceOf(inputs),
    platform: platformName(runnerPlatform())
  });
  debug(`Dockerfiles parsed: ${graph.parsed.length} (${graph.parsed.map(plain).join(", ")})`);
  for (const w of graph.warnings) warning(w);
  for (const n of graph.notices) notice(n);
  const { targets } = graph;
  const waves = waveCount(targets);
  info(
    `${found.description}: ${targets.length} image director${targets.length === 1 ? "y" : "ies"} to build${waves > 1 ? ` in ${waves} waves` : ""}.`
  );
  for (const t of targets) info(describeTarget(t, waves));
  return { targets, description: found.description, notices: found.notices, event };
}
async function plan(inputs) {
  const detection = await group(
    "Detect changed image directories",
    () => detectTargets(inputs)
  );
  const { targets, description, notices, event } = detection;
  if (targets.length === 0) return { plans: [], failures: [], description, notices, event };
  const versions = await group("Versions", async () => {
    const planned = await planVersions(targets, inputs);
    for (const p of planned.plans) {
      info(
        `${plain(p.directory)}: ${p.ref.reference} ${p.previous ? `${p.previous} \u2192 ` : ""}${p.version}`
      );
    }
    return planned;
  });
  return { ...versions, description, notices, event };
}
async function runPlan() {
  const inputs = getInputs("plan");
  let planned;
  try {
    planned = await plan(inputs);
  } catch (error) {
    if (inputs.summary) await writePlanSummary([], { failure: `No plan: ${errorMessage(error)}` });
    throw error;
  }
  if (inputs.summary) {
    await writePlanSummary(planned.plans, {
      heading: planned.description,
      failures: planned.failures,
      notes: planned.notices,
      versionGiven: inputs.version !== ""
    });
  }
  if (planned.failures.length > 0) {
    throw new Error(planned.failures.map((f) => `${plain(f.directory)}: ${f.error}`).join("\n"));
  }
  writePlanOutputs(planned.plans);
}

// src/action/run.ts
async function run(step) {
  try {
    await step();
  } catch (error) {
    setFailed(errorMessage(error));
  }
}

export {
  Git,
  imageWebUrl,
  imageTags,
  branchOf,
  mapBounded,
  mapAll,
  waveCount,
  OBJECT_ID,
  compareStrings,
  writePlanOutputs,
  writeImagesOutput,
  writeSummary,
  workspace,
  getInputs,
  plan,
  runPlan,
  run
};
/*! For license information please see chunk-TVJAKWJO.js.LEGAL.txt */
