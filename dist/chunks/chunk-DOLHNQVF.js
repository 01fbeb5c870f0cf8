import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  BUILD_ARG_KEY,
  LABEL_KEY,
  MAX_REPOSITORY_LENGTH,
  PATH_COMPONENT,
  PREFIXED_VERSION,
  TAG,
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
  show,
  sortUnique,
  splitLines,
  splitList,
  versionPrefix
} from "./chunk-YHKLNRTT.js";
import {
  DOCKER_HUB_REGISTRY_HOST,
  Defaults,
  Input,
  InputError,
  InputErrors,
  Output,
  basicAuth,
  debug,
  getInput,
  group,
  info,
  isDockerHub,
  notice,
  plain,
  quote,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-FOEC2USY.js";
import {
  __commonJS,
  __toESM
} from "./chunk-6DG7BXTN.js";

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path3, { windows } = {}) => {
      const segs = path3.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote2 = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote2 = quote2 === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote2 === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote2 = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote2 = quote2 === 1 ? 0 : 1;
          continue;
        }
        if (quote2 === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants.globChars(opts.windows);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal;
          open.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix = POSIX_REGEX_SOURCE[rest2];
                if (posix) {
                  prev.value = pre + posix;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range.unshift(arr[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob, options) : picomatch2.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob, posix });
        const result = { glob, state, regex, posix, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob, posix } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob, options, posix = options && options.windows) => {
      const regex = glob instanceof RegExp ? glob : picomatch2.makeRe(glob, options);
      return regex.test(utils.basename(input, { windows: posix }));
    };
    picomatch2.isMatch = (str, patterns, options) => picomatch2(patterns, options)(str);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
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
function splitNul(output) {
  const text2 = typeof output === "string" ? output : output.toString("utf8");
  const entries = text2.split("\0");
  if (entries.at(-1) === "") entries.pop();
  return entries;
}
function parseCatFileBatch(output, count) {
  const result = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = output.indexOf(10, at);
    if (eol < 0) throw new Error(`git cat-file --batch: expected ${count} answers, got ${i}`);
    const header = output.toString("utf8", at, eol);
    at = eol + 1;
    const match = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
    if (!match) {
      result.push(null);
      continue;
    }
    const [, oid, type, size] = match;
    const body = output.toString("utf8", at, at + Number(size));
    at += Number(size) + 1;
    if (type !== "commit") {
      result.push(null);
      continue;
    }
    const parents = [];
    for (const line of body.split("\n")) {
      if (line === "") break;
      if (line.startsWith("parent ")) parents.push(line.slice("parent ".length));
    }
    result.push({ oid, parents });
  }
  return result;
}
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
      child.stdout?.on("data", (d) => out.push(d));
      child.stderr?.on("data", (d) => err.push(d));
      child.on("error", (error) => {
        reject(
          error.code === "ENOENT" ? new Error("git is not installed or not on PATH", { cause: error }) : new GitError(args, null, error.message, { cause: error })
        );
      });
      child.on("close", (code) => {
        const stderr = Buffer.concat(err).toString("utf8");
        const exitCode = code ?? -1;
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
  /** The repository's top-level directory and whether it is a shallow clone. */
  async repository() {
    const { stdout } = await this.run(["rev-parse", "--show-toplevel", "--is-shallow-repository"]);
    const [topLevel = "", shallow = ""] = stdout.toString("utf8").split("\n");
    return { topLevel, shallow: shallow === "true" };
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
    const { stdout } = await this.run(["cat-file", "--batch"], {
      input: revisions.map((r) => `${r}^{commit}
`).join("")
    });
    return parseCatFileBatch(stdout, revisions.length);
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
  /** Paths that differ between two commits (either side of a rename counts), NUL-separated. */
  async changedPaths(base, head) {
    const { stdout } = await this.run([
      "diff-tree",
      "-r",
      "-z",
      "--name-only",
      "--no-renames",
      "--no-commit-id",
      "--end-of-options",
      base,
      head
    ]);
    return splitNul(stdout);
  }
  /**
   * Every file of a commit (blobs, symlinks and submodules), repository-relative, as the raw
   * NUL-terminated bytes git prints: callers decode only the entries they need.
   */
  async listTree(rev) {
    const { stdout } = await this.run([
      "ls-tree",
      "-r",
      "-z",
      "--name-only",
      "--full-tree",
      "--end-of-options",
      rev
    ]);
    return stdout;
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
        const label = request.head === "HEAD" ? "HEAD" : request.head;
        return this.parentRange(head, `${request.reason}: ${label}^..${label}`);
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
function parentOf(path3) {
  const slash = path3.lastIndexOf("/");
  return slash < 0 ? "" : path3.slice(0, slash);
}
var NUL = 0;
var TreeListing = class _TreeListing {
  constructor(bytes) {
    this.bytes = bytes;
  }
  bytes;
  static of(paths) {
    return new _TreeListing(Buffer.from(paths.map((p) => `${p}\0`).join(""), "utf8"));
  }
  /** Every path, decoded (for tests and small trees). */
  paths() {
    const text2 = this.bytes.toString("utf8");
    return text2 === "" ? [] : text2.slice(0, -1).split("\0");
  }
  /** The directories `d` (never the root) that hold an entry `d/<name>`, in listing order. */
  directoriesHolding(name) {
    const needle = Buffer.from(`/${name}\0`, "utf8");
    const found = [];
    for (let at = this.bytes.indexOf(needle); at >= 0; at = this.bytes.indexOf(needle, at + 1)) {
      const start = at === 0 ? 0 : this.bytes.lastIndexOf(NUL, at - 1) + 1;
      found.push(this.bytes.toString("utf8", start, at));
    }
    return found;
  }
  /** Whether any entry lies inside `directory`. */
  hasEntryUnder(directory) {
    const prefix = Buffer.from(`${directory}/`, "utf8");
    if (this.bytes.subarray(0, prefix.length).equals(prefix)) return true;
    return this.bytes.includes(Buffer.concat([Buffer.of(NUL), prefix]));
  }
};
function findImageDirectories(tree, dockerfile, matches) {
  return new Set(tree.directoriesHolding(dockerfile).filter((dir) => matches(dir)));
}
function enclosingImageDirectory(path3, imageDirectories) {
  for (let dir = parentOf(path3); dir !== ""; dir = parentOf(dir)) {
    if (imageDirectories.has(dir)) return dir;
  }
  return void 0;
}
function mapChangedPaths(changed, head, imageDirectories, dockerfile, matches) {
  const suffix = `/${dockerfile}`;
  const directories = /* @__PURE__ */ new Set();
  const goneDirs = /* @__PURE__ */ new Set();
  for (const path3 of changed) {
    const dir = enclosingImageDirectory(path3, imageDirectories);
    if (dir !== void 0) directories.add(dir);
    if (path3.length > suffix.length && path3.endsWith(suffix)) {
      const owner = path3.slice(0, -suffix.length);
      if (!imageDirectories.has(owner) && matches(owner)) goneDirs.add(owner);
    }
  }
  const gone = sortUnique(goneDirs).map((directory) => ({
    directory,
    reason: head.hasEntryUnder(directory) ? "lost-dockerfile" : "deleted"
  }));
  return { directories: sortUnique(directories), gone };
}

// src/detect/patterns.ts
var import_picomatch = __toESM(require_picomatch2(), 1);
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
function compilePatterns(patterns) {
  const include = [];
  const exclude = [];
  for (const raw of patterns) {
    const excluded = raw.trim().startsWith("!") && !raw.trim().startsWith("!(");
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

// src/detect/detect.ts
var plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
function namedDirectories(inputs, workspace2) {
  const problems = directoryProblems(inputs.directories, inputs.dockerfile, workspace2);
  if (problems.length > 0) throw new InputError(Input.Directories, `${problems.join("; ")}.`);
  const directories = sortUnique(inputs.directories);
  return {
    directories,
    description: `'directories' input: ${plural(directories.length, "directory", "directories")}, no change detection`,
    notices: [],
    warnings: []
  };
}
function knownHead(request) {
  switch (request.kind) {
    case "push":
    case "new-ref":
      return request.after;
    case "pull-request":
      return request.head;
    default:
      return void 0;
  }
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
async function detectDirectories(inputs, workspace2, event) {
  const detection = await detect(inputs, workspace2, event);
  for (const w of detection.warnings) warning(w);
  for (const n of detection.notices) notice(n);
  return detection;
}
async function detect(inputs, workspace2, event, git = new Git(workspace2)) {
  if (inputs.directories.length > 0) return namedDirectories(inputs, workspace2);
  const matches = compilePatterns(inputs.patterns);
  await checkRepository(git, workspace2);
  const resolver = new RangeResolver(git);
  let range;
  let early;
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
      const both = await Promise.all([
        git.listTree(request.after),
        git.changedPaths(request.before, request.after)
      ]).catch(() => void 0);
      if (both) return mapRange(inputs, matches, pushRange(request), both[0], both[1], []);
    }
    const head2 = knownHead(request);
    if (head2 !== void 0) early = { head: head2, tree: git.listTree(head2).catch(() => void 0) };
    range = await resolver.resolve(request);
  }
  if (range.kind === "none") {
    return {
      directories: [],
      description: range.description,
      notices: [],
      warnings: resolver.warnings
    };
  }
  const head = range.head;
  const [tree, changed] = await Promise.all([
    (early?.head === head ? early.tree : Promise.resolve(void 0)).then(
      (listed) => listed ?? git.listTree(head)
    ),
    range.kind === "diff" ? git.changedPaths(range.base, head) : void 0
  ]);
  return mapRange(inputs, matches, range, tree, changed, resolver.warnings);
}
function mapRange(inputs, matches, range, treeBytes, changed, warnings) {
  const tree = new TreeListing(treeBytes);
  const imageDirectories = findImageDirectories(tree, inputs.dockerfile, matches);
  if (changed === void 0) {
    return {
      directories: sortUnique(imageDirectories),
      description: range.description,
      notices: [],
      warnings
    };
  }
  const mapping = mapChangedPaths(changed, tree, imageDirectories, inputs.dockerfile, matches);
  return {
    directories: mapping.directories,
    description: `${range.description}, ${plural(changed.length, "changed path", "changed paths")}`,
    notices: mapping.gone.length > 0 ? [goneNotice(mapping.gone, inputs.dockerfile)] : [],
    warnings
  };
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
function wavesOf(plans) {
  const count = plans.reduce((n, p) => Math.max(n, p.wave + 1), 0);
  return Array.from({ length: count }, (_, wave) => matrixOf(plans.filter((p) => p.wave === wave)));
}
function writePlanOutputs(plans) {
  const sorted = [...plans].sort((a, b) => compareStrings(a.directory, b.directory));
  setOutput(Output.Changed, sorted.length > 0 ? "true" : "false");
  setOutput(Output.Directories, JSON.stringify(sorted.map((p) => p.directory)));
  setOutput(Output.Matrix, JSON.stringify(matrixOf(sorted)));
  setOutput(Output.Waves, JSON.stringify(wavesOf(sorted)));
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
function shortDigest(digest) {
  return `<code title="${escapeCell(digest)}">${escapeCell(digest.slice(0, 19))}\u2026</code>`;
}
function platformLines(platforms) {
  return Object.entries(platforms).map(([name, digest]) => `<br><sub>${escapeCell(name)} ${shortDigest(digest)}</sub>`).join("");
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
      const digest = r.digest ? shortDigest(r.digest) + platformLines(r.platforms) : "";
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
async function writeSummary(results, options = {}) {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    debug("No GITHUB_STEP_SUMMARY: the job summary is not written.");
    return;
  }
  await summary.addRaw(summaryHtml(results, options)).write();
}

// src/report/plan-summary.ts
var plural2 = (n, one, many) => `${n} ${n === 1 ? one : many}`;
function planSummaryHtml(plans, options = {}) {
  const lines = ["<h2>kaniko-release plan</h2>"];
  if (options.heading) lines.push(`<p>${escapeCell(options.heading)}</p>`);
  const failures = options.failures ?? [];
  if (options.failure) {
    lines.push(`<p>\u274C ${escapeText(options.failure)}</p>`);
  } else if (plans.length === 0 && failures.length === 0) {
    lines.push("<p>No image directory changed: nothing to build.</p>");
  } else if (plans.length > 0) {
    const waves = plans.reduce((n, p) => Math.max(n, p.wave + 1), 0);
    lines.push(
      `<p>${plural2(plans.length, "image", "images")} to build${waves > 1 ? ` in ${waves} waves, each after the one before` : ""}.</p>`,
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
      `<p>\u274C ${plural2(failures.length, "directory cannot", "directories cannot")} be built:</p>`,
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
  if (!process.env.GITHUB_STEP_SUMMARY) {
    debug("No GITHUB_STEP_SUMMARY: the job summary is not written.");
    return;
  }
  await summary.addRaw(planSummaryHtml(plans, options)).write();
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
  const own = options.lookups ? void 0 : new (await import("./clients-DKJBADOB.js")).Registries(inputs);
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
  const prefix = /^[^0-9]*/.exec(defaultVersion)[0];
  return `${prefix}MAJOR.MINOR.PATCH`;
}

// src/action/event.ts
import * as fs3 from "node:fs";
function readEvent(env = process.env) {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs3.existsSync(file)) return { name, payload: {} };
  try {
    const payload = JSON.parse(fs3.readFileSync(file, "utf8"));
    return {
      name,
      payload: payload && typeof payload === "object" ? payload : {}
    };
  } catch (error) {
    throw new Error(`Cannot read the event payload ${file}`, { cause: error });
  }
}

// src/action/inputs.ts
import * as fs4 from "node:fs";

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
function collectInputs(read, ctx) {
  const errors = [];
  const get = (name) => read(name) ?? "";
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
        `${show(username)} is set but 'password' is empty; give both, or neither to use an existing docker login.`
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
          `${show(p)} is not relative to the repository root; write patterns such as 'airflow-*' or 'images/**'.`
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
  const directories = rule([], () => [
    ...new Set(
      splitList(get(Input.Directories)).map(
        (d) => parseRelativePath(Input.Directories, d, "directory")
      )
    )
  ]).sort();
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
      errors.push(new InputError(Input.Tags, `line ${i + 1} ${show(template)}: ${problem}.`));
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
function parseInputs(read, ctx) {
  const { inputs, errors } = collectInputs(read, ctx);
  if (errors.length > 0) throw new InputErrors(errors);
  return inputs;
}
function checkPaths(inputs, workspace2, earlier) {
  const errors = [];
  const failed = (name) => earlier.some((e) => e.input === name);
  if (!fs4.existsSync(workspace2)) return errors;
  if (inputs.context !== "" && !failed(Input.Context)) {
    if (!isContextDirectory(inputs.context, workspace2)) {
      errors.push(
        new InputError(
          Input.Context,
          `${show(inputs.context)} is not a directory of the workspace; give a directory relative to the repository root, e.g. '.'.`
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
  const workspace2 = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const inputs = parseInputs((name) => getInput(name), { mode, workspace: workspace2, checkPaths: true });
  for (const name of [Input.Password, Input.GithubToken]) {
    delete process.env[`INPUT_${name.toUpperCase()}`];
  }
  return inputs;
}

// src/action/plan-step.ts
function workspace() {
  return process.env.GITHUB_WORKSPACE ?? process.cwd();
}
function reasonOf(inputs) {
  if (inputs.directories.length > 0) return "requested";
  return inputs.buildAll ? "build-all" : "changed";
}
function targetsOf(detection, inputs) {
  const reason = reasonOf(inputs);
  return detection.directories.map((directory) => ({ directory, reason, wave: 0 }));
}
async function plan(inputs) {
  const detection = await group("Detect changed image directories", async () => {
    const found = await detectDirectories(inputs, workspace(), readEvent());
    info(
      `${found.description}: ${found.directories.length} image director${found.directories.length === 1 ? "y" : "ies"} to build.`
    );
    for (const d of found.directories) info(`  ${plain(d)}`);
    return found;
  });
  const targets = targetsOf(detection, inputs);
  if (targets.length === 0)
    return {
      plans: [],
      failures: [],
      description: detection.description,
      notices: detection.notices
    };
  const versions = await group("Versions", async () => {
    const planned = await planVersions(targets, inputs);
    for (const p of planned.plans) {
      info(
        `${plain(p.directory)}: ${p.ref.reference} ${p.previous ? `${p.previous} \u2192 ` : ""}${p.version}`
      );
    }
    return planned;
  });
  return { ...versions, description: detection.description, notices: detection.notices };
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
  writePlanOutputs,
  writeImagesOutput,
  writeSummary,
  readEvent,
  getInputs,
  workspace,
  plan,
  runPlan,
  run
};
