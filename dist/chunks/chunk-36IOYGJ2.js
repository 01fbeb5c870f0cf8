import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  errorMessage
} from "./chunk-ATYAE7CF.js";
import {
  HttpError,
  MANIFEST_TYPES,
  RegistryError,
  addLogin,
  ownedTempDir
} from "./chunk-MQ2SDFHZ.js";
import {
  debug,
  info,
  plain,
  platformName,
  runnerPlatform,
  warning
} from "./chunk-E5RWFZEF.js";
import {
  DOCKER_HUB_REGISTRY_HOST,
  PATH_COMPONENT,
  SHA256_DIGEST,
  TAG,
  basicAuth,
  isDockerHub
} from "./chunk-TOPFUZQF.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-6DG7BXTN.js";

// node_modules/graceful-fs/polyfills.js
var require_polyfills = __commonJS({
  "node_modules/graceful-fs/polyfills.js"(exports, module) {
    var constants3 = __require("constants");
    var origCwd = process.cwd;
    var cwd = null;
    var platform = process.env.GRACEFUL_FS_PLATFORM || process.platform;
    process.cwd = function() {
      if (!cwd)
        cwd = origCwd.call(process);
      return cwd;
    };
    try {
      process.cwd();
    } catch (er) {
    }
    if (typeof process.chdir === "function") {
      chdir = process.chdir;
      process.chdir = function(d) {
        cwd = null;
        chdir.call(process, d);
      };
      if (Object.setPrototypeOf) Object.setPrototypeOf(process.chdir, chdir);
    }
    var chdir;
    module.exports = patch;
    function patch(fs12) {
      if (constants3.hasOwnProperty("O_SYMLINK") && process.version.match(/^v0\.6\.[0-2]|^v0\.5\./)) {
        patchLchmod(fs12);
      }
      if (!fs12.lutimes) {
        patchLutimes(fs12);
      }
      fs12.chown = chownFix(fs12.chown);
      fs12.fchown = chownFix(fs12.fchown);
      fs12.lchown = chownFix(fs12.lchown);
      fs12.chmod = chmodFix(fs12.chmod);
      fs12.fchmod = chmodFix(fs12.fchmod);
      fs12.lchmod = chmodFix(fs12.lchmod);
      fs12.chownSync = chownFixSync(fs12.chownSync);
      fs12.fchownSync = chownFixSync(fs12.fchownSync);
      fs12.lchownSync = chownFixSync(fs12.lchownSync);
      fs12.chmodSync = chmodFixSync(fs12.chmodSync);
      fs12.fchmodSync = chmodFixSync(fs12.fchmodSync);
      fs12.lchmodSync = chmodFixSync(fs12.lchmodSync);
      fs12.stat = statFix(fs12.stat);
      fs12.fstat = statFix(fs12.fstat);
      fs12.lstat = statFix(fs12.lstat);
      fs12.statSync = statFixSync(fs12.statSync);
      fs12.fstatSync = statFixSync(fs12.fstatSync);
      fs12.lstatSync = statFixSync(fs12.lstatSync);
      if (fs12.chmod && !fs12.lchmod) {
        fs12.lchmod = function(path10, mode, cb) {
          if (cb) process.nextTick(cb);
        };
        fs12.lchmodSync = function() {
        };
      }
      if (fs12.chown && !fs12.lchown) {
        fs12.lchown = function(path10, uid, gid, cb) {
          if (cb) process.nextTick(cb);
        };
        fs12.lchownSync = function() {
        };
      }
      if (platform === "win32") {
        fs12.rename = typeof fs12.rename !== "function" ? fs12.rename : (function(fs$rename) {
          function rename2(from, to, cb) {
            var start = Date.now();
            var backoff = 0;
            fs$rename(from, to, function CB(er) {
              if (er && (er.code === "EACCES" || er.code === "EPERM" || er.code === "EBUSY") && Date.now() - start < 6e4) {
                setTimeout(function() {
                  fs12.stat(to, function(stater, st) {
                    if (stater && stater.code === "ENOENT")
                      fs$rename(from, to, CB);
                    else
                      cb(er);
                  });
                }, backoff);
                if (backoff < 100)
                  backoff += 10;
                return;
              }
              if (cb) cb(er);
            });
          }
          if (Object.setPrototypeOf) Object.setPrototypeOf(rename2, fs$rename);
          return rename2;
        })(fs12.rename);
      }
      fs12.read = typeof fs12.read !== "function" ? fs12.read : (function(fs$read) {
        function read(fd, buffer, offset, length, position, callback_) {
          var callback;
          if (callback_ && typeof callback_ === "function") {
            var eagCounter = 0;
            callback = function(er, _, __) {
              if (er && er.code === "EAGAIN" && eagCounter < 10) {
                eagCounter++;
                return fs$read.call(fs12, fd, buffer, offset, length, position, callback);
              }
              callback_.apply(this, arguments);
            };
          }
          return fs$read.call(fs12, fd, buffer, offset, length, position, callback);
        }
        if (Object.setPrototypeOf) Object.setPrototypeOf(read, fs$read);
        return read;
      })(fs12.read);
      fs12.readSync = typeof fs12.readSync !== "function" ? fs12.readSync : /* @__PURE__ */ (function(fs$readSync) {
        return function(fd, buffer, offset, length, position) {
          var eagCounter = 0;
          while (true) {
            try {
              return fs$readSync.call(fs12, fd, buffer, offset, length, position);
            } catch (er) {
              if (er.code === "EAGAIN" && eagCounter < 10) {
                eagCounter++;
                continue;
              }
              throw er;
            }
          }
        };
      })(fs12.readSync);
      function patchLchmod(fs13) {
        fs13.lchmod = function(path10, mode, callback) {
          fs13.open(
            path10,
            constants3.O_WRONLY | constants3.O_SYMLINK,
            mode,
            function(err, fd) {
              if (err) {
                if (callback) callback(err);
                return;
              }
              fs13.fchmod(fd, mode, function(err2) {
                fs13.close(fd, function(err22) {
                  if (callback) callback(err2 || err22);
                });
              });
            }
          );
        };
        fs13.lchmodSync = function(path10, mode) {
          var fd = fs13.openSync(path10, constants3.O_WRONLY | constants3.O_SYMLINK, mode);
          var threw = true;
          var ret;
          try {
            ret = fs13.fchmodSync(fd, mode);
            threw = false;
          } finally {
            if (threw) {
              try {
                fs13.closeSync(fd);
              } catch (er) {
              }
            } else {
              fs13.closeSync(fd);
            }
          }
          return ret;
        };
      }
      function patchLutimes(fs13) {
        if (constants3.hasOwnProperty("O_SYMLINK") && fs13.futimes) {
          fs13.lutimes = function(path10, at, mt, cb) {
            fs13.open(path10, constants3.O_SYMLINK, function(er, fd) {
              if (er) {
                if (cb) cb(er);
                return;
              }
              fs13.futimes(fd, at, mt, function(er2) {
                fs13.close(fd, function(er22) {
                  if (cb) cb(er2 || er22);
                });
              });
            });
          };
          fs13.lutimesSync = function(path10, at, mt) {
            var fd = fs13.openSync(path10, constants3.O_SYMLINK);
            var ret;
            var threw = true;
            try {
              ret = fs13.futimesSync(fd, at, mt);
              threw = false;
            } finally {
              if (threw) {
                try {
                  fs13.closeSync(fd);
                } catch (er) {
                }
              } else {
                fs13.closeSync(fd);
              }
            }
            return ret;
          };
        } else if (fs13.futimes) {
          fs13.lutimes = function(_a, _b, _c, cb) {
            if (cb) process.nextTick(cb);
          };
          fs13.lutimesSync = function() {
          };
        }
      }
      function chmodFix(orig) {
        if (!orig) return orig;
        return function(target, mode, cb) {
          return orig.call(fs12, target, mode, function(er) {
            if (chownErOk(er)) er = null;
            if (cb) cb.apply(this, arguments);
          });
        };
      }
      function chmodFixSync(orig) {
        if (!orig) return orig;
        return function(target, mode) {
          try {
            return orig.call(fs12, target, mode);
          } catch (er) {
            if (!chownErOk(er)) throw er;
          }
        };
      }
      function chownFix(orig) {
        if (!orig) return orig;
        return function(target, uid, gid, cb) {
          return orig.call(fs12, target, uid, gid, function(er) {
            if (chownErOk(er)) er = null;
            if (cb) cb.apply(this, arguments);
          });
        };
      }
      function chownFixSync(orig) {
        if (!orig) return orig;
        return function(target, uid, gid) {
          try {
            return orig.call(fs12, target, uid, gid);
          } catch (er) {
            if (!chownErOk(er)) throw er;
          }
        };
      }
      function statFix(orig) {
        if (!orig) return orig;
        return function(target, options, cb) {
          if (typeof options === "function") {
            cb = options;
            options = null;
          }
          function callback(er, stats) {
            if (stats) {
              if (stats.uid < 0) stats.uid += 4294967296;
              if (stats.gid < 0) stats.gid += 4294967296;
            }
            if (cb) cb.apply(this, arguments);
          }
          return options ? orig.call(fs12, target, options, callback) : orig.call(fs12, target, callback);
        };
      }
      function statFixSync(orig) {
        if (!orig) return orig;
        return function(target, options) {
          var stats = options ? orig.call(fs12, target, options) : orig.call(fs12, target);
          if (stats) {
            if (stats.uid < 0) stats.uid += 4294967296;
            if (stats.gid < 0) stats.gid += 4294967296;
          }
          return stats;
        };
      }
      function chownErOk(er) {
        if (!er)
          return true;
        if (er.code === "ENOSYS")
          return true;
        var nonroot = !process.getuid || process.getuid() !== 0;
        if (nonroot) {
          if (er.code === "EINVAL" || er.code === "EPERM")
            return true;
        }
        return false;
      }
    }
  }
});

// node_modules/graceful-fs/legacy-streams.js
var require_legacy_streams = __commonJS({
  "node_modules/graceful-fs/legacy-streams.js"(exports, module) {
    var Stream = __require("stream").Stream;
    module.exports = legacy;
    function legacy(fs12) {
      return {
        ReadStream,
        WriteStream
      };
      function ReadStream(path10, options) {
        if (!(this instanceof ReadStream)) return new ReadStream(path10, options);
        Stream.call(this);
        var self = this;
        this.path = path10;
        this.fd = null;
        this.readable = true;
        this.paused = false;
        this.flags = "r";
        this.mode = 438;
        this.bufferSize = 64 * 1024;
        options = options || {};
        var keys = Object.keys(options);
        for (var index = 0, length = keys.length; index < length; index++) {
          var key = keys[index];
          this[key] = options[key];
        }
        if (this.encoding) this.setEncoding(this.encoding);
        if (this.start !== void 0) {
          if ("number" !== typeof this.start) {
            throw TypeError("start must be a Number");
          }
          if (this.end === void 0) {
            this.end = Infinity;
          } else if ("number" !== typeof this.end) {
            throw TypeError("end must be a Number");
          }
          if (this.start > this.end) {
            throw new Error("start must be <= end");
          }
          this.pos = this.start;
        }
        if (this.fd !== null) {
          process.nextTick(function() {
            self._read();
          });
          return;
        }
        fs12.open(this.path, this.flags, this.mode, function(err, fd) {
          if (err) {
            self.emit("error", err);
            self.readable = false;
            return;
          }
          self.fd = fd;
          self.emit("open", fd);
          self._read();
        });
      }
      function WriteStream(path10, options) {
        if (!(this instanceof WriteStream)) return new WriteStream(path10, options);
        Stream.call(this);
        this.path = path10;
        this.fd = null;
        this.writable = true;
        this.flags = "w";
        this.encoding = "binary";
        this.mode = 438;
        this.bytesWritten = 0;
        options = options || {};
        var keys = Object.keys(options);
        for (var index = 0, length = keys.length; index < length; index++) {
          var key = keys[index];
          this[key] = options[key];
        }
        if (this.start !== void 0) {
          if ("number" !== typeof this.start) {
            throw TypeError("start must be a Number");
          }
          if (this.start < 0) {
            throw new Error("start must be >= zero");
          }
          this.pos = this.start;
        }
        this.busy = false;
        this._queue = [];
        if (this.fd === null) {
          this._open = fs12.open;
          this._queue.push([this._open, this.path, this.flags, this.mode, void 0]);
          this.flush();
        }
      }
    }
  }
});

// node_modules/graceful-fs/clone.js
var require_clone = __commonJS({
  "node_modules/graceful-fs/clone.js"(exports, module) {
    "use strict";
    module.exports = clone;
    var getPrototypeOf = Object.getPrototypeOf || function(obj) {
      return obj.__proto__;
    };
    function clone(obj) {
      if (obj === null || typeof obj !== "object")
        return obj;
      if (obj instanceof Object)
        var copy = { __proto__: getPrototypeOf(obj) };
      else
        var copy = /* @__PURE__ */ Object.create(null);
      Object.getOwnPropertyNames(obj).forEach(function(key) {
        Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(obj, key));
      });
      return copy;
    }
  }
});

// node_modules/graceful-fs/graceful-fs.js
var require_graceful_fs = __commonJS({
  "node_modules/graceful-fs/graceful-fs.js"(exports, module) {
    var fs12 = __require("fs");
    var polyfills = require_polyfills();
    var legacy = require_legacy_streams();
    var clone = require_clone();
    var util = __require("util");
    var gracefulQueue;
    var previousSymbol;
    if (typeof Symbol === "function" && typeof Symbol.for === "function") {
      gracefulQueue = /* @__PURE__ */ Symbol.for("graceful-fs.queue");
      previousSymbol = /* @__PURE__ */ Symbol.for("graceful-fs.previous");
    } else {
      gracefulQueue = "___graceful-fs.queue";
      previousSymbol = "___graceful-fs.previous";
    }
    function noop() {
    }
    function publishQueue(context, queue2) {
      Object.defineProperty(context, gracefulQueue, {
        get: function() {
          return queue2;
        }
      });
    }
    var debug2 = noop;
    if (util.debuglog)
      debug2 = util.debuglog("gfs4");
    else if (/\bgfs4\b/i.test(process.env.NODE_DEBUG || ""))
      debug2 = function() {
        var m = util.format.apply(util, arguments);
        m = "GFS4: " + m.split(/\n/).join("\nGFS4: ");
        console.error(m);
      };
    if (!fs12[gracefulQueue]) {
      queue = global[gracefulQueue] || [];
      publishQueue(fs12, queue);
      fs12.close = (function(fs$close) {
        function close(fd, cb) {
          return fs$close.call(fs12, fd, function(err) {
            if (!err) {
              resetQueue();
            }
            if (typeof cb === "function")
              cb.apply(this, arguments);
          });
        }
        Object.defineProperty(close, previousSymbol, {
          value: fs$close
        });
        return close;
      })(fs12.close);
      fs12.closeSync = (function(fs$closeSync) {
        function closeSync2(fd) {
          fs$closeSync.apply(fs12, arguments);
          resetQueue();
        }
        Object.defineProperty(closeSync2, previousSymbol, {
          value: fs$closeSync
        });
        return closeSync2;
      })(fs12.closeSync);
      if (/\bgfs4\b/i.test(process.env.NODE_DEBUG || "")) {
        process.on("exit", function() {
          debug2(fs12[gracefulQueue]);
          __require("assert").equal(fs12[gracefulQueue].length, 0);
        });
      }
    }
    var queue;
    if (!global[gracefulQueue]) {
      publishQueue(global, fs12[gracefulQueue]);
    }
    module.exports = patch(clone(fs12));
    if (process.env.TEST_GRACEFUL_FS_GLOBAL_PATCH && !fs12.__patched) {
      module.exports = patch(fs12);
      fs12.__patched = true;
    }
    function patch(fs13) {
      polyfills(fs13);
      fs13.gracefulify = patch;
      fs13.createReadStream = createReadStream3;
      fs13.createWriteStream = createWriteStream2;
      var fs$readFile = fs13.readFile;
      fs13.readFile = readFile2;
      function readFile2(path10, options, cb) {
        if (typeof options === "function")
          cb = options, options = null;
        return go$readFile(path10, options, cb);
        function go$readFile(path11, options2, cb2, startTime) {
          return fs$readFile(path11, options2, function(err) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([go$readFile, [path11, options2, cb2], err, startTime || Date.now(), Date.now()]);
            else {
              if (typeof cb2 === "function")
                cb2.apply(this, arguments);
            }
          });
        }
      }
      var fs$writeFile = fs13.writeFile;
      fs13.writeFile = writeFile;
      function writeFile(path10, data, options, cb) {
        if (typeof options === "function")
          cb = options, options = null;
        return go$writeFile(path10, data, options, cb);
        function go$writeFile(path11, data2, options2, cb2, startTime) {
          return fs$writeFile(path11, data2, options2, function(err) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([go$writeFile, [path11, data2, options2, cb2], err, startTime || Date.now(), Date.now()]);
            else {
              if (typeof cb2 === "function")
                cb2.apply(this, arguments);
            }
          });
        }
      }
      var fs$appendFile = fs13.appendFile;
      if (fs$appendFile)
        fs13.appendFile = appendFile;
      function appendFile(path10, data, options, cb) {
        if (typeof options === "function")
          cb = options, options = null;
        return go$appendFile(path10, data, options, cb);
        function go$appendFile(path11, data2, options2, cb2, startTime) {
          return fs$appendFile(path11, data2, options2, function(err) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([go$appendFile, [path11, data2, options2, cb2], err, startTime || Date.now(), Date.now()]);
            else {
              if (typeof cb2 === "function")
                cb2.apply(this, arguments);
            }
          });
        }
      }
      var fs$copyFile = fs13.copyFile;
      if (fs$copyFile)
        fs13.copyFile = copyFile;
      function copyFile(src, dest, flags, cb) {
        if (typeof flags === "function") {
          cb = flags;
          flags = 0;
        }
        return go$copyFile(src, dest, flags, cb);
        function go$copyFile(src2, dest2, flags2, cb2, startTime) {
          return fs$copyFile(src2, dest2, flags2, function(err) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([go$copyFile, [src2, dest2, flags2, cb2], err, startTime || Date.now(), Date.now()]);
            else {
              if (typeof cb2 === "function")
                cb2.apply(this, arguments);
            }
          });
        }
      }
      var fs$readdir = fs13.readdir;
      fs13.readdir = readdir;
      var noReaddirOptionVersions = /^v[0-5]\./;
      function readdir(path10, options, cb) {
        if (typeof options === "function")
          cb = options, options = null;
        var go$readdir = noReaddirOptionVersions.test(process.version) ? function go$readdir2(path11, options2, cb2, startTime) {
          return fs$readdir(path11, fs$readdirCallback(
            path11,
            options2,
            cb2,
            startTime
          ));
        } : function go$readdir2(path11, options2, cb2, startTime) {
          return fs$readdir(path11, options2, fs$readdirCallback(
            path11,
            options2,
            cb2,
            startTime
          ));
        };
        return go$readdir(path10, options, cb);
        function fs$readdirCallback(path11, options2, cb2, startTime) {
          return function(err, files) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([
                go$readdir,
                [path11, options2, cb2],
                err,
                startTime || Date.now(),
                Date.now()
              ]);
            else {
              if (files && files.sort)
                files.sort();
              if (typeof cb2 === "function")
                cb2.call(this, err, files);
            }
          };
        }
      }
      if (process.version.substr(0, 4) === "v0.8") {
        var legStreams = legacy(fs13);
        ReadStream = legStreams.ReadStream;
        WriteStream = legStreams.WriteStream;
      }
      var fs$ReadStream = fs13.ReadStream;
      if (fs$ReadStream) {
        ReadStream.prototype = Object.create(fs$ReadStream.prototype);
        ReadStream.prototype.open = ReadStream$open;
      }
      var fs$WriteStream = fs13.WriteStream;
      if (fs$WriteStream) {
        WriteStream.prototype = Object.create(fs$WriteStream.prototype);
        WriteStream.prototype.open = WriteStream$open;
      }
      Object.defineProperty(fs13, "ReadStream", {
        get: function() {
          return ReadStream;
        },
        set: function(val) {
          ReadStream = val;
        },
        enumerable: true,
        configurable: true
      });
      Object.defineProperty(fs13, "WriteStream", {
        get: function() {
          return WriteStream;
        },
        set: function(val) {
          WriteStream = val;
        },
        enumerable: true,
        configurable: true
      });
      var FileReadStream = ReadStream;
      Object.defineProperty(fs13, "FileReadStream", {
        get: function() {
          return FileReadStream;
        },
        set: function(val) {
          FileReadStream = val;
        },
        enumerable: true,
        configurable: true
      });
      var FileWriteStream = WriteStream;
      Object.defineProperty(fs13, "FileWriteStream", {
        get: function() {
          return FileWriteStream;
        },
        set: function(val) {
          FileWriteStream = val;
        },
        enumerable: true,
        configurable: true
      });
      function ReadStream(path10, options) {
        if (this instanceof ReadStream)
          return fs$ReadStream.apply(this, arguments), this;
        else
          return ReadStream.apply(Object.create(ReadStream.prototype), arguments);
      }
      function ReadStream$open() {
        var that = this;
        open(that.path, that.flags, that.mode, function(err, fd) {
          if (err) {
            if (that.autoClose)
              that.destroy();
            that.emit("error", err);
          } else {
            that.fd = fd;
            that.emit("open", fd);
            that.read();
          }
        });
      }
      function WriteStream(path10, options) {
        if (this instanceof WriteStream)
          return fs$WriteStream.apply(this, arguments), this;
        else
          return WriteStream.apply(Object.create(WriteStream.prototype), arguments);
      }
      function WriteStream$open() {
        var that = this;
        open(that.path, that.flags, that.mode, function(err, fd) {
          if (err) {
            that.destroy();
            that.emit("error", err);
          } else {
            that.fd = fd;
            that.emit("open", fd);
          }
        });
      }
      function createReadStream3(path10, options) {
        return new fs13.ReadStream(path10, options);
      }
      function createWriteStream2(path10, options) {
        return new fs13.WriteStream(path10, options);
      }
      var fs$open = fs13.open;
      fs13.open = open;
      function open(path10, flags, mode, cb) {
        if (typeof mode === "function")
          cb = mode, mode = null;
        return go$open(path10, flags, mode, cb);
        function go$open(path11, flags2, mode2, cb2, startTime) {
          return fs$open(path11, flags2, mode2, function(err, fd) {
            if (err && (err.code === "EMFILE" || err.code === "ENFILE"))
              enqueue([go$open, [path11, flags2, mode2, cb2], err, startTime || Date.now(), Date.now()]);
            else {
              if (typeof cb2 === "function")
                cb2.apply(this, arguments);
            }
          });
        }
      }
      return fs13;
    }
    function enqueue(elem) {
      debug2("ENQUEUE", elem[0].name, elem[1]);
      fs12[gracefulQueue].push(elem);
      retry();
    }
    var retryTimer;
    function resetQueue() {
      var now = Date.now();
      for (var i = 0; i < fs12[gracefulQueue].length; ++i) {
        if (fs12[gracefulQueue][i].length > 2) {
          fs12[gracefulQueue][i][3] = now;
          fs12[gracefulQueue][i][4] = now;
        }
      }
      retry();
    }
    function retry() {
      clearTimeout(retryTimer);
      retryTimer = void 0;
      if (fs12[gracefulQueue].length === 0)
        return;
      var elem = fs12[gracefulQueue].shift();
      var fn = elem[0];
      var args = elem[1];
      var err = elem[2];
      var startTime = elem[3];
      var lastTime = elem[4];
      if (startTime === void 0) {
        debug2("RETRY", fn.name, args);
        fn.apply(null, args);
      } else if (Date.now() - startTime >= 6e4) {
        debug2("TIMEOUT", fn.name, args);
        var cb = args.pop();
        if (typeof cb === "function")
          cb.call(null, err);
      } else {
        var sinceAttempt = Date.now() - lastTime;
        var sinceStart = Math.max(lastTime - startTime, 1);
        var desiredDelay = Math.min(sinceStart * 1.2, 100);
        if (sinceAttempt >= desiredDelay) {
          debug2("RETRY", fn.name, args);
          fn.apply(null, args.concat([startTime]));
        } else {
          fs12[gracefulQueue].push(elem);
        }
      }
      if (retryTimer === void 0) {
        retryTimer = setTimeout(retry, 0);
      }
    }
  }
});

// node_modules/retry/lib/retry_operation.js
var require_retry_operation = __commonJS({
  "node_modules/retry/lib/retry_operation.js"(exports, module) {
    function RetryOperation(timeouts, options) {
      if (typeof options === "boolean") {
        options = { forever: options };
      }
      this._originalTimeouts = JSON.parse(JSON.stringify(timeouts));
      this._timeouts = timeouts;
      this._options = options || {};
      this._maxRetryTime = options && options.maxRetryTime || Infinity;
      this._fn = null;
      this._errors = [];
      this._attempts = 1;
      this._operationTimeout = null;
      this._operationTimeoutCb = null;
      this._timeout = null;
      this._operationStart = null;
      if (this._options.forever) {
        this._cachedTimeouts = this._timeouts.slice(0);
      }
    }
    module.exports = RetryOperation;
    RetryOperation.prototype.reset = function() {
      this._attempts = 1;
      this._timeouts = this._originalTimeouts;
    };
    RetryOperation.prototype.stop = function() {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      this._timeouts = [];
      this._cachedTimeouts = null;
    };
    RetryOperation.prototype.retry = function(err) {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      if (!err) {
        return false;
      }
      var currentTime = (/* @__PURE__ */ new Date()).getTime();
      if (err && currentTime - this._operationStart >= this._maxRetryTime) {
        this._errors.unshift(new Error("RetryOperation timeout occurred"));
        return false;
      }
      this._errors.push(err);
      var timeout = this._timeouts.shift();
      if (timeout === void 0) {
        if (this._cachedTimeouts) {
          this._errors.splice(this._errors.length - 1, this._errors.length);
          this._timeouts = this._cachedTimeouts.slice(0);
          timeout = this._timeouts.shift();
        } else {
          return false;
        }
      }
      var self = this;
      var timer = setTimeout(function() {
        self._attempts++;
        if (self._operationTimeoutCb) {
          self._timeout = setTimeout(function() {
            self._operationTimeoutCb(self._attempts);
          }, self._operationTimeout);
          if (self._options.unref) {
            self._timeout.unref();
          }
        }
        self._fn(self._attempts);
      }, timeout);
      if (this._options.unref) {
        timer.unref();
      }
      return true;
    };
    RetryOperation.prototype.attempt = function(fn, timeoutOps) {
      this._fn = fn;
      if (timeoutOps) {
        if (timeoutOps.timeout) {
          this._operationTimeout = timeoutOps.timeout;
        }
        if (timeoutOps.cb) {
          this._operationTimeoutCb = timeoutOps.cb;
        }
      }
      var self = this;
      if (this._operationTimeoutCb) {
        this._timeout = setTimeout(function() {
          self._operationTimeoutCb();
        }, self._operationTimeout);
      }
      this._operationStart = (/* @__PURE__ */ new Date()).getTime();
      this._fn(this._attempts);
    };
    RetryOperation.prototype.try = function(fn) {
      console.log("Using RetryOperation.try() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = function(fn) {
      console.log("Using RetryOperation.start() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = RetryOperation.prototype.try;
    RetryOperation.prototype.errors = function() {
      return this._errors;
    };
    RetryOperation.prototype.attempts = function() {
      return this._attempts;
    };
    RetryOperation.prototype.mainError = function() {
      if (this._errors.length === 0) {
        return null;
      }
      var counts = {};
      var mainError = null;
      var mainErrorCount = 0;
      for (var i = 0; i < this._errors.length; i++) {
        var error = this._errors[i];
        var message = error.message;
        var count = (counts[message] || 0) + 1;
        counts[message] = count;
        if (count >= mainErrorCount) {
          mainError = error;
          mainErrorCount = count;
        }
      }
      return mainError;
    };
  }
});

// node_modules/retry/lib/retry.js
var require_retry = __commonJS({
  "node_modules/retry/lib/retry.js"(exports) {
    var RetryOperation = require_retry_operation();
    exports.operation = function(options) {
      var timeouts = exports.timeouts(options);
      return new RetryOperation(timeouts, {
        forever: options && options.forever,
        unref: options && options.unref,
        maxRetryTime: options && options.maxRetryTime
      });
    };
    exports.timeouts = function(options) {
      if (options instanceof Array) {
        return [].concat(options);
      }
      var opts = {
        retries: 10,
        factor: 2,
        minTimeout: 1 * 1e3,
        maxTimeout: Infinity,
        randomize: false
      };
      for (var key in options) {
        opts[key] = options[key];
      }
      if (opts.minTimeout > opts.maxTimeout) {
        throw new Error("minTimeout is greater than maxTimeout");
      }
      var timeouts = [];
      for (var i = 0; i < opts.retries; i++) {
        timeouts.push(this.createTimeout(i, opts));
      }
      if (options && options.forever && !timeouts.length) {
        timeouts.push(this.createTimeout(i, opts));
      }
      timeouts.sort(function(a, b) {
        return a - b;
      });
      return timeouts;
    };
    exports.createTimeout = function(attempt, opts) {
      var random = opts.randomize ? Math.random() + 1 : 1;
      var timeout = Math.round(random * opts.minTimeout * Math.pow(opts.factor, attempt));
      timeout = Math.min(timeout, opts.maxTimeout);
      return timeout;
    };
    exports.wrap = function(obj, options, methods) {
      if (options instanceof Array) {
        methods = options;
        options = null;
      }
      if (!methods) {
        methods = [];
        for (var key in obj) {
          if (typeof obj[key] === "function") {
            methods.push(key);
          }
        }
      }
      for (var i = 0; i < methods.length; i++) {
        var method = methods[i];
        var original = obj[method];
        obj[method] = function retryWrapper(original2) {
          var op = exports.operation(options);
          var args = Array.prototype.slice.call(arguments, 1);
          var callback = args.pop();
          args.push(function(err) {
            if (op.retry(err)) {
              return;
            }
            if (err) {
              arguments[0] = op.mainError();
            }
            callback.apply(this, arguments);
          });
          op.attempt(function() {
            original2.apply(obj, args);
          });
        }.bind(obj, original);
        obj[method].options = options;
      }
    };
  }
});

// node_modules/retry/index.js
var require_retry2 = __commonJS({
  "node_modules/retry/index.js"(exports, module) {
    module.exports = require_retry();
  }
});

// node_modules/signal-exit/signals.js
var require_signals = __commonJS({
  "node_modules/signal-exit/signals.js"(exports, module) {
    module.exports = [
      "SIGABRT",
      "SIGALRM",
      "SIGHUP",
      "SIGINT",
      "SIGTERM"
    ];
    if (process.platform !== "win32") {
      module.exports.push(
        "SIGVTALRM",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGUSR2",
        "SIGTRAP",
        "SIGSYS",
        "SIGQUIT",
        "SIGIOT"
        // should detect profiler and enable/disable accordingly.
        // see #21
        // 'SIGPROF'
      );
    }
    if (process.platform === "linux") {
      module.exports.push(
        "SIGIO",
        "SIGPOLL",
        "SIGPWR",
        "SIGSTKFLT",
        "SIGUNUSED"
      );
    }
  }
});

// node_modules/signal-exit/index.js
var require_signal_exit = __commonJS({
  "node_modules/signal-exit/index.js"(exports, module) {
    var process2 = global.process;
    var processOk = function(process3) {
      return process3 && typeof process3 === "object" && typeof process3.removeListener === "function" && typeof process3.emit === "function" && typeof process3.reallyExit === "function" && typeof process3.listeners === "function" && typeof process3.kill === "function" && typeof process3.pid === "number" && typeof process3.on === "function";
    };
    if (!processOk(process2)) {
      module.exports = function() {
        return function() {
        };
      };
    } else {
      assert = __require("assert");
      signals = require_signals();
      isWin = /^win/i.test(process2.platform);
      EE = __require("events");
      if (typeof EE !== "function") {
        EE = EE.EventEmitter;
      }
      if (process2.__signal_exit_emitter__) {
        emitter = process2.__signal_exit_emitter__;
      } else {
        emitter = process2.__signal_exit_emitter__ = new EE();
        emitter.count = 0;
        emitter.emitted = {};
      }
      if (!emitter.infinite) {
        emitter.setMaxListeners(Infinity);
        emitter.infinite = true;
      }
      module.exports = function(cb, opts) {
        if (!processOk(global.process)) {
          return function() {
          };
        }
        assert.equal(typeof cb, "function", "a callback must be provided for exit handler");
        if (loaded === false) {
          load();
        }
        var ev = "exit";
        if (opts && opts.alwaysLast) {
          ev = "afterexit";
        }
        var remove = function() {
          emitter.removeListener(ev, cb);
          if (emitter.listeners("exit").length === 0 && emitter.listeners("afterexit").length === 0) {
            unload();
          }
        };
        emitter.on(ev, cb);
        return remove;
      };
      unload = function unload2() {
        if (!loaded || !processOk(global.process)) {
          return;
        }
        loaded = false;
        signals.forEach(function(sig) {
          try {
            process2.removeListener(sig, sigListeners[sig]);
          } catch (er) {
          }
        });
        process2.emit = originalProcessEmit;
        process2.reallyExit = originalProcessReallyExit;
        emitter.count -= 1;
      };
      module.exports.unload = unload;
      emit = function emit2(event, code, signal) {
        if (emitter.emitted[event]) {
          return;
        }
        emitter.emitted[event] = true;
        emitter.emit(event, code, signal);
      };
      sigListeners = {};
      signals.forEach(function(sig) {
        sigListeners[sig] = function listener() {
          if (!processOk(global.process)) {
            return;
          }
          var listeners = process2.listeners(sig);
          if (listeners.length === emitter.count) {
            unload();
            emit("exit", null, sig);
            emit("afterexit", null, sig);
            if (isWin && sig === "SIGHUP") {
              sig = "SIGINT";
            }
            process2.kill(process2.pid, sig);
          }
        };
      });
      module.exports.signals = function() {
        return signals;
      };
      loaded = false;
      load = function load2() {
        if (loaded || !processOk(global.process)) {
          return;
        }
        loaded = true;
        emitter.count += 1;
        signals = signals.filter(function(sig) {
          try {
            process2.on(sig, sigListeners[sig]);
            return true;
          } catch (er) {
            return false;
          }
        });
        process2.emit = processEmit;
        process2.reallyExit = processReallyExit;
      };
      module.exports.load = load;
      originalProcessReallyExit = process2.reallyExit;
      processReallyExit = function processReallyExit2(code) {
        if (!processOk(global.process)) {
          return;
        }
        process2.exitCode = code || /* istanbul ignore next */
        0;
        emit("exit", process2.exitCode, null);
        emit("afterexit", process2.exitCode, null);
        originalProcessReallyExit.call(process2, process2.exitCode);
      };
      originalProcessEmit = process2.emit;
      processEmit = function processEmit2(ev, arg) {
        if (ev === "exit" && processOk(global.process)) {
          if (arg !== void 0) {
            process2.exitCode = arg;
          }
          var ret = originalProcessEmit.apply(this, arguments);
          emit("exit", process2.exitCode, null);
          emit("afterexit", process2.exitCode, null);
          return ret;
        } else {
          return originalProcessEmit.apply(this, arguments);
        }
      };
    }
    var assert;
    var signals;
    var isWin;
    var EE;
    var emitter;
    var unload;
    var emit;
    var sigListeners;
    var loaded;
    var load;
    var originalProcessReallyExit;
    var processReallyExit;
    var originalProcessEmit;
    var processEmit;
  }
});

// node_modules/proper-lockfile/lib/mtime-precision.js
var require_mtime_precision = __commonJS({
  "node_modules/proper-lockfile/lib/mtime-precision.js"(exports, module) {
    "use strict";
    var cacheSymbol = /* @__PURE__ */ Symbol();
    function probe(file, fs12, callback) {
      const cachedPrecision = fs12[cacheSymbol];
      if (cachedPrecision) {
        return fs12.stat(file, (err, stat) => {
          if (err) {
            return callback(err);
          }
          callback(null, stat.mtime, cachedPrecision);
        });
      }
      const mtime = new Date(Math.ceil(Date.now() / 1e3) * 1e3 + 5);
      fs12.utimes(file, mtime, mtime, (err) => {
        if (err) {
          return callback(err);
        }
        fs12.stat(file, (err2, stat) => {
          if (err2) {
            return callback(err2);
          }
          const precision = stat.mtime.getTime() % 1e3 === 0 ? "s" : "ms";
          Object.defineProperty(fs12, cacheSymbol, { value: precision });
          callback(null, stat.mtime, precision);
        });
      });
    }
    function getMtime(precision) {
      let now = Date.now();
      if (precision === "s") {
        now = Math.ceil(now / 1e3) * 1e3;
      }
      return new Date(now);
    }
    module.exports.probe = probe;
    module.exports.getMtime = getMtime;
  }
});

// node_modules/proper-lockfile/lib/lockfile.js
var require_lockfile = __commonJS({
  "node_modules/proper-lockfile/lib/lockfile.js"(exports, module) {
    "use strict";
    var path10 = __require("path");
    var fs12 = require_graceful_fs();
    var retry = require_retry2();
    var onExit = require_signal_exit();
    var mtimePrecision = require_mtime_precision();
    var locks = {};
    function getLockFile(file, options) {
      return options.lockfilePath || `${file}.lock`;
    }
    function resolveCanonicalPath(file, options, callback) {
      if (!options.realpath) {
        return callback(null, path10.resolve(file));
      }
      options.fs.realpath(file, callback);
    }
    function acquireLock(file, options, callback) {
      const lockfilePath = getLockFile(file, options);
      options.fs.mkdir(lockfilePath, (err) => {
        if (!err) {
          return mtimePrecision.probe(lockfilePath, options.fs, (err2, mtime, mtimePrecision2) => {
            if (err2) {
              options.fs.rmdir(lockfilePath, () => {
              });
              return callback(err2);
            }
            callback(null, mtime, mtimePrecision2);
          });
        }
        if (err.code !== "EEXIST") {
          return callback(err);
        }
        if (options.stale <= 0) {
          return callback(Object.assign(new Error("Lock file is already being held"), { code: "ELOCKED", file }));
        }
        options.fs.stat(lockfilePath, (err2, stat) => {
          if (err2) {
            if (err2.code === "ENOENT") {
              return acquireLock(file, { ...options, stale: 0 }, callback);
            }
            return callback(err2);
          }
          if (!isLockStale(stat, options)) {
            return callback(Object.assign(new Error("Lock file is already being held"), { code: "ELOCKED", file }));
          }
          removeLock(file, options, (err3) => {
            if (err3) {
              return callback(err3);
            }
            acquireLock(file, { ...options, stale: 0 }, callback);
          });
        });
      });
    }
    function isLockStale(stat, options) {
      return stat.mtime.getTime() < Date.now() - options.stale;
    }
    function removeLock(file, options, callback) {
      options.fs.rmdir(getLockFile(file, options), (err) => {
        if (err && err.code !== "ENOENT") {
          return callback(err);
        }
        callback();
      });
    }
    function updateLock(file, options) {
      const lock2 = locks[file];
      if (lock2.updateTimeout) {
        return;
      }
      lock2.updateDelay = lock2.updateDelay || options.update;
      lock2.updateTimeout = setTimeout(() => {
        lock2.updateTimeout = null;
        options.fs.stat(lock2.lockfilePath, (err, stat) => {
          const isOverThreshold = lock2.lastUpdate + options.stale < Date.now();
          if (err) {
            if (err.code === "ENOENT" || isOverThreshold) {
              return setLockAsCompromised(file, lock2, Object.assign(err, { code: "ECOMPROMISED" }));
            }
            lock2.updateDelay = 1e3;
            return updateLock(file, options);
          }
          const isMtimeOurs = lock2.mtime.getTime() === stat.mtime.getTime();
          if (!isMtimeOurs) {
            return setLockAsCompromised(
              file,
              lock2,
              Object.assign(
                new Error("Unable to update lock within the stale threshold"),
                { code: "ECOMPROMISED" }
              )
            );
          }
          const mtime = mtimePrecision.getMtime(lock2.mtimePrecision);
          options.fs.utimes(lock2.lockfilePath, mtime, mtime, (err2) => {
            const isOverThreshold2 = lock2.lastUpdate + options.stale < Date.now();
            if (lock2.released) {
              return;
            }
            if (err2) {
              if (err2.code === "ENOENT" || isOverThreshold2) {
                return setLockAsCompromised(file, lock2, Object.assign(err2, { code: "ECOMPROMISED" }));
              }
              lock2.updateDelay = 1e3;
              return updateLock(file, options);
            }
            lock2.mtime = mtime;
            lock2.lastUpdate = Date.now();
            lock2.updateDelay = null;
            updateLock(file, options);
          });
        });
      }, lock2.updateDelay);
      if (lock2.updateTimeout.unref) {
        lock2.updateTimeout.unref();
      }
    }
    function setLockAsCompromised(file, lock2, err) {
      lock2.released = true;
      if (lock2.updateTimeout) {
        clearTimeout(lock2.updateTimeout);
      }
      if (locks[file] === lock2) {
        delete locks[file];
      }
      lock2.options.onCompromised(err);
    }
    function lock(file, options, callback) {
      options = {
        stale: 1e4,
        update: null,
        realpath: true,
        retries: 0,
        fs: fs12,
        onCompromised: (err) => {
          throw err;
        },
        ...options
      };
      options.retries = options.retries || 0;
      options.retries = typeof options.retries === "number" ? { retries: options.retries } : options.retries;
      options.stale = Math.max(options.stale || 0, 2e3);
      options.update = options.update == null ? options.stale / 2 : options.update || 0;
      options.update = Math.max(Math.min(options.update, options.stale / 2), 1e3);
      resolveCanonicalPath(file, options, (err, file2) => {
        if (err) {
          return callback(err);
        }
        const operation = retry.operation(options.retries);
        operation.attempt(() => {
          acquireLock(file2, options, (err2, mtime, mtimePrecision2) => {
            if (operation.retry(err2)) {
              return;
            }
            if (err2) {
              return callback(operation.mainError());
            }
            const lock2 = locks[file2] = {
              lockfilePath: getLockFile(file2, options),
              mtime,
              mtimePrecision: mtimePrecision2,
              options,
              lastUpdate: Date.now()
            };
            updateLock(file2, options);
            callback(null, (releasedCallback) => {
              if (lock2.released) {
                return releasedCallback && releasedCallback(Object.assign(new Error("Lock is already released"), { code: "ERELEASED" }));
              }
              unlock(file2, { ...options, realpath: false }, releasedCallback);
            });
          });
        });
      });
    }
    function unlock(file, options, callback) {
      options = {
        fs: fs12,
        realpath: true,
        ...options
      };
      resolveCanonicalPath(file, options, (err, file2) => {
        if (err) {
          return callback(err);
        }
        const lock2 = locks[file2];
        if (!lock2) {
          return callback(Object.assign(new Error("Lock is not acquired/owned by you"), { code: "ENOTACQUIRED" }));
        }
        lock2.updateTimeout && clearTimeout(lock2.updateTimeout);
        lock2.released = true;
        delete locks[file2];
        removeLock(file2, options, callback);
      });
    }
    function check(file, options, callback) {
      options = {
        stale: 1e4,
        realpath: true,
        fs: fs12,
        ...options
      };
      options.stale = Math.max(options.stale || 0, 2e3);
      resolveCanonicalPath(file, options, (err, file2) => {
        if (err) {
          return callback(err);
        }
        options.fs.stat(getLockFile(file2, options), (err2, stat) => {
          if (err2) {
            return err2.code === "ENOENT" ? callback(null, false) : callback(err2);
          }
          return callback(null, !isLockStale(stat, options));
        });
      });
    }
    function getLocks() {
      return locks;
    }
    onExit(() => {
      for (const file in locks) {
        const options = locks[file].options;
        try {
          options.fs.rmdirSync(getLockFile(file, options));
        } catch (e) {
        }
      }
    });
    module.exports.lock = lock;
    module.exports.unlock = unlock;
    module.exports.check = check;
    module.exports.getLocks = getLocks;
  }
});

// node_modules/proper-lockfile/lib/adapter.js
var require_adapter = __commonJS({
  "node_modules/proper-lockfile/lib/adapter.js"(exports, module) {
    "use strict";
    var fs12 = require_graceful_fs();
    function createSyncFs(fs13) {
      const methods = ["mkdir", "realpath", "stat", "rmdir", "utimes"];
      const newFs = { ...fs13 };
      methods.forEach((method) => {
        newFs[method] = (...args) => {
          const callback = args.pop();
          let ret;
          try {
            ret = fs13[`${method}Sync`](...args);
          } catch (err) {
            return callback(err);
          }
          callback(null, ret);
        };
      });
      return newFs;
    }
    function toPromise(method) {
      return (...args) => new Promise((resolve, reject) => {
        args.push((err, result) => {
          if (err) {
            reject(err);
          } else {
            resolve(result);
          }
        });
        method(...args);
      });
    }
    function toSync(method) {
      return (...args) => {
        let err;
        let result;
        args.push((_err, _result) => {
          err = _err;
          result = _result;
        });
        method(...args);
        if (err) {
          throw err;
        }
        return result;
      };
    }
    function toSyncOptions(options) {
      options = { ...options };
      options.fs = createSyncFs(options.fs || fs12);
      if (typeof options.retries === "number" && options.retries > 0 || options.retries && typeof options.retries.retries === "number" && options.retries.retries > 0) {
        throw Object.assign(new Error("Cannot use retries with the sync api"), { code: "ESYNC" });
      }
      return options;
    }
    module.exports = {
      toPromise,
      toSync,
      toSyncOptions
    };
  }
});

// node_modules/proper-lockfile/index.js
var require_proper_lockfile = __commonJS({
  "node_modules/proper-lockfile/index.js"(exports, module) {
    "use strict";
    var lockfile2 = require_lockfile();
    var { toPromise, toSync, toSyncOptions } = require_adapter();
    async function lock(file, options) {
      const release = await toPromise(lockfile2.lock)(file, options);
      return toPromise(release);
    }
    function lockSync(file, options) {
      const release = toSync(lockfile2.lock)(file, toSyncOptions(options));
      return toSync(release);
    }
    function unlock(file, options) {
      return toPromise(lockfile2.unlock)(file, options);
    }
    function unlockSync(file, options) {
      return toSync(lockfile2.unlock)(file, toSyncOptions(options));
    }
    function check(file, options) {
      return toPromise(lockfile2.check)(file, options);
    }
    function checkSync(file, options) {
      return toSync(lockfile2.check)(file, toSyncOptions(options));
    }
    module.exports = lock;
    module.exports.lock = lock;
    module.exports.unlock = unlock;
    module.exports.lockSync = lockSync;
    module.exports.unlockSync = unlockSync;
    module.exports.check = check;
    module.exports.checkSync = checkSync;
  }
});

// src/build/base-cache.ts
import * as fs4 from "node:fs/promises";
import * as path2 from "node:path";

// src/registry/blob-store.ts
import * as fs2 from "node:fs/promises";
import * as path from "node:path";

// src/registry/blob-download.ts
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
var CHUNK = 1024 * 1024;
var BlobMismatchError = class extends Error {
  constructor(expected, actualDigest, actualSize) {
    super(
      actualSize !== expected.size ? `the registry sent ${actualSize}${actualSize > expected.size ? "+" : ""} bytes for ${expected.digest}, not the ${expected.size} its descriptor says; refusing it` : `the registry sent bytes with the digest ${actualDigest} for ${expected.digest}; refusing them`
    );
    this.expected = expected;
    this.actualDigest = actualDigest;
    this.actualSize = actualSize;
    this.name = "BlobMismatchError";
  }
  expected;
  actualDigest;
  actualSize;
};
async function downloadBlob(client, repository, descriptor, file) {
  const hash = createHash("sha256");
  let size = 0;
  try {
    const response = await client.getBlob(repository, descriptor.digest);
    if (!response.body) throw new Error(`the registry sent no body for ${descriptor.digest}`);
    const meter = new Transform({
      highWaterMark: CHUNK,
      transform(chunk, _encoding, callback) {
        size += chunk.length;
        if (size > descriptor.size) {
          callback(new BlobMismatchError(descriptor, "", size));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      }
    });
    await pipeline(
      Readable.fromWeb(response.body, { highWaterMark: CHUNK }),
      meter,
      fs.createWriteStream(file, { mode: 384, highWaterMark: CHUNK })
    );
    const digest = `sha256:${hash.digest("hex")}`;
    if (size !== descriptor.size || digest !== descriptor.digest) {
      throw new BlobMismatchError(descriptor, digest, size);
    }
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}

// src/registry/blob-store.ts
var BLOB_STORE_PREFIX = "kaniko-release-bases-";
var BlobStore = class _BlobStore {
  constructor(dir, attempts) {
    this.dir = dir;
    this.attempts = attempts;
  }
  dir;
  attempts;
  blobs = /* @__PURE__ */ new Map();
  partials = 0;
  /** Blobs downloaded into the store, and their bytes. */
  downloads = 0;
  downloadedBytes = 0;
  /** A new, empty store in a fresh directory under `parent`. */
  static async create(parent, options = {}) {
    const dir = await fs2.mkdtemp(path.join(parent, BLOB_STORE_PREFIX));
    await fs2.chmod(dir, 448);
    return new _BlobStore(dir, Math.max(1, options.attempts ?? 3));
  }
  /**
   * The verified blob `descriptor`, from the store, or downloaded from `repository` of
   * `source` first. Concurrent calls for one digest share one download.
   */
  async get(source, repository, descriptor) {
    let blob = this.blobs.get(descriptor.digest);
    if (!blob) {
      const started = this.download(source, repository, descriptor);
      blob = started;
      this.blobs.set(descriptor.digest, started);
      started.catch(() => {
        if (this.blobs.get(descriptor.digest) === started) this.blobs.delete(descriptor.digest);
      });
    }
    const found = await blob;
    if (found.size !== descriptor.size) {
      throw new BlobMismatchError(descriptor, found.digest, found.size);
    }
    return found;
  }
  /** Deletes the store and everything in it. */
  async remove() {
    await fs2.rm(this.dir, { recursive: true, force: true });
  }
  async download(source, repository, descriptor) {
    const file = path.join(this.dir, descriptor.digest.replace(":", "-"));
    for (let attempt = 1; ; attempt++) {
      const partial = path.join(this.dir, `.partial-${++this.partials}`);
      try {
        await downloadBlob(source, repository, descriptor, partial);
        await fs2.rename(partial, file);
        this.downloads++;
        this.downloadedBytes += descriptor.size;
        return { digest: descriptor.digest, size: descriptor.size, file };
      } catch (error) {
        const final = error instanceof BlobMismatchError || error instanceof RegistryError || error instanceof HttpError;
        if (final || attempt >= this.attempts) throw error;
      }
    }
  }
};
async function removeStoreDir(dir, temp) {
  await fs2.rm(ownedTempDir(dir, BLOB_STORE_PREFIX, temp), { recursive: true, force: true });
}

// src/registry/proxy.ts
import { createHash as createHash2, randomBytes, timingSafeEqual } from "node:crypto";
import * as fs3 from "node:fs";
import { createServer } from "node:http";
var PROXY_USER = "kaniko-release";
var MAX_KEPT_MANIFESTS = 1e3;
function prefixFor(registry, taken) {
  const base = registry.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "registry";
  let prefix = base;
  for (let n = 2; taken.has(prefix); n++) prefix = `${base}-${n}`;
  return prefix;
}
var Refusal = class extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  status;
  code;
};
var RegistryProxy = class _RegistryProxy {
  constructor(server, port, options) {
    this.server = server;
    this.options = options;
    this.host = `127.0.0.1:${port}`;
    this.login = { username: PROXY_USER, password: randomBytes(32).toString("base64url") };
    this.expected = hashed(`Basic ${basicAuth(this.login.username, this.login.password)}`);
    const mirrors = /* @__PURE__ */ new Map();
    for (const upstream of options.upstreams) {
      if (mirrors.has(upstream.registry)) continue;
      const prefix = prefixFor(upstream.registry, new Set(this.byPrefix.keys()));
      this.byPrefix.set(prefix, upstream.client);
      mirrors.set(upstream.registry, `${this.host}/${prefix}`);
    }
    this.mirrors = mirrors;
  }
  server;
  options;
  /** `127.0.0.1:PORT` */
  host;
  /** The job's secret: kaniko's credentials file holds it for `host`. */
  login;
  /** Upstream registry → the `--registry-map` mirror for it, `127.0.0.1:PORT/<prefix>`. */
  mirrors;
  stats = { manifests: 0, manifestsFetched: 0, blobs: 0, blobBytes: 0 };
  expected;
  byPrefix = /* @__PURE__ */ new Map();
  /** Manifests by digest (they never change), and the size of every blob they list. */
  manifests = /* @__PURE__ */ new Map();
  sizes = /* @__PURE__ */ new Map();
  /** Starts the proxy on a random port of 127.0.0.1. */
  static async start(options) {
    const server = createServer();
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const proxy = new _RegistryProxy(server, server.address().port, options);
    server.on(
      "request",
      (req, res) => void proxy.handle(req, res)
    );
    return proxy;
  }
  /** Stops listening and ends every connection. */
  async close() {
    const closed = new Promise((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
  async handle(req, res) {
    const method = req.method ?? "GET";
    try {
      if (!this.authorized(req.headers.authorization)) {
        res.setHeader("www-authenticate", 'Basic realm="kaniko-release base-image cache"');
        throw new Refusal(401, "UNAUTHORIZED", "this cache serves only the job that started it");
      }
      if (method !== "GET" && method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        throw new Refusal(405, "UNSUPPORTED", "the base-image cache is read-only");
      }
      const pathname = new URL(req.url ?? "/", "http://proxy").pathname;
      if (pathname === "/v2/" || pathname === "/v2") {
        send(res, method, 200, { "content-type": "application/json" }, Buffer.from("{}"));
        return;
      }
      const route = /^\/v2\/([^/]+)\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(pathname);
      const client = route ? this.byPrefix.get(route[1]) : void 0;
      const repository = route?.[2] ?? "";
      if (!route || !client || !repository.split("/").every((c) => PATH_COMPONENT.test(c))) {
        throw new Refusal(404, "NAME_UNKNOWN", `${pathname} names no repository of this cache`);
      }
      const reference = route[4];
      if (route[3] === "manifests") {
        await this.serveManifest(client, repository, reference, req, res, method);
      } else {
        await this.serveBlob(client, repository, reference, res, method);
      }
    } catch (error) {
      this.fail(req, res, error);
    }
  }
  authorized(header) {
    return header !== void 0 && timingSafeEqual(hashed(header), this.expected);
  }
  async serveManifest(client, repository, reference, req, res, method) {
    const byDigest = SHA256_DIGEST.test(reference);
    if (!byDigest && !TAG.test(reference)) {
      throw new Refusal(404, "MANIFEST_UNKNOWN", `${reference} is neither a tag nor a digest`);
    }
    const accept = acceptedTypes(req.headers.accept);
    if (accept.length === 0) {
      throw new Refusal(404, "MANIFEST_UNKNOWN", "no manifest type this cache serves is accepted");
    }
    const digest = byDigest ? reference : await client.manifestDigest(repository, reference, accept);
    if (digest === null) {
      throw new Refusal(404, "MANIFEST_UNKNOWN", `${repository}:${reference} does not exist`);
    }
    let manifest = this.manifests.get(digest);
    let served = digest;
    if (!manifest) {
      const fetched = await client.getManifest(repository, reference, accept);
      if (!MANIFEST_TYPES.includes(fetched.mediaType)) {
        throw new Refusal(404, "MANIFEST_UNKNOWN", `media type ${fetched.mediaType} not served`);
      }
      const size = this.sizes.get(fetched.digest);
      if (size !== void 0 && size !== fetched.body.length) {
        throw new Refusal(502, "MANIFEST_INVALID", `${fetched.digest} is not ${size} bytes`);
      }
      manifest = { mediaType: fetched.mediaType, body: fetched.body };
      served = fetched.digest;
      this.remember(served, manifest);
      this.stats.manifestsFetched++;
    }
    this.stats.manifests++;
    send(
      res,
      method,
      200,
      { "content-type": manifest.mediaType, "docker-content-digest": served },
      manifest.body
    );
  }
  async serveBlob(client, repository, digest, res, method) {
    const size = SHA256_DIGEST.test(digest) ? this.sizes.get(digest) : void 0;
    if (size === void 0) {
      throw new Refusal(404, "BLOB_UNKNOWN", `${digest} is listed by no manifest served here`);
    }
    const blob = await this.options.store.get(client, repository, { digest, size });
    const headers = {
      "content-type": "application/octet-stream",
      "content-length": String(blob.size),
      "docker-content-digest": blob.digest
    };
    this.stats.blobs++;
    if (method === "HEAD") {
      res.writeHead(200, headers).end();
      return;
    }
    this.stats.blobBytes += blob.size;
    res.writeHead(200, headers);
    fs3.createReadStream(blob.file, { highWaterMark: 1024 * 1024 }).on("error", () => res.destroy()).pipe(res);
  }
  /** Keeps a manifest by its digest, and the size of every blob and manifest it lists. */
  remember(digest, manifest) {
    if (this.manifests.size >= MAX_KEPT_MANIFESTS) this.manifests.clear();
    this.manifests.set(digest, manifest);
    let parsed;
    try {
      parsed = JSON.parse(manifest.body.toString("utf8"));
    } catch {
      return;
    }
    const listed = [
      parsed.config,
      ...Array.isArray(parsed.layers) ? parsed.layers : [],
      ...Array.isArray(parsed.manifests) ? parsed.manifests : []
    ];
    for (const d of listed) {
      if (typeof d?.digest === "string" && SHA256_DIGEST.test(d.digest) && Number.isSafeInteger(d.size) && d.size >= 0) {
        this.sizes.set(d.digest, d.size);
      }
    }
  }
  fail(req, res, error) {
    let status = 502;
    let code = "UNAVAILABLE";
    if (error instanceof Refusal) {
      ({ status, code } = error);
    } else if (error instanceof BlobMismatchError) {
      code = "BLOB_UNKNOWN";
    } else if (error instanceof RegistryError && [401, 403, 404].includes(error.status)) {
      status = error.status;
      code = status === 404 ? "NAME_UNKNOWN" : "DENIED";
    }
    const message = errorMessage(error);
    if (status !== 401 || req.headers.authorization !== void 0) {
      this.options.debug?.(
        `Base-image cache: ${req.method ?? "GET"} ${req.url ?? ""} answered ${status}: ${message}`
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = Buffer.from(JSON.stringify({ errors: [{ code, message }] }));
    send(res, req.method ?? "GET", status, { "content-type": "application/json" }, body);
  }
};
function acceptedTypes(header) {
  if (!header) return MANIFEST_TYPES;
  const asked = new Set(header.split(",").map((t) => t.split(";")[0].trim().toLowerCase()));
  if (asked.has("*/*")) return MANIFEST_TYPES;
  return MANIFEST_TYPES.filter((t) => asked.has(t));
}
function send(res, method, status, headers, body) {
  res.writeHead(status, {
    ...headers,
    "content-length": String(body.length),
    "docker-distribution-api-version": "registry/2.0"
  });
  res.end(method === "HEAD" ? void 0 : body);
}
function hashed(text) {
  return createHash2("sha256").update(text).digest();
}

// src/build/base-cache.ts
var KANIKO_DOCKER_HUB = "index.docker.io";
function kanikoRegistry(registry) {
  return isDockerHub(registry) ? KANIKO_DOCKER_HUB : registry.toLowerCase();
}
function userMapped(extraArgs) {
  const mapped = /* @__PURE__ */ new Set();
  for (const arg of extraArgs) {
    const mirror = /^--registry-mirror=/.exec(arg);
    if (mirror) mapped.add(KANIKO_DOCKER_HUB);
    const map = /^--registry-map=(.*)$/.exec(arg);
    for (const pair of map?.[1]?.split(";") ?? []) {
      const key = pair.split("=")[0]?.trim();
      if (key) mapped.add(kanikoRegistry(key));
    }
  }
  return mapped;
}
function baseRegistries(bases, extraArgs, opaque) {
  const own = userMapped(extraArgs);
  const mapped = /* @__PURE__ */ new Set();
  const left = [];
  for (const base of bases) {
    const shown = plain(base.reference);
    if (base.registry === void 0) {
      left.push(`${shown}: ${base.unknown}; kaniko pulls it itself`);
      continue;
    }
    const registry = kanikoRegistry(base.registry);
    if (own.has(registry)) {
      left.push(`${shown}: 'extra-args' maps ${registry} to a mirror of your own`);
    } else if (opaque(registry)) {
      left.push(`${shown}: the docker login for ${registry} holds a token only kaniko can use`);
    } else {
      mapped.add(registry);
    }
  }
  return { mapped: [...mapped].sort(), left };
}
async function baseImagesOfPlans(plans, inputs, workspace) {
  const graph = await import("./parse-2A7GUED3.js");
  const platforms = inputs.platforms.length > 0 ? inputs.platforms : [platformName(runnerPlatform())];
  const found = /* @__PURE__ */ new Map();
  for (const { directory } of plans) {
    const file = path2.join(directory, inputs.dockerfile);
    let text;
    try {
      text = await fs4.readFile(path2.join(workspace, file), "utf8");
    } catch {
      continue;
    }
    const model = graph.parseDockerfile(text);
    for (const platform of platforms) {
      const options = { buildArgs: inputs.buildArgs, target: inputs.target, platform };
      for (const base of graph.baseImagesOf(model, options)) {
        const image = base.known && base.name ? { reference: base.reference, registry: base.name.registry } : {
          reference: base.written,
          unknown: `${base.instruction} in ${file} (line ${base.line}) is not known before the build`
        };
        found.set(`${image.reference} ${"unknown" in image ? image.unknown : ""}`, image);
      }
    }
  }
  return [...found.values()];
}
var MIB = 1024 * 1024;
async function startBaseCache(options) {
  const { mapped, left } = baseRegistries(
    options.bases,
    options.inputs.extraArgs,
    (r) => options.logins.opaqueFor(r)
  );
  for (const line of left) debug(`Base image ${line}.`);
  if (mapped.length === 0) return void 0;
  const store = await BlobStore.create(options.temp);
  let proxy;
  try {
    proxy = await RegistryProxy.start({
      store,
      upstreams: mapped.map((registry) => ({
        registry,
        client: options.registries.client(
          registry === KANIKO_DOCKER_HUB ? DOCKER_HUB_REGISTRY_HOST : registry
        )
      })),
      debug: (message) => debug(plain(message))
    });
    await addLogin(options.credentials, proxy.host, proxy.login);
  } catch (error) {
    await proxy?.close();
    await store.remove();
    throw new Error(`Cannot start the base-image cache: ${errorMessage(error)}`, {
      cause: error
    });
  }
  info(
    `Base images from ${mapped.join(", ")}: each blob downloaded once for the job, by the cache on ${proxy.host}.`
  );
  const running2 = proxy;
  return {
    mirror: { host: running2.host, mirrors: running2.mirrors },
    dir: store.dir,
    async stop() {
      try {
        await running2.close();
        await store.remove();
      } catch (error) {
        warning(`Could not stop the base-image cache: ${errorMessage(error)}`);
      }
      const { blobs, blobBytes, manifests, manifestsFetched } = running2.stats;
      info(
        `Base-image cache: ${blobs} blob${blobs === 1 ? "" : "s"} (${(blobBytes / MIB).toFixed(1)} MiB) served to the builds, ${store.downloads} (${(store.downloadedBytes / MIB).toFixed(1)} MiB) downloaded; ${manifests} manifest${manifests === 1 ? "" : "s"} served, ${manifestsFetched} fetched.`
      );
    }
  };
}
async function removeBaseCache(dir, temp) {
  await removeStoreDir(dir, temp);
}

// src/runtime/select.ts
import * as fs11 from "node:fs";
import * as os from "node:os";
import * as path9 from "node:path";

// src/executor/cache.ts
var import_proper_lockfile = __toESM(require_proper_lockfile(), 1);
import { createHash as createHash3, randomBytes as randomBytes2 } from "node:crypto";
import * as fs6 from "node:fs";
import * as path4 from "node:path";

// src/executor/rootfs.ts
import * as fs5 from "node:fs";
import * as path3 from "node:path";
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
    return fs5.lstatSync(p);
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
    const candidate = path3.join(root, ...current, part);
    const last = queue.length === 0;
    const st = lstatOrNull(candidate);
    if (st === null) {
      if (!last && options.createParents) fs5.mkdirSync(candidate, { mode: 493 });
      current.push(part);
      continue;
    }
    if (st.isSymbolicLink() && (!last || options.followFinal)) {
      if (++links > MAX_LINKS) {
        throw new Error(`Too many symbolic links under ${root} resolving ${inside}.`);
      }
      const target = fs5.readlinkSync(candidate);
      if (target.startsWith("/")) current.length = 0;
      queue.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      continue;
    }
    if (!last && !st.isDirectory()) {
      throw new Error(`${path3.join("/", ...current, part)} is not a directory in ${root}.`);
    }
    current.push(part);
  }
  return path3.join(root, ...current);
}
function prepareMountPoint(root, inside, kind2) {
  const target = resolveInRoot(root, inside, { createParents: true });
  if (target === root) throw new Error(`Cannot mount over the root itself (${inside}).`);
  const st = lstatOrNull(target);
  if (st !== null) {
    const fits = kind2 === "dir" ? st.isDirectory() : st.isFile();
    if (fits) return target;
    fs5.rmSync(target, { recursive: true, force: true });
  }
  if (kind2 === "dir") fs5.mkdirSync(target, { mode: 493 });
  else fs5.writeFileSync(target, "", { mode: 420, flag: "wx" });
  return target;
}

// src/executor/cache.ts
var TOOL_NAME = "kaniko-executor";
var ROOTFS_DIR = "rootfs";
var RECORD_FILE = "image.json";
var LOCK_WAIT_MS = 15 * 6e4;
function toolCacheRoot(env = process.env) {
  const dir = env.RUNNER_TOOL_CACHE;
  if (!dir) {
    throw new Error(
      "RUNNER_TOOL_CACHE is not set: the executor is cached in the runner\u2019s tool cache. Run this action as a step of a GitHub Actions job (or set RUNNER_TOOL_CACHE)."
    );
  }
  return dir;
}
function entryDir(key, env) {
  return path4.join(toolCacheRoot(env), TOOL_NAME, key.version, key.arch);
}
function walk(root, line) {
  const out = [];
  const visit = (rel) => {
    const full = path4.join(root, rel);
    const st = fs6.lstatSync(full, { bigint: true });
    out.push(line(rel || ".", st, full));
    if (st.isDirectory()) {
      for (const name of fs6.readdirSync(full).sort()) visit(path4.join(rel, name));
    }
  };
  visit("");
  return out;
}
function kind(st) {
  if (st.isDirectory()) return "d";
  if (st.isFile()) return "f";
  if (st.isSymbolicLink()) return "l";
  return "o";
}
function listingSha256(root) {
  const lines = walk(
    root,
    (rel, st, full) => [
      JSON.stringify(rel),
      kind(st),
      st.mode.toString(8),
      `${st.uid}:${st.gid}`,
      st.isFile() ? st.size.toString() : "",
      st.isSymbolicLink() ? JSON.stringify(fs6.readlinkSync(full)) : ""
    ].join(" ")
  );
  return createHash3("sha256").update(lines.join("\n")).digest("hex");
}
function treeFingerprint(root) {
  const lines = walk(
    root,
    (rel, st) => [JSON.stringify(rel), st.ino, st.ctimeNs, st.mode, st.size].join(" ")
  );
  return createHash3("sha256").update(lines.join("\n")).digest("hex");
}
async function fileSha256(file) {
  const hash = createHash3("sha256");
  for await (const chunk of fs6.createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}
function entrypointPath(rootfs, config) {
  const inside = (config.entrypoint.length > 0 ? config.entrypoint : config.cmd)[0] ?? "";
  return resolveInRoot(rootfs, inside, { followFinal: true });
}
async function verificationOf(rootfs, config) {
  const entrypoint = entrypointPath(rootfs, config);
  const st = lstatOrNull(entrypoint);
  if (!st?.isFile()) {
    throw new Error(`the image has no file at its entrypoint ${path4.relative(rootfs, entrypoint)}`);
  }
  return {
    entrypoint: `/${path4.relative(rootfs, entrypoint)}`,
    entrypointSha256: await fileSha256(entrypoint),
    listingSha256: listingSha256(rootfs)
  };
}
async function mismatch(dir, record) {
  const rootfs = path4.join(dir, ROOTFS_DIR);
  let actual;
  try {
    actual = await verificationOf(rootfs, record.config);
  } catch (error) {
    return error.message;
  }
  const expected = record.verification;
  if (actual.entrypoint !== expected?.entrypoint) return "its entrypoint moved";
  if (actual.entrypointSha256 !== expected.entrypointSha256) {
    return `${expected.entrypoint} has the sha256 ${actual.entrypointSha256}, not the installed ${expected.entrypointSha256}`;
  }
  if (actual.listingSha256 !== expected.listingSha256) {
    return "files were added, removed or changed";
  }
  return "";
}
async function findEntry(key) {
  const dir = entryDir(key);
  if (!fs6.existsSync(`${dir}.complete`)) return {};
  let record;
  try {
    record = JSON.parse(fs6.readFileSync(path4.join(dir, RECORD_FILE), "utf8"));
  } catch {
    return { invalid: `its record ${RECORD_FILE} is missing or unreadable` };
  }
  const rootfs = path4.join(dir, ROOTFS_DIR);
  const fingerprint = fs6.existsSync(rootfs) ? treeFingerprint(rootfs) : "";
  const wrong = await mismatch(dir, record);
  if (wrong) return { invalid: wrong };
  return { found: { dir, rootfs, record, fingerprint } };
}
function assertUnchanged(rootfs, fingerprint) {
  if (fingerprint === void 0) return;
  if (treeFingerprint(rootfs) !== fingerprint) {
    throw new Error(
      `The cached kaniko executor at ${rootfs} changed after it was verified; refusing to run it. Re-run the job: it installs the executor again.`
    );
  }
}
async function installEntry(key, fill) {
  const dir = entryDir(key);
  const parent = path4.dirname(dir);
  fs6.mkdirSync(parent, { recursive: true });
  let compromised;
  const release = await import_proper_lockfile.default.lock(dir, {
    realpath: false,
    lockfilePath: `${dir}.lock`,
    retries: { retries: LOCK_WAIT_MS / 2e3, minTimeout: 500, maxTimeout: 2e3 },
    onCompromised: (error) => compromised = error
  });
  try {
    const ready = await findEntry(key);
    if (ready.found) return { entry: ready.found, installed: false };
    for (const name of fs6.readdirSync(parent)) {
      if (name.startsWith(`.staging-${key.arch}-`) || name.startsWith(`.old-${key.arch}-`)) {
        fs6.rmSync(path4.join(parent, name), { recursive: true, force: true });
      }
    }
    const staging = path4.join(parent, `.staging-${key.arch}-${randomBytes2(6).toString("hex")}`);
    const rootfs = path4.join(staging, ROOTFS_DIR);
    fs6.mkdirSync(rootfs, { recursive: true, mode: 493 });
    fs6.chmodSync(rootfs, 493);
    try {
      const partial = await fill(rootfs);
      const record = {
        ...partial,
        verification: await verificationOf(rootfs, partial.config)
      };
      fs6.writeFileSync(path4.join(staging, RECORD_FILE), `${JSON.stringify(record, null, 2)}
`);
      if (compromised) throw compromised;
      fs6.rmSync(`${dir}.complete`, { force: true });
      if (fs6.existsSync(dir)) {
        const old = path4.join(parent, `.old-${key.arch}-${randomBytes2(6).toString("hex")}`);
        fs6.renameSync(dir, old);
        fs6.rmSync(old, { recursive: true, force: true });
      }
      fs6.renameSync(staging, dir);
      fs6.writeFileSync(`${dir}.complete`, "");
      const entry = {
        dir,
        rootfs: path4.join(dir, ROOTFS_DIR),
        record,
        fingerprint: treeFingerprint(path4.join(dir, ROOTFS_DIR))
      };
      return { entry, installed: true };
    } finally {
      fs6.rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    await release().catch(() => void 0);
  }
}

// src/runtime/bundle.ts
import * as fs9 from "node:fs";
import * as path7 from "node:path";

// src/runtime/root-layer.ts
import * as fs8 from "node:fs";
import * as path6 from "node:path";

// src/runtime/host.ts
import { spawn } from "node:child_process";
import * as fs7 from "node:fs";
import * as path5 from "node:path";
var SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function isExecutableFile(file) {
  try {
    fs7.accessSync(file, fs7.constants.X_OK);
    return fs7.statSync(file).isFile();
  } catch {
    return false;
  }
}
function locateTool(name) {
  if (path5.isAbsolute(name)) return isExecutableFile(name) ? name : void 0;
  return SYSTEM_PATH.split(":").map((dir) => path5.join(dir, name)).find(isExecutableFile);
}
function tool(name) {
  const found = locateTool(name);
  if (!found) throw new Error(`The action needs '${name}', which is not on this runner.`);
  return found;
}
function privileged(privilege, argv) {
  return privilege === "root" ? [...argv] : ["sudo", "-n", "--", ...argv];
}
function runQuiet(argv, options = {}) {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" },
      ...options.cwd ? { cwd: options.cwd } : {}
    });
    let output = "";
    child.stdout.on("data", (c) => output += c.toString("utf8"));
    child.stderr.on("data", (c) => output += c.toString("utf8"));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}
async function sudoWorks() {
  if (!locateTool("sudo")) return false;
  const result = await runQuiet(["sudo", "-n", "true"]).catch(() => ({ code: 1 }));
  return result.code === 0;
}
async function findPrivilege() {
  if (process.getuid?.() === 0) return "root";
  return await sudoWorks() ? "sudo" : void 0;
}
function unescapeMountPath(value) {
  return value.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
function parseMountPoints(mountinfo) {
  return mountinfo.split("\n").map((line) => line.split(" ")[4]).filter((p) => p !== void 0 && p !== "").map(unescapeMountPath);
}
function mountsBelow(dir, mountinfo) {
  const text = mountinfo ?? fs7.readFileSync("/proc/self/mountinfo", "utf8");
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return parseMountPoints(text).filter((p) => p === dir || p.startsWith(prefix)).reverse();
}
async function unmountBelow(dir, privilege) {
  for (const point of mountsBelow(dir)) {
    const { code, output } = await runQuiet(privileged(privilege, [tool("umount"), "--", point]));
    if (code !== 0 && mountsBelow(point).includes(point)) {
      throw new Error(`Could not unmount ${point}: ${output || `umount exited with ${code}`}`);
    }
  }
}
async function removeTree(dir, privilege) {
  if (!fs7.existsSync(dir)) return;
  const mounted = mountsBelow(dir);
  if (mounted.length > 0) {
    throw new Error(
      `Not deleting ${dir}: ${mounted.join(", ")} ${mounted.length === 1 ? "is" : "are"} still mounted there.`
    );
  }
  if (privilege === "root") {
    await fs7.promises.rm(dir, { recursive: true, force: true });
    return;
  }
  const { code, output } = await runQuiet(
    privileged(privilege, [tool("rm"), "-rf", "--one-file-system", "--", dir])
  );
  if (code !== 0 || fs7.existsSync(dir)) {
    throw new Error(`Could not delete ${dir}: ${output || `rm exited with ${code}`}`);
  }
}

// src/runtime/root-layer.ts
function layerPaths(bundle) {
  return {
    rootfs: path6.join(bundle, "rootfs"),
    lower: path6.join(bundle, "lower"),
    upper: path6.join(bundle, "upper"),
    work: path6.join(bundle, "work")
  };
}
async function mountOverlay(bundle, cache, privilege) {
  const p = layerPaths(bundle);
  fs8.symlinkSync(cache, p.lower);
  fs8.mkdirSync(p.upper, { mode: 493 });
  fs8.mkdirSync(p.work, { mode: 448 });
  const { code, output } = await runQuiet(
    privileged(privilege, [
      tool("mount"),
      "-t",
      "overlay",
      "-o",
      "lowerdir=lower,upperdir=upper,workdir=work",
      "overlay",
      "rootfs"
    ]),
    { cwd: bundle }
  );
  if (code === 0) {
    fs8.chmodSync(p.upper, fs8.statSync(cache).mode & 4095);
    return "";
  }
  for (const dir of [p.upper, p.work]) fs8.rmSync(dir, { recursive: true, force: true });
  fs8.rmSync(p.lower, { force: true });
  const why = (output.split("\n")[0] ?? "").replace(/^mount: [^:]*: /, "").replace(/\.$/, "");
  return why || `mount exited with ${code}`;
}
async function copyRoot(bundle, cache, privilege) {
  const { rootfs } = layerPaths(bundle);
  fs8.rmdirSync(rootfs);
  const { code, output } = await runQuiet(
    privileged(privilege, [tool("cp"), "-a", "--reflink=auto", "--", cache, rootfs])
  );
  if (code !== 0) {
    throw new Error(
      `Could not copy the executor's root file system: ${output || `cp exited with ${code}`}`
    );
  }
}
async function makeRootLayer(bundle, cache, privilege, preferOverlay) {
  const { rootfs } = layerPaths(bundle);
  fs8.mkdirSync(rootfs, { mode: 493 });
  if (preferOverlay) {
    const overlayError = await mountOverlay(bundle, cache, privilege);
    if (!overlayError) return {};
    await copyRoot(bundle, cache, privilege);
    return { overlayError };
  }
  await copyRoot(bundle, cache, privilege);
  return {};
}
async function dropRootLayer(bundle, privilege) {
  await unmountBelow(bundle, privilege);
}

// src/runtime/seccomp-profile.ts
var EPERM = 1;
var ENOSYS = 38;
function names(text) {
  return text.trim().split(/\s+/);
}
var ALLOWED = {
  files: names(`
    access chdir chmod chown chown32 close close_range copy_file_range creat dup dup2 dup3
    faccessat faccessat2 fadvise64 fadvise64_64 fallocate fchdir fchmod fchmodat fchown
    fchown32 fchownat fcntl fcntl64 fdatasync flock fstat fstat64 fstatat64 fstatfs
    fstatfs64 fsync ftruncate ftruncate64 futimesat getcwd getdents getdents64 lchown
    lchown32 link linkat _llseek lseek lstat lstat64 mkdir mkdirat name_to_handle_at
    newfstatat open openat openat2 pread64 preadv preadv2 pwrite64 pwritev pwritev2 read
    readahead readlink readlinkat readv rename renameat renameat2 rmdir sendfile sendfile64
    splice stat stat64 statfs statfs64 statx symlink symlinkat sync sync_file_range syncfs
    tee truncate truncate64 umask unlink unlinkat utime utimensat utimensat_time64 utimes
    vmsplice write writev
  `),
  "extended attributes": names(`
    fgetxattr flistxattr fremovexattr fsetxattr getxattr lgetxattr listxattr llistxattr
    lremovexattr lsetxattr removexattr setxattr
  `),
  "polling, events, asynchronous I/O": names(`
    epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
    epoll_wait_old eventfd eventfd2 fanotify_mark inotify_add_watch inotify_init
    inotify_init1 inotify_rm_watch io_cancel io_destroy io_getevents io_pgetevents
    io_pgetevents_time64 io_setup io_submit io_uring_enter io_uring_register io_uring_setup
    ioctl _newselect poll ppoll ppoll_time64 pselect6 pselect6_time64 select signalfd
    signalfd4 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
    timerfd_settime64
  `),
  "processes and threads": names(`
    capget capset execve execveat exit exit_group fork futex futex_time64 futex_waitv
    get_robust_list get_thread_area getcpu getegid getegid32 geteuid geteuid32 getgid
    getgid32 getgroups getgroups32 getpgid getpgrp getpid getppid getpriority getresgid
    getresgid32 getresuid getresuid32 getrlimit getrusage getsid gettid getuid getuid32
    ioprio_get ioprio_set kill landlock_add_rule landlock_create_ruleset
    landlock_restrict_self membarrier pidfd_open pidfd_send_signal prctl prlimit64
    process_mrelease restart_syscall rseq sched_get_priority_max sched_get_priority_min
    sched_getaffinity sched_getattr sched_getparam sched_getscheduler sched_rr_get_interval
    sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam
    sched_setscheduler sched_yield seccomp set_robust_list set_thread_area set_tid_address
    setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setpgid
    setpriority setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid
    setreuid32 setrlimit setsid setuid setuid32 tgkill tkill ugetrlimit uname vfork wait4
    waitid waitpid
  `),
  signals: names(`
    alarm pause rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
    rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sigaltstack
    sigprocmask sigreturn
  `),
  memory: names(`
    brk madvise memfd_create memfd_secret mincore mlock mlock2 mlockall mmap mmap2 mprotect
    mremap msync munlock munlockall munmap pkey_alloc pkey_free pkey_mprotect
    remap_file_pages
  `),
  "clocks and timers": names(`
    adjtimex clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime
    clock_gettime64 clock_nanosleep clock_nanosleep_time64 getitimer gettimeofday nanosleep
    setitimer time timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64
    timer_settime timer_settime64 times
  `),
  "sockets (socket itself below)": names(`
    accept accept4 bind connect getpeername getsockname getsockopt listen recv recvfrom
    recvmmsg recvmmsg_time64 recvmsg send sendmmsg sendmsg sendto setsockopt shutdown
    socketcall socketpair
  `),
  "pipes and System V / POSIX IPC (in the build\u2019s own IPC namespace)": names(`
    ipc mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
    mq_timedsend_time64 mq_unlink msgctl msgget msgrcv msgsnd pipe pipe2 semctl semget semop
    semtimedop semtimedop_time64 shmat shmctl shmdt shmget
  `),
  "system information": names(`
    getrandom sysinfo
  `)
};
var FROM_KERNEL_4_8 = ["process_vm_readv", "process_vm_writev", "ptrace"];
var ARCH_ONLY = {
  amd64: ["arch_prctl", "modify_ldt"],
  arm64: [
    "arm_fadvise64_64",
    "arm_sync_file_range",
    "sync_file_range2",
    "breakpoint",
    "cacheflush",
    "set_tls"
  ]
};
var ARCHITECTURES = {
  amd64: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  arm64: ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
};
var CLONE_NAMESPACE_FLAGS = 2114060288;
var S_IFMT = 61440;
var MKNOD_TYPES = [0, 32768, 8192, 4096, 49152];
function allowWhen(name, index, values, mask) {
  return values.map((value) => ({
    names: [name],
    action: "SCMP_ACT_ALLOW",
    args: [
      mask === void 0 ? { index, value, op: "SCMP_CMP_EQ" } : { index, value: mask, valueTwo: value, op: "SCMP_CMP_MASKED_EQ" }
    ]
  }));
}
function seccompProfile(arch) {
  return {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    architectures: [...ARCHITECTURES[arch]],
    syscalls: [
      {
        names: [...Object.values(ALLOWED).flat(), ...FROM_KERNEL_4_8, ...ARCH_ONLY[arch]],
        action: "SCMP_ACT_ALLOW"
      },
      // Any socket but AF_VSOCK (40), which reaches the hypervisor.
      {
        names: ["socket"],
        action: "SCMP_ACT_ALLOW",
        args: [{ index: 0, value: 40, op: "SCMP_CMP_NE" }]
      },
      // personality(2) only to query it or for the Linux, UNAME26 and 32-bit personas.
      ...allowWhen("personality", 0, [0, 8, 131072, 131080, 4294967295]),
      // CAP_SYS_CHROOT is one of the build's capabilities, so the profile allows chroot(2).
      { names: ["chroot"], action: "SCMP_ACT_ALLOW" },
      // Without CAP_SYS_ADMIN: clone(2) without namespace flags (the mask must come out 0;
      // flags are the first argument on both architectures here), and clone3(2) reports
      // ENOSYS, so C libraries fall back to clone(2), whose flags the filter can read.
      {
        names: ["clone"],
        action: "SCMP_ACT_ALLOW",
        args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }]
      },
      { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: ENOSYS },
      // Stricter than Docker: mknod(2)/mknodat(2) of anything but a block device.
      ...allowWhen("mknod", 1, MKNOD_TYPES, S_IFMT),
      ...allowWhen("mknodat", 2, MKNOD_TYPES, S_IFMT)
    ]
  };
}

// src/runtime/spec.ts
var CAPABILITIES = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE"
];
var MASKED_PATHS = [
  "/proc/asound",
  "/proc/acpi",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
  "/sys/devices/virtual/powercap"
];
var READONLY_PATHS = [
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger"
];
var NAMESPACES = ["pid", "mount", "ipc", "uts", "cgroup"];
var PIDS_LIMIT = 8192;
var HOSTNAME = "kaniko";
var CPU_PERIOD = 1e5;
var SYSTEM_MOUNTS = [
  { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
  {
    destination: "/dev",
    type: "tmpfs",
    source: "tmpfs",
    options: ["nosuid", "strictatime", "mode=755", "size=65536k"]
  },
  {
    destination: "/dev/pts",
    type: "devpts",
    source: "devpts",
    options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]
  },
  {
    destination: "/sys",
    type: "sysfs",
    source: "sysfs",
    options: ["nosuid", "noexec", "nodev", "ro"]
  },
  {
    destination: "/sys/fs/cgroup",
    type: "cgroup",
    source: "cgroup",
    options: ["nosuid", "noexec", "nodev", "relatime", "ro"]
  },
  {
    destination: "/dev/mqueue",
    type: "mqueue",
    source: "mqueue",
    options: ["nosuid", "noexec", "nodev"]
  },
  {
    destination: "/dev/shm",
    type: "tmpfs",
    source: "shm",
    options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]
  }
];
var DEVICE_RULES = [
  { allow: false, access: "rwm" },
  ...[
    [1, 3],
    [1, 5],
    [1, 7],
    [1, 8],
    [1, 9],
    [5, 0],
    [5, 1],
    [5, 2]
  ].map(([major, minor]) => ({ allow: true, type: "c", major, minor, access: "rwm" })),
  { allow: true, type: "c", major: 136, access: "rwm" }
];
function containerSpec(config) {
  const caps = [...CAPABILITIES];
  const resources = {
    devices: DEVICE_RULES,
    pids: { limit: PIDS_LIMIT }
  };
  if (config.memoryBytes > 0) {
    resources.memory = { limit: config.memoryBytes, swap: config.memoryBytes };
  }
  if (config.cpus > 0) {
    resources.cpu = { quota: Math.round(config.cpus * CPU_PERIOD), period: CPU_PERIOD };
  }
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: config.args,
      env: config.env,
      cwd: "/",
      // Inheritable and ambient stay empty (as in Docker since 23.0): an executed file gains
      // no capability from its file capabilities beyond the bounding set.
      capabilities: {
        bounding: caps,
        effective: caps,
        permitted: caps,
        inheritable: [],
        ambient: []
      },
      // As with `docker run`: a setuid binary in a RUN step (sudo, su) still works.
      noNewPrivileges: false
    },
    root: { path: config.root, readonly: false },
    hostname: HOSTNAME,
    mounts: [
      ...SYSTEM_MOUNTS,
      ...config.binds.map((b) => ({
        destination: b.destination,
        type: "bind",
        source: b.source,
        options: ["bind", b.readOnly ? "ro" : "rw", "nosuid", "nodev"]
      }))
    ],
    linux: {
      namespaces: NAMESPACES.map((type) => ({ type })),
      resources,
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      seccomp: seccompProfile(config.arch)
    }
  };
}
function seccompArch(nodeArch = process.arch) {
  if (nodeArch === "x64") return "amd64";
  if (nodeArch === "arm64") return "arm64";
  return void 0;
}

// src/runtime/types.ts
var CONTAINER_CONTEXT = "/workspace";
var CONTAINER_OUTPUT = "/kaniko/output";
var DEFAULT_DOCKER_CONFIG = "/kaniko/.docker";
var DEFAULT_CA_BUNDLE = "/kaniko/ssl/certs/ca-certificates.crt";

// src/runtime/bundle.ts
var ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
var DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
var HOST_FILES = ["/etc/hosts", "/etc/resolv.conf"];
function containerEnv(imageEnv, extra) {
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
  if (!env.has("PATH")) env.set("PATH", DEFAULT_PATH);
  if (!env.has("HOME")) env.set("HOME", "/root");
  return [...env].map(([k, v]) => `${k}=${v}`);
}
function envValue(env, key) {
  const entry = env.find((e) => e.startsWith(`${key}=`));
  return entry === void 0 ? void 0 : entry.slice(key.length + 1);
}
function dockerConfigPath(env) {
  const dir = envValue(env, "DOCKER_CONFIG") || DEFAULT_DOCKER_CONFIG;
  return path7.posix.join(dir.startsWith("/") ? dir : `/${dir}`, "config.json");
}
function caBundlePath(env) {
  const file = envValue(env, "SSL_CERT_FILE");
  if (file) return file;
  const dir = envValue(env, "SSL_CERT_DIR")?.split(":")[0];
  return dir ? path7.posix.join(dir, "ca-certificates.crt") : DEFAULT_CA_BUNDLE;
}
function appendCaCertificates(root, inside, pem) {
  const target = resolveInRoot(root, inside, { followFinal: true, createParents: true });
  const flags = fs9.constants.O_WRONLY | fs9.constants.O_APPEND | fs9.constants.O_CREAT | fs9.constants.O_NOFOLLOW;
  const fd = fs9.openSync(target, flags, 420);
  try {
    fs9.writeSync(fd, `
${pem.trim()}
`);
  } finally {
    fs9.closeSync(fd);
  }
}
function checkHostPath(what, p, kind2) {
  if (!path7.isAbsolute(p)) throw new Error(`The ${what} ${p} is not an absolute path.`);
  const st = fs9.statSync(p, { throwIfNoEntry: false });
  if (!st || (kind2 === "dir" ? !st.isDirectory() : !st.isFile())) {
    throw new Error(`The ${what} ${p} is not ${kind2 === "dir" ? "a directory" : "a file"}.`);
  }
  return fs9.realpathSync(p);
}
function checkRunPaths(spec) {
  return {
    context: checkHostPath("build context", spec.context, "dir"),
    dockerConfig: checkHostPath("credentials file", spec.dockerConfig, "file"),
    outputDir: checkHostPath("output directory", spec.outputDir, "dir")
  };
}
async function writeBundle(bundle, spec, paths, options) {
  const entrypoint = spec.executor.entrypoint;
  if (entrypoint.length === 0) throw new Error("The executor image has no entrypoint.");
  const imageEnv = spec.executor.env;
  const env = containerEnv(imageEnv, spec.env);
  const layer = await makeRootLayer(
    bundle,
    spec.executor.rootfs,
    options.privilege,
    options.preferOverlay
  );
  const { rootfs } = layerPaths(bundle);
  if (options.caCertificates.trim()) {
    appendCaCertificates(rootfs, caBundlePath(imageEnv), options.caCertificates);
  }
  const binds = [
    { source: paths.context, destination: CONTAINER_CONTEXT, readOnly: true, kind: "dir" },
    {
      source: paths.dockerConfig,
      destination: dockerConfigPath(imageEnv),
      readOnly: true,
      kind: "file"
    },
    { source: paths.outputDir, destination: CONTAINER_OUTPUT, readOnly: false, kind: "dir" },
    ...HOST_FILES.filter((f) => fs9.existsSync(f)).map((f) => ({
      source: f,
      destination: f,
      readOnly: true,
      kind: "file"
    }))
  ];
  for (const b of binds) {
    b.destination = path7.posix.join(
      "/",
      path7.relative(rootfs, prepareMountPoint(rootfs, b.destination, b.kind))
    );
  }
  const config = containerSpec({
    args: [...entrypoint, ...spec.args],
    env,
    root: "rootfs",
    binds,
    arch: options.arch,
    memoryBytes: options.memoryBytes,
    cpus: options.cpus
  });
  fs9.writeFileSync(path7.join(bundle, "config.json"), JSON.stringify(config), {
    mode: 384,
    flag: "wx"
  });
  return layer;
}

// src/runtime/cli.ts
import { spawnSync } from "node:child_process";
import { randomBytes as randomBytes3 } from "node:crypto";
var CONTAINER_ID = /^kaniko-build-[0-9a-f]{16}$/;
function newContainerId() {
  return `kaniko-build-${randomBytes3(8).toString("hex")}`;
}
function checked(id) {
  if (!CONTAINER_ID.test(id))
    throw new Error(`${JSON.stringify(id)} is not a container id of the action.`);
  return id;
}
var COMMAND_TIMEOUT_MS = 3e4;
var RuntimeCli = class {
  constructor(runtime, stateRoot) {
    this.runtime = runtime;
    this.stateRoot = stateRoot;
  }
  runtime;
  stateRoot;
  /** The full argv of a runtime command, with `sudo -n` when not root. */
  argv(...args) {
    return privileged(this.runtime.privilege, [
      this.runtime.binary,
      "--root",
      this.stateRoot,
      ...args
    ]);
  }
  /** `run` in the foreground: its exit status is the container process's. */
  runArgv(id, bundle, pidFile) {
    return this.argv("run", "--bundle", bundle, "--pid-file", pidFile, checked(id));
  }
  /** Sends SIGKILL to the container's init, which ends its PID namespace. */
  async kill(id) {
    const { code, output } = await runQuiet(this.argv("kill", checked(id), "KILL"));
    return { ok: code === 0, output };
  }
  /** Kills what is left of the container and deletes it; `false` when it does not exist. */
  async delete(id) {
    const { code, output } = await runQuiet(this.argv("delete", "--force", checked(id)));
    return { ok: code === 0, output };
  }
  /** `delete --force`, synchronously: for a signal handler, which cannot wait for a promise. */
  deleteSync(id) {
    const [command, ...args] = this.argv("delete", "--force", checked(id));
    spawnSync(command, args, {
      stdio: "ignore",
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" },
      timeout: COMMAND_TIMEOUT_MS
    });
  }
};

// src/runtime/discover.ts
import * as path8 from "node:path";
var AUTO_RUNTIMES = ["runc", "crun"];
var INSTALL_HINT = "sudo apt-get install -y runc";
function candidates(choice) {
  return choice === "auto" ? AUTO_RUNTIMES : [choice];
}
async function probeRunner(choice) {
  const probe = {
    platform: process.platform,
    uid: process.getuid?.() ?? -1,
    privilege: void 0,
    binaries: {}
  };
  if (probe.platform !== "linux") return probe;
  probe.privilege = await findPrivilege();
  for (const c of candidates(choice)) probe.binaries[c] = locateTool(c);
  return probe;
}
function decideRuntime(choice, probe) {
  const lead = `Input 'runtime' is '${choice}', but`;
  if (probe.platform !== "linux") {
    return {
      ok: false,
      message: `${lead} builds run in runc or crun containers, which need Linux, and this runner runs ${probe.platform}. Run the job on a Linux runner (e.g. 'runs-on: ubuntu-latest').`
    };
  }
  if (probe.privilege === void 0) {
    return {
      ok: false,
      message: `${lead} the job runs as uid ${probe.uid}, not root, and 'sudo -n' does not work without a password; the runtime needs root. Use a runner where the job is root or has passwordless sudo (GitHub's Ubuntu runners do).`
    };
  }
  for (const name of candidates(choice)) {
    const binary = probe.binaries[name];
    if (binary) return { ok: true, name, binary, privilege: probe.privilege };
  }
  if (choice === "auto") {
    return {
      ok: false,
      message: `No OCI runtime on this runner: 'runtime: auto' needs runc or crun (looked in ${SYSTEM_PATH}). Install one in a step before this one: ${INSTALL_HINT}`
    };
  }
  if (path8.isAbsolute(choice)) {
    return {
      ok: false,
      message: `${lead} there is no executable file at ${choice}. Give the path of a runc or crun binary, or use 'runtime: auto'.`
    };
  }
  return {
    ok: false,
    message: `${lead} ${choice} is not installed on this runner (looked in ${SYSTEM_PATH}). Install it in a step before this one (sudo apt-get install -y ${choice}), or use 'runtime: auto'.`
  };
}
async function findRuntime(choice, probe) {
  const decision = decideRuntime(choice, probe ?? await probeRunner(choice));
  if (!decision.ok) throw new Error(decision.message);
  const { code, output } = await runQuiet([decision.binary, "--version"]).catch((error) => ({
    code: null,
    output: error.message
  }));
  if (code !== 0) {
    throw new Error(
      `The OCI runtime ${decision.binary} does not run ('--version' failed: ${output || `exit status ${code}`}). Install a working runc or crun (${INSTALL_HINT}).`
    );
  }
  return {
    name: decision.name,
    binary: decision.binary,
    privilege: decision.privilege,
    version: output.split("\n")[0] ?? ""
  };
}

// src/runtime/lifecycle.ts
var ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
var running = /* @__PURE__ */ new Map();
function onEndingSignal(signal) {
  for (const [id, cli] of running) cli.deleteSync(id);
  running.clear();
  for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  process.kill(process.pid, signal);
}
var ContainerLedger = class {
  constructor(cli, record) {
    this.cli = cli;
    this.record = record;
  }
  cli;
  record;
  started = [];
  /** Records `id` (and hands the list to `record`) before the container starts. */
  begin(id) {
    this.started.push(id);
    this.record?.([...this.started]);
    if (running.size === 0) for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
    running.set(id, this.cli);
  }
  /** The container is gone (or was never made). */
  end(id) {
    if (!running.delete(id)) return;
    if (running.size === 0)
      for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  }
};

// src/runtime/supervise.ts
import { spawn as spawn2 } from "node:child_process";
import * as fs10 from "node:fs";
import * as readline from "node:readline";
var KILL_RETRY_MS = 250;
var SETUP_LINES = 5;
var ContainerStartError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ContainerStartError";
  }
};
function hintFor(output) {
  if (/cgroups? in hybrid mode not supported/i.test(output)) {
    return " This crun does not support the runner's mixed cgroup v1/v2 layout: use 'runtime: runc'.";
  }
  if (/executable file not found|no such file or directory/i.test(output)) {
    return " Check that the executor image is a kaniko executor.";
  }
  return "";
}
function supervise(cli, id, bundle, pidFile, spec) {
  const [command, ...args] = cli.runArgv(id, bundle, pidFile);
  return new Promise((resolve, reject) => {
    const child = spawn2(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: SYSTEM_PATH, LC_ALL: "C" }
    });
    const tail = [];
    const emit = (line) => {
      tail.push(line);
      if (tail.length > SETUP_LINES) tail.shift();
      spec.onLine(line);
    };
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", emit);
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", emit);
    let killedFor;
    let retry;
    let ended = false;
    const kill = (reason) => {
      if (killedFor !== void 0) return;
      killedFor = reason;
      const attempt = () => {
        if (ended) return;
        void cli.kill(id).finally(() => {
          if (!ended) retry = setTimeout(attempt, KILL_RETRY_MS);
        });
      };
      attempt();
    };
    const onAbort = () => kill("aborted");
    if (spec.signal?.aborted) queueMicrotask(onAbort);
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = spec.timeoutMs !== void 0 ? setTimeout(() => kill("timeout"), spec.timeoutMs) : void 0;
    const done = () => {
      ended = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      spec.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (error) => {
      done();
      reject(
        new ContainerStartError(
          `Could not start the OCI runtime ${cli.runtime.binary}: ${error.message}`
        )
      );
    });
    child.on("close", (code, signal) => {
      done();
      const started = fs10.existsSync(pidFile);
      if (killedFor !== void 0) {
        resolve({ exitCode: null, signal: "SIGKILL", killed: killedFor });
      } else if (!started) {
        const detail = tail.join(" / ") || `exit status ${code ?? signal}`;
        reject(
          new ContainerStartError(
            `${cli.runtime.name} could not start the build's container: ${detail}.${hintFor(detail)}`
          )
        );
      } else {
        resolve({ exitCode: code, signal });
      }
    });
  });
}

// src/runtime/select.ts
var WORK_DIR_PREFIX = "kaniko-release-builds-";
var STATE_DIR = "state";
function makeWorkDir() {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs11.mkdirSync(base, { recursive: true });
  return fs11.mkdtempSync(path9.join(fs11.realpathSync(base), WORK_DIR_PREFIX));
}
async function selectRuntime(inputs, options = {}) {
  const arch = seccompArch();
  if (!arch) {
    throw new Error(
      `Builds run on amd64 and arm64 runners; this one is ${process.arch}. Use an x64 or arm64 Linux runner.`
    );
  }
  const oci = await findRuntime(inputs.runtime, options.probe);
  const log = options.log ?? ((line) => info(line));
  const workDir = makeWorkDir();
  const stateRoot = path9.join(workDir, STATE_DIR);
  fs11.mkdirSync(stateRoot, { mode: 448 });
  const cli = new RuntimeCli(oci, stateRoot);
  const ledger = new ContainerLedger(cli, options.record);
  let preferOverlay = true;
  const run = async (spec) => {
    const paths = checkRunPaths(spec);
    assertUnchanged(spec.executor.rootfs, spec.executor.fingerprint);
    const id = newContainerId();
    const bundle = path9.join(workDir, id);
    fs11.mkdirSync(bundle, { mode: 448 });
    let outcome;
    let failure;
    let started = false;
    try {
      const layer = await writeBundle(bundle, spec, paths, {
        privilege: oci.privilege,
        arch,
        caCertificates: inputs.caCertificates,
        memoryBytes: inputs.memoryBytes ?? 0,
        cpus: inputs.cpus ?? 0,
        preferOverlay
      });
      if (layer.overlayError !== void 0 && preferOverlay) {
        preferOverlay = false;
        log(
          `The executor's root cannot be an overlay here (${layer.overlayError}); every build copies it instead, which is slower.`
        );
      }
      ledger.begin(id);
      started = true;
      outcome = await supervise(cli, id, bundle, path9.join(bundle, "pid"), spec);
    } catch (error) {
      failure = error;
    }
    try {
      if (started && fs11.existsSync(path9.join(stateRoot, id))) {
        const deleted = await cli.delete(id);
        if (!deleted.ok && fs11.existsSync(path9.join(stateRoot, id))) {
          throw new Error(`Could not delete the container ${id}: ${deleted.output}`);
        }
      }
      ledger.end(id);
      await dropRootLayer(bundle, oci.privilege);
      await removeTree(bundle, oci.privilege);
    } catch (error) {
      if (failure === void 0) failure = error;
      else log(`Cleaning up after the build failed too: ${errorMessage(error)}`);
    }
    if (failure !== void 0) throw failure;
    return outcome;
  };
  return { name: oci.name, version: oci.version, workDir, run };
}

export {
  downloadBlob,
  baseImagesOfPlans,
  startBaseCache,
  removeBaseCache,
  CONTAINER_CONTEXT,
  CONTAINER_OUTPUT,
  rootParts,
  lstatOrNull,
  resolveInRoot,
  findEntry,
  installEntry,
  findPrivilege,
  unmountBelow,
  removeTree,
  CONTAINER_ID,
  RuntimeCli,
  findRuntime,
  WORK_DIR_PREFIX,
  STATE_DIR,
  selectRuntime
};
