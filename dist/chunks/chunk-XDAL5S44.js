import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/runtime/host.ts
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
var SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function locateTool(name) {
  for (const dir of SYSTEM_PATH.split(":")) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
    }
  }
  return void 0;
}
var SANDBOX_TOOLS = [
  "unshare",
  "mount",
  "umount",
  "pivot_root",
  "chroot",
  "mkfifo",
  "env",
  "sh",
  "cp",
  "rm"
];
function tool(name) {
  const found = locateTool(name);
  if (!found) throw new Error(`The sandbox needs '${name}', which is not on this runner.`);
  return found;
}
function privileged(privilege, argv) {
  return privilege === "root" ? argv : ["sudo", "-n", "--", ...argv];
}
function unescapeMountPath(value) {
  return value.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
function parseMountPoints(mountinfo) {
  return mountinfo.split("\n").map((line) => line.split(" ")[4]).filter((p) => p !== void 0 && p !== "").map(unescapeMountPath);
}
function mountsBelow(dir, mountinfo) {
  const text = mountinfo ?? fs.readFileSync("/proc/self/mountinfo", "utf8");
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return parseMountPoints(text).filter((p) => p === dir || p.startsWith(prefix));
}
async function runQuiet(argv) {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" }
    });
    let output = "";
    child.stdout.on("data", (c) => output += c.toString("utf8"));
    child.stderr.on("data", (c) => output += c.toString("utf8"));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}
async function removeSandboxDir(dir, privilege) {
  if (!fs.existsSync(dir)) return;
  const mounted = mountsBelow(dir);
  if (mounted.length > 0) {
    throw new Error(
      `Not deleting the sandbox ${dir}: ${mounted.join(", ")} ${mounted.length === 1 ? "is" : "are"} still mounted there.`
    );
  }
  const { code, output } = await runQuiet(
    privileged(privilege, [tool("rm"), "-rf", "--one-file-system", "--", dir])
  );
  if (code !== 0 || fs.existsSync(dir)) {
    throw new Error(`Could not delete the sandbox ${dir}: ${output || `rm exited with ${code}`}`);
  }
}
async function cleanupSandboxes(workDir) {
  if (!fs.existsSync(workDir)) return;
  const dir = fs.realpathSync(workDir);
  let privilege = "root";
  if (process.getuid?.() !== 0) {
    const sudo = await runQuiet(["sudo", "-n", "true"]).catch(() => ({ code: 1 }));
    privilege = sudo.code === 0 ? "sudo" : "root";
  }
  if (privilege === "root" && process.getuid?.() !== 0) {
    const mounted = mountsBelow(dir);
    if (mounted.length > 0) throw new Error(`Not deleting ${dir}: ${mounted.join(", ")} mounted.`);
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  await removeSandboxDir(dir, privilege);
}
function makeWorkDir() {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(fs.realpathSync(base), "kaniko-release-sandboxes-"));
}

// src/runtime/select.ts
import { spawn as spawn3 } from "node:child_process";
import * as fs5 from "node:fs";
import * as os2 from "node:os";
import * as path4 from "node:path";

// src/runtime/sandbox.ts
import * as fs4 from "node:fs";
import * as path3 from "node:path";

// src/executor/rootfs.ts
import * as fs2 from "node:fs";
import * as path2 from "node:path";
var MAX_LINKS = 40;
function rootParts(inside) {
  const parts = [];
  for (const part of inside.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts;
}
function lstatOrNull(p) {
  try {
    return fs2.lstatSync(p);
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw error;
  }
}
function resolveInRoot(root, inside, options = {}) {
  const queue = rootParts(inside);
  const current = [];
  let links = 0;
  while (queue.length > 0) {
    const part = queue.shift();
    if (part === "..") {
      current.pop();
      continue;
    }
    const candidate = path2.join(root, ...current, part);
    const last = queue.length === 0;
    const st = lstatOrNull(candidate);
    if (st === null) {
      if (!last && options.createParents) fs2.mkdirSync(candidate, { mode: 493 });
      current.push(part);
      continue;
    }
    if (st.isSymbolicLink() && (!last || options.followFinal)) {
      if (++links > MAX_LINKS) {
        throw new Error(`Too many symbolic links under ${root} resolving ${inside}.`);
      }
      const target = fs2.readlinkSync(candidate);
      if (target.startsWith("/")) current.length = 0;
      queue.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      continue;
    }
    if (!last && !st.isDirectory()) {
      throw new Error(`${path2.join("/", ...current, part)} is not a directory in ${root}.`);
    }
    current.push(part);
  }
  return path2.join(root, ...current);
}
function prepareMountPoint(root, inside, kind) {
  const target = resolveInRoot(root, inside, { createParents: true });
  if (target === root) throw new Error(`Cannot mount over the root itself (${inside}).`);
  const st = lstatOrNull(target);
  if (st !== null) {
    const fits = kind === "dir" ? st.isDirectory() : st.isFile();
    if (fits) return target;
    fs2.rmSync(target, { recursive: true, force: true });
  }
  if (kind === "dir") fs2.mkdirSync(target, { mode: 493 });
  else fs2.writeFileSync(target, "", { mode: 420, flag: "wx" });
  return target;
}

// src/runtime/supervise.ts
import { spawn as spawn2, spawnSync } from "node:child_process";
import * as fs3 from "node:fs";
import * as readline from "node:readline";
var READY = "kaniko-release-sandbox: ready";
function descendantsNamed(pid, name) {
  const children = /* @__PURE__ */ new Map();
  const names = /* @__PURE__ */ new Map();
  for (const entry of fs3.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs3.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
    children.set(ppid, [...children.get(ppid) ?? [], Number(entry)]);
  }
  const found = [];
  const queue = [...children.get(pid) ?? []];
  while (queue.length > 0) {
    const next = queue.shift();
    if (names.get(next) === name) found.push(next);
    queue.push(...children.get(next) ?? []);
  }
  return found;
}
function killNamespace(child, privilege) {
  if (child.pid === void 0 || child.exitCode !== null || child.signalCode !== null) return;
  if (privilege === "root") {
    child.kill("SIGKILL");
    return;
  }
  const targets = descendantsNamed(child.pid, "unshare");
  if (targets.length > 0) {
    spawnSync("sudo", ["-n", "kill", "-KILL", "--", ...targets.map(String)], {
      stdio: "ignore",
      env: { PATH: SYSTEM_PATH }
    });
  }
}
var live = /* @__PURE__ */ new Map();
var ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
function onEndingSignal(signal) {
  for (const [child, privilege] of live) killNamespace(child, privilege);
  const othersListen = process.listenerCount(signal) > 1;
  for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  if (!othersListen) process.kill(process.pid, signal);
}
function track(child, privilege) {
  if (live.size === 0) for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
  live.set(child, privilege);
  return () => {
    live.delete(child);
    if (live.size === 0) for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  };
}
var KILL_RETRY_MS = 250;
function supervise(argv, spec, privilege) {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn2(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" }
    });
    const untrack = track(child, privilege);
    let ready = false;
    let killedFor;
    let retry;
    const setupLines = [];
    const emit = (line) => {
      if (!ready) setupLines.push(line);
      spec.onLine(line);
    };
    const out = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    out.on("line", (line) => {
      if (!ready && line === READY) {
        ready = true;
        return;
      }
      emit(line);
    });
    const err = readline.createInterface({ input: child.stderr, crlfDelay: Infinity });
    err.on("line", emit);
    const kill = (reason) => {
      if (killedFor !== void 0) return;
      killedFor = reason;
      const attempt2 = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killNamespace(child, privilege);
        retry = setTimeout(attempt2, KILL_RETRY_MS);
      };
      attempt2();
    };
    const onAbort = () => kill("aborted");
    if (spec.signal?.aborted) queueMicrotask(onAbort);
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = spec.timeoutMs !== void 0 ? setTimeout(() => kill("timeout"), spec.timeoutMs) : void 0;
    const done = () => {
      untrack();
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      spec.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (error) => {
      done();
      reject(
        new Error(`Could not start the sandbox (${command}): ${error.message}`, { cause: error })
      );
    });
    child.on("close", (code, signal) => {
      done();
      if (!ready && killedFor === void 0) {
        const detail = setupLines.slice(-5).join(" / ") || `exit status ${code ?? signal}`;
        reject(new Error(`The sandbox could not be set up: ${detail}`));
        return;
      }
      resolve({
        exitCode: code,
        signal,
        ...killedFor === void 0 ? {} : { killed: killedFor }
      });
    });
  });
}

// src/runtime/types.ts
var SANDBOX_CONTEXT = "/workspace";
var SANDBOX_OUTPUT = "/kaniko/output";
var DEFAULT_DOCKER_CONFIG = "/kaniko/.docker";
var DEFAULT_CA_BUNDLE = "/kaniko/ssl/certs/ca-certificates.crt";

// src/runtime/sandbox.ts
var SETUP_FAILED = 125;
var SCRIPT = `
fail() { printf 'kaniko-release-sandbox: %s\\n' "$*" >&2; exit ${SETUP_FAILED}; }
while [ "$#" -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    bind) mount --bind "$2" "$3" || fail "cannot bind $2 at $3"; shift 3 ;;
    bind-ro)
      mount --bind "$2" "$3" || fail "cannot bind $2 at $3"
      mount -o remount,bind,ro "$3" || fail "cannot make $3 read-only"
      shift 3 ;;
    proc) mount -t proc -o nosuid,nodev,noexec proc "$2" || fail "cannot mount proc at $2"; shift 2 ;;
    hostname)
      printf '%s' "$2" > "$3/sys/kernel/hostname" || fail "cannot set the host name"
      shift 3 ;;
    ro-if-there)
      if [ -e "$2" ]; then
        mount --bind "$2" "$2" || fail "cannot bind $2"
        mount -o remount,bind,ro "$2" || fail "cannot make $2 read-only"
      fi
      shift 2 ;;
    mask-if-there)
      if [ -d "$2" ]; then
        mount -t tmpfs -o ro,nosuid,nodev,noexec,size=4k,mode=555 tmpfs "$2" || fail "cannot mask $2"
      elif [ -e "$2" ]; then
        mount --bind /dev/null "$2" || fail "cannot mask $2"
      fi
      shift 2 ;;
    tmpfs) mount -t tmpfs -o "$2" tmpfs "$3" || fail "cannot mount a tmpfs at $3"; shift 3 ;;
    dir) mkdir "$2" || fail "cannot make the directory $2"; shift 2 ;;
    file) : > "$2" || fail "cannot make the file $2"; shift 2 ;;
    symlink) ln -s "$2" "$3" || fail "cannot link $3"; shift 3 ;;
    pivot)
      # The root becomes / and the runner's tree is detached, not just hidden. After
      # pivot_root the old root sits on top of the new one, where no host tool can be run;
      # so a helper started before, chrooted into a private copy of the runner's tree,
      # unmounts it (found through the fresh /proc as the root of PID 1, this shell) when
      # told through the FIFO. Opening the FIFO waits for the helper, so it is chrooted
      # before the pivot, which would otherwise move its root too.
      mount --rbind / "$3" || fail "cannot bind the runner's tree at $3"
      mkfifo -m 600 "$4" || fail "cannot make the FIFO $4"
      {
        chroot "$3" "$5" -c 'read -r _ < "$1" && exec umount -l -c "$2"' helper "$4" "$2/proc/1/root" || {
          # Still before the pivot, this unblocks the open below, and the status stops the run.
          : 3< "$4"
          exit 1
        }
      } &
      helper=$!
      exec 4> "$4" || fail "cannot open the FIFO $4"
      cd "$2" && pivot_root . . || fail "cannot pivot to $2"
      printf 'go\\n' >&4 && exec 4>&-
      wait "$helper" || fail "cannot detach the runner's tree"
      cd / || fail "cannot enter the new root"
      shift 5 ;;
    env-clear) unset PATH LC_ALL PWD OLDPWD; shift ;;
    export) export "$2" || fail "cannot set the environment"; shift 2 ;;
    *) fail "unknown step $1" ;;
  esac
done
[ "$#" -gt 0 ] || fail "no command"
printf '%s\\n' '${READY}'
exec "$@"
`;
var SANDBOX_HOSTNAME = "kaniko";
var PROC_READ_ONLY = ["sys", "sysrq-trigger", "irq", "bus", "fs"];
var PROC_MASKED = ["kcore", "keys", "timer_list", "sched_debug", "scsi", "acpi"];
var SANDBOX_NAMESPACES = ["--mount", "--pid", "--uts", "--ipc"];
var DEVICES = ["null", "zero", "full", "random", "urandom", "tty"];
var DEV_LINKS = [
  ["fd", "/proc/self/fd"],
  ["stdin", "/proc/self/fd/0"],
  ["stdout", "/proc/self/fd/1"],
  ["stderr", "/proc/self/fd/2"]
];
var ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
function sandboxEnv(imageEnv, extra) {
  const env = /* @__PURE__ */ new Map();
  for (const entry of imageEnv) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (ENV_KEY.test(key)) env.set(key, entry.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(extra)) {
    if (!ENV_KEY.test(key)) throw new Error(`${JSON.stringify(key)} is not an environment name.`);
    if (value.includes("\0")) throw new Error(`The value of ${key} holds a NUL byte.`);
    env.set(key, value);
  }
  if (!env.has("PATH"))
    env.set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (!env.has("HOME")) env.set("HOME", "/root");
  return [...env].map(([k, v]) => `${k}=${v}`);
}
function envValue(env, key) {
  const entry = env.find((e) => e.startsWith(`${key}=`));
  return entry === void 0 ? void 0 : entry.slice(key.length + 1);
}
function dockerConfigPath(env) {
  const dir = envValue(env, "DOCKER_CONFIG") || DEFAULT_DOCKER_CONFIG;
  return path3.posix.join(dir.startsWith("/") ? dir : `/${dir}`, "config.json");
}
function caBundlePath(env) {
  const file = envValue(env, "SSL_CERT_FILE");
  if (file) return file;
  const dir = envValue(env, "SSL_CERT_DIR")?.split(":")[0];
  return dir ? path3.posix.join(dir, "ca-certificates.crt") : DEFAULT_CA_BUNDLE;
}
function appendCaCertificates(root, inside, pem) {
  const target = resolveInRoot(root, inside, { followFinal: true, createParents: true });
  const flags = fs4.constants.O_WRONLY | fs4.constants.O_APPEND | fs4.constants.O_CREAT | fs4.constants.O_NOFOLLOW;
  const fd = fs4.openSync(target, flags, 420);
  try {
    fs4.writeSync(fd, `
${pem.trim()}
`);
  } finally {
    fs4.closeSync(fd);
  }
}
async function prepareRoot(dir, spec, options) {
  const root = path3.join(dir, "root");
  const copy = await runQuiet([
    tool("cp"),
    "-a",
    "--reflink=auto",
    "--",
    spec.executor.rootfs,
    root
  ]);
  if (copy.code !== 0) {
    throw new Error(
      `Could not copy the executor's root file system: ${copy.output || `cp exited with ${copy.code}`}`
    );
  }
  const env = spec.executor.env;
  if (options.caCertificates?.trim()) {
    appendCaCertificates(root, caBundlePath(env), options.caCertificates);
  }
  const steps = ["bind", root, root];
  const proc = prepareMountPoint(root, "/proc", "dir");
  steps.push("proc", proc, "hostname", SANDBOX_HOSTNAME, proc);
  for (const name of PROC_READ_ONLY) steps.push("ro-if-there", path3.join(proc, name));
  for (const name of PROC_MASKED) steps.push("mask-if-there", path3.join(proc, name));
  const dev = prepareMountPoint(root, "/dev", "dir");
  steps.push("tmpfs", "mode=755,nosuid,noexec,size=64k", dev);
  for (const name of DEVICES) {
    if (!fs4.existsSync(`/dev/${name}`)) continue;
    steps.push("file", path3.join(dev, name), "bind", `/dev/${name}`, path3.join(dev, name));
  }
  for (const [name, target] of DEV_LINKS) steps.push("symlink", target, path3.join(dev, name));
  steps.push("dir", path3.join(dev, "shm"));
  steps.push("tmpfs", "mode=1777,nosuid,nodev,noexec", path3.join(dev, "shm"));
  steps.push("bind-ro", spec.context, prepareMountPoint(root, SANDBOX_CONTEXT, "dir"));
  steps.push("bind-ro", spec.dockerConfig, prepareMountPoint(root, dockerConfigPath(env), "file"));
  steps.push("bind", spec.outputDir, prepareMountPoint(root, SANDBOX_OUTPUT, "dir"));
  for (const file of ["/etc/hosts", "/etc/resolv.conf"]) {
    if (fs4.existsSync(file)) steps.push("bind-ro", file, prepareMountPoint(root, file, "file"));
  }
  return { root, steps };
}
function checkHostPath(what, p, kind) {
  if (!path3.isAbsolute(p)) throw new Error(`The ${what} ${p} is not an absolute path.`);
  const st = fs4.statSync(p, { throwIfNoEntry: false });
  if (!st || (kind === "dir" ? !st.isDirectory() : !st.isFile())) {
    throw new Error(`The ${what} ${p} is not ${kind === "dir" ? "a directory" : "a file"}.`);
  }
  return fs4.realpathSync(p);
}
async function runInSandbox(spec, options) {
  const context = checkHostPath("build context", spec.context, "dir");
  const dockerConfig = checkHostPath("credentials file", spec.dockerConfig, "file");
  const outputDir = checkHostPath("output directory", spec.outputDir, "dir");
  const entrypoint = spec.executor.entrypoint;
  if (entrypoint.length === 0) throw new Error("The executor image has no entrypoint.");
  const env = sandboxEnv(spec.executor.env, spec.env);
  fs4.mkdirSync(options.workDir, { recursive: true, mode: 448 });
  const dir = fs4.mkdtempSync(path3.join(fs4.realpathSync(options.workDir), "build-"));
  let outcome;
  let failure;
  try {
    const hostView = path3.join(dir, "runner");
    fs4.mkdirSync(hostView, { mode: 448 });
    const { root, steps } = await prepareRoot(
      dir,
      { ...spec, context, dockerConfig, outputDir },
      options
    );
    const argv = privileged(options.privilege, [
      // The namespace starts with this environment and no other; the script replaces it with
      // the executor's just before its final exec.
      tool("env"),
      "-i",
      `PATH=${SYSTEM_PATH}`,
      "LC_ALL=C",
      tool("unshare"),
      ...SANDBOX_NAMESPACES,
      "--fork",
      "--kill-child",
      "--propagation",
      "private",
      "--",
      tool("sh"),
      "-c",
      SCRIPT,
      "kaniko-sandbox",
      ...steps,
      "pivot",
      root,
      hostView,
      path3.join(dir, "detach.fifo"),
      tool("sh"),
      "env-clear",
      ...env.flatMap((entry) => ["export", entry]),
      "--",
      ...entrypoint,
      ...spec.args
    ]);
    outcome = await supervise(argv, spec, options.privilege);
  } catch (error) {
    failure = error;
  }
  try {
    await removeSandboxDir(dir, options.privilege);
  } catch (error) {
    if (failure === void 0) failure = error;
  }
  if (failure !== void 0) throw failure;
  return outcome;
}

// src/runtime/select.ts
var REMEDY = "Use a Linux runner where the job runs as root or has passwordless sudo (GitHub-hosted ubuntu runners do), or run the job in a container as root started with '--privileged' (jobs.<id>.container.options: --privileged).";
function decideRuntime(choice, probe) {
  const lead = `runtime '${choice}' cannot isolate kaniko on this runner (it must never run on the runner's own root file system)`;
  if (probe.platform !== "linux") {
    return {
      ok: false,
      message: `${lead}: the sandbox needs Linux, and this runner runs ${probe.platform}. Run the job on a Linux runner (e.g. 'runs-on: ubuntu-latest').`
    };
  }
  const root = probe.uid === 0;
  if (!root && probe.sudo !== true) {
    return {
      ok: false,
      message: `${lead}: the job runs as uid ${probe.uid}, not root, and 'sudo -n' does not work without a password. ${REMEDY}`
    };
  }
  if (probe.missingTools.length > 0) {
    return {
      ok: false,
      message: `${lead}: ${probe.missingTools.map((t) => `'${t}'`).join(", ")} ${probe.missingTools.length === 1 ? "is" : "are"} not installed (util-linux and coreutils provide them). Install them in the job, or use a runner that has them.`
    };
  }
  if (probe.namespaces === null || !probe.namespaces.ok) {
    const detail = probe.namespaces?.detail ? ` (${probe.namespaces.detail})` : "";
    return {
      ok: false,
      message: `${lead}: creating mount, PID, UTS and IPC namespaces with a root of their own failed${detail}, as it does in a container without privileges. ${REMEDY}`
    };
  }
  return { ok: true, privilege: root ? "root" : "sudo" };
}
var PIVOT_PROBE = [
  'mount -t tmpfs -o size=4k,mode=700 tmpfs "$1"',
  'mkdir "$1/runner"',
  'mount --rbind / "$1/runner"',
  'cd "$1"',
  "pivot_root . .",
  "cd /",
  "exit 0"
].join(" && ") + "; exit 1";
function attempt(argv) {
  const [command, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn3(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" }
    });
    let output = "";
    child.stdout.on("data", (c) => output += c.toString("utf8"));
    child.stderr.on("data", (c) => output += c.toString("utf8"));
    child.on("error", (error) => resolve({ ok: false, detail: error.message }));
    child.on(
      "close",
      (code, signal) => resolve({
        ok: code === 0,
        detail: output.trim().split("\n").slice(-2).join(" ") || `exit status ${code ?? signal}`
      })
    );
  });
}
async function probeIsolation() {
  const probe = {
    platform: process.platform,
    uid: process.getuid?.() ?? -1,
    sudo: null,
    missingTools: [],
    namespaces: null
  };
  if (probe.platform !== "linux") return probe;
  if (probe.uid !== 0) {
    probe.sudo = locateTool("sudo") !== void 0 && (await attempt(["sudo", "-n", "true"])).ok;
    if (!probe.sudo) return probe;
  }
  probe.missingTools = SANDBOX_TOOLS.filter((t) => locateTool(t) === void 0);
  if (probe.missingTools.length > 0) return probe;
  const target = fs5.mkdtempSync(path4.join(os2.tmpdir(), "kaniko-release-probe-"));
  try {
    const unshare = [
      locateTool("unshare"),
      ...SANDBOX_NAMESPACES,
      "--fork",
      "--kill-child",
      "--propagation",
      "private",
      "--mount-proc",
      "--",
      locateTool("sh"),
      "-c",
      PIVOT_PROBE,
      "kaniko-release-probe",
      target
    ];
    probe.namespaces = await attempt(probe.uid === 0 ? unshare : ["sudo", "-n", "--", ...unshare]);
  } finally {
    fs5.rmdirSync(target);
  }
  return probe;
}
async function selectRuntime(inputs, probe) {
  const decision = decideRuntime(inputs.runtime, probe ?? await probeIsolation());
  if (!decision.ok) throw new Error(decision.message);
  const workDir = makeWorkDir();
  const options = {
    workDir,
    privilege: decision.privilege,
    caCertificates: inputs.caCertificates
  };
  return {
    name: "sandbox",
    workDir,
    run: (spec) => runInSandbox(spec, options)
  };
}

export {
  SANDBOX_CONTEXT,
  SANDBOX_OUTPUT,
  rootParts,
  lstatOrNull,
  resolveInRoot,
  cleanupSandboxes,
  selectRuntime
};
