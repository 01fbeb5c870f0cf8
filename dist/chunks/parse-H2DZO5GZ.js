import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_main
} from "./chunk-MYUHUZVC.js";
import {
  canonicalReference,
  parseReference,
  require_picomatch
} from "./chunk-3EYVB6QV.js";
import "./chunk-GI2DX2VI.js";
import "./chunk-PTFHAWOZ.js";
import {
  __toESM
} from "./chunk-6DG7BXTN.js";

// src/graph/dockerfile.ts
var import_dockerfile_ast = __toESM(require_main(), 1);
function lineStarts(text) {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}
function literal(text, escape) {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape) {
      const next = text[i + 1];
      if (next === "\r" && text[i + 2] === "\n") i += 2;
      else if (next !== void 0) {
        if (next !== "\n" && next !== "\r") out += next;
        i++;
      }
    } else if (c !== '"' && c !== "'") {
      out += c;
    }
  }
  return out;
}
function parseDockerfile(text) {
  const dockerfile = import_dockerfile_ast.DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const starts = lineStarts(text);
  const offset = (p) => (starts[p.line] ?? text.length) + p.character;
  const before = (a, b) => a.line < b.line || a.line === b.line && a.character <= b.character;
  const word = (instruction, range) => {
    const [start, end] = [offset(range.start), offset(range.end)];
    const parts = [];
    let at = start;
    const variables = instruction.getVariables().filter((v) => before(range.start, v.getRange().start) && before(v.getRange().end, range.end)).sort((a, b) => offset(a.getRange().start) - offset(b.getRange().start));
    for (const v of variables) {
      const vStart = offset(v.getRange().start);
      if (vStart > at) parts.push({ literal: literal(text.slice(at, vStart), escape) });
      parts.push({
        variable: v.getName(),
        modifier: v.getModifier(),
        word: v.getSubstitutionParameter()
      });
      at = offset(v.getRange().end);
    }
    if (end > at) parts.push({ literal: literal(text.slice(at, end), escape) });
    return { written: text.slice(start, end), parts };
  };
  const declarations = (instruction, kind) => instruction.getProperties().map((p) => {
    const range = p.getValueRange();
    return range ? { kind, name: p.getName(), value: word(instruction, range) } : { kind, name: p.getName() };
  });
  const model = { globals: [], stages: [] };
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const stage = model.stages.at(-1);
    if (instruction instanceof import_dockerfile_ast.From) {
      const [image, as, name] = instruction.getArguments();
      if (!image) continue;
      model.stages.push({
        from: word(instruction, image.getRange()),
        ...name && as?.getValue().toLowerCase() === "as" ? { name: name.getValue().toLowerCase() } : {},
        line: instruction.getRange().start.line + 1,
        steps: []
      });
    } else if (instruction instanceof import_dockerfile_ast.Arg) {
      (stage ? stage.steps : model.globals).push(...declarations(instruction, "arg"));
    } else if (instruction instanceof import_dockerfile_ast.Env) {
      stage?.steps.push(...declarations(instruction, "env"));
    } else if ((keyword === "COPY" || keyword === "ADD") && instruction instanceof import_dockerfile_ast.JSONInstruction) {
      const from = instruction.getFlags().find((f) => f.getName().toLowerCase() === "from");
      const fromRange = from?.getValueRange();
      stage?.steps.push({
        kind: "copy",
        instruction: keyword,
        ...fromRange ? { from: word(instruction, fromRange) } : {},
        sources: sourcesOf(instruction, text, offset),
        line: instruction.getRange().start.line + 1
      });
    }
  }
  return model;
}
function sourcesOf(instruction, text, offset) {
  const open = instruction.getOpeningBracket();
  const close = instruction.getClosingBracket();
  if (open && close) {
    try {
      const list = JSON.parse(
        text.slice(offset(open.getRange().start), offset(close.getRange().end))
      );
      if (Array.isArray(list) && list.every((s) => typeof s === "string")) {
        return list.slice(0, -1);
      }
    } catch {
    }
  }
  let args = instruction.getArguments();
  const heredoc = args.find((a) => a.getValue().startsWith("<<"));
  if (heredoc) {
    const line = heredoc.getRange().start.line;
    args = args.filter((a) => a.getRange().start.line <= line && !a.getValue().startsWith("<<"));
  }
  return args.slice(0, -1).map((a) => a.getValue().replace(/["']/g, ""));
}

// src/graph/variables.ts
var UNKNOWN = /* @__PURE__ */ Symbol("unknown");
function platformScope(target, build) {
  const scope = /* @__PURE__ */ new Map();
  const set = (prefix, platform) => {
    const [os = "", arch = "", variant = ""] = platform ? platform.split("/") : [];
    for (const [name, value] of [
      ["PLATFORM", platform],
      ["OS", os],
      ["ARCH", arch],
      ["VARIANT", variant]
    ]) {
      scope.set(`${prefix}${name}`, platform === void 0 ? UNKNOWN : value);
    }
  };
  set("TARGET", target);
  set("BUILD", build ?? target);
  return scope;
}
function buildArgMap(lines) {
  const map = /* @__PURE__ */ new Map();
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq > 0) map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}
function expand(word, scope) {
  let value = "";
  const fromVariable = [];
  const push = (text, variable) => {
    value += text;
    for (let i = 0; i < text.length; i++) fromVariable.push(variable);
  };
  for (const part of word.parts) {
    if ("literal" in part) {
      push(part.literal, false);
      continue;
    }
    const current = scope.get(part.variable);
    if (current === UNKNOWN) return { value: "", unknown: true, fromVariable: [] };
    const set = current !== void 0 && current !== "";
    switch (part.modifier) {
      case null:
        push(current ?? "", true);
        break;
      case "-":
        if (set) push(current, true);
        else if (part.word?.includes("$")) return { value: "", unknown: true, fromVariable: [] };
        else push(part.word ?? "", true);
        break;
      case "+":
        if (set && part.word?.includes("$")) return { value: "", unknown: true, fromVariable: [] };
        push(set ? part.word ?? "" : "", true);
        break;
      default:
        return { value: "", unknown: true, fromVariable: [] };
    }
  }
  return { value, unknown: false, fromVariable };
}

// src/graph/base-images.ts
function followsReleases(base) {
  if (!base.known || !base.name || base.name.digest) return false;
  return base.name.tag === void 0 || base.name.tag === "latest" || base.fromArg;
}
function declared(name, value, scope, buildArgs, inherited) {
  if (buildArgs.has(name)) return buildArgs.get(name);
  if (value) {
    const expanded = expand(value, scope);
    return expanded.unknown ? UNKNOWN : expanded.value;
  }
  return inherited.get(name);
}
function baseImagesOf(model, options = {}) {
  const buildArgs = buildArgMap(options.buildArgs ?? []);
  const platform = platformScope(options.platform, options.buildPlatform);
  const globals = new Map(platform);
  for (const arg of model.globals) {
    globals.set(arg.name, declared(arg.name, arg.value, globals, buildArgs, platform));
  }
  const target = options.target?.toLowerCase();
  const last = target ? model.stages.findIndex((s) => s.name === target) : -1;
  const stages = last < 0 ? model.stages : model.stages.slice(0, last + 1);
  const images = [];
  const stageNames = /* @__PURE__ */ new Set();
  const add = (word, scope, instruction, line) => {
    const expanded = expand(word, scope);
    const text = expanded.value.trim();
    if (!expanded.unknown) {
      const lower = text.toLowerCase();
      if (lower === "scratch" || stageNames.has(lower)) return;
      if (instruction === "COPY --from" && /^\d+$/.test(text)) return;
    }
    const name = expanded.unknown ? void 0 : parseReference(text);
    if (!name) {
      images.push({
        instruction,
        line,
        written: word.written,
        known: false,
        reference: "",
        fromArg: true
      });
      return;
    }
    const tagAt = name.tag === void 0 ? -1 : text.indexOf(`:${name.tag}`, text.lastIndexOf("/")) + 1;
    const offset = expanded.value.indexOf(text);
    const from = expanded.fromVariable.slice(offset, offset + text.length);
    const fromArg = tagAt > 0 ? from.slice(tagAt, tagAt + name.tag.length).some(Boolean) : from.every(Boolean);
    images.push({
      instruction,
      line,
      written: word.written,
      known: true,
      reference: canonicalReference(name),
      name,
      fromArg
    });
  };
  for (const stage of stages) {
    add(stage.from, globals, "FROM", stage.line);
    if (stage.name) stageNames.add(stage.name);
    const scope = /* @__PURE__ */ new Map();
    for (const step of stage.steps) {
      if (step.kind === "arg") {
        scope.set(step.name, declared(step.name, step.value, scope, buildArgs, globals));
      } else if (step.kind === "env") {
        scope.set(step.name, declared(step.name, step.value, scope, /* @__PURE__ */ new Map(), /* @__PURE__ */ new Map()));
      } else if (step.kind === "copy" && step.from) {
        add(step.from, scope, "COPY --from", step.line);
      }
    }
  }
  return images;
}

// src/graph/inputs.ts
var import_picomatch = __toESM(require_picomatch(), 1);
import * as path from "node:path";
var REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;
var WILDCARD = /[*?[\\]/;
var GO_MATCH = {
  dot: true,
  nobrace: true,
  noextglob: true,
  noglobstar: true,
  nonegate: true,
  windows: false
};
function normaliseSource(source) {
  const normal = path.posix.normalize(source.replace(/^\/+/, "") || ".").replace(/\/+$/, "");
  return normal === "" || normal === ".." || normal.startsWith("../") ? "." : normal;
}
function imageInputsOf(model) {
  const sources = /* @__PURE__ */ new Set();
  const unknown = [];
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (step.kind !== "copy" || step.from) continue;
      for (const source of step.sources) {
        if (source.includes("$") || REMOTE.test(source)) unknown.push(source);
        else sources.add(normaliseSource(source));
      }
    }
  }
  return { sources: [...sources], unknown };
}
function readsUnder(inputs) {
  if (inputs.unknown.length > 0) return void 0;
  const firsts = /* @__PURE__ */ new Set();
  for (const source of inputs.sources) {
    const first = source.split("/")[0];
    if (source === "." || WILDCARD.test(first)) return void 0;
    firsts.add(first);
  }
  return firsts;
}
function inputMatcher(inputs) {
  if (inputs.unknown.length > 0 || inputs.sources.includes(".")) return () => true;
  const literal2 = new Set(inputs.sources.filter((s) => !WILDCARD.test(s)));
  const globs = inputs.sources.filter((s) => WILDCARD.test(s)).map((s) => (0, import_picomatch.default)(s, GO_MATCH));
  return (file) => {
    for (let at = file; at !== ""; at = at.includes("/") ? at.slice(0, at.lastIndexOf("/")) : "") {
      if (literal2.has(at) || globs.some((glob) => glob(at))) return true;
    }
    return false;
  };
}
export {
  baseImagesOf,
  followsReleases,
  imageInputsOf,
  inputMatcher,
  parseDockerfile,
  readsUnder
};
