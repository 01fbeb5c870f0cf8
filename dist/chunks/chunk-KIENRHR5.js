import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

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

export {
  safeLines,
  quote,
  plain
};
