import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  Http,
  HttpError,
  Logins,
  MAX_TAGS,
  MAX_TAG_PAGES,
  RegistryClient,
  RegistryError,
  isRetryableStatus,
  redactUrl,
  registryFailure,
  scopesFor,
  snippet,
  statusText,
  tokenFromBody
} from "./chunk-MQ2SDFHZ.js";
import {
  plain,
  sha256Digest
} from "./chunk-E5RWFZEF.js";
import {
  Defaults
} from "./chunk-TOPFUZQF.js";

// src/registry/hub-client.ts
var HUB_PAGE_SIZE = 100;
var HubClient = class {
  constructor(http, apiUrl, credentials, options = {}) {
    this.http = http;
    this.apiUrl = apiUrl;
    this.credentials = credentials;
    this.options = options;
    this.apiUrl = apiUrl.replace(/\/+$/, "");
    this.origin = new URL(this.apiUrl).origin;
    if (credentials && (!credentials.username || !credentials.password))
      this.credentials = void 0;
  }
  http;
  apiUrl;
  credentials;
  options;
  token;
  origin;
  /** Every tag of `namespace/name`, all pages in order; `null` when the Hub answers 404 at once. */
  async listTags(namespace, name) {
    const repository = `${namespace}/${name}`;
    const tags = [];
    const visited = /* @__PURE__ */ new Set();
    let url = `${this.apiUrl}/v2/namespaces/${encodeURIComponent(namespace)}/repositories/${encodeURIComponent(name)}/tags?page_size=${HUB_PAGE_SIZE}`;
    const maxPages = this.options.maxPages ?? MAX_TAG_PAGES;
    const maxTags = this.options.maxTags ?? MAX_TAGS;
    const tooMany = (url2, limit) => new RegistryError(
      `The Docker Hub tag list of ${repository} runs over ${limit}; the action stops reading there rather than guess a version. Set 'version' to release without reading the tags, or delete old tags.`,
      redactUrl(url2),
      200
    );
    for (let page = 1; url !== null; page++) {
      if (page > maxPages) throw tooMany(url, `${maxPages} pages`);
      if (visited.has(url)) {
        throw new RegistryError(
          `The Docker Hub tag list of ${repository} does not end: page ${page} links back to ${redactUrl(url)}.`,
          redactUrl(url),
          200
        );
      }
      visited.add(url);
      const { response, body } = await this.get(url);
      if (response.status === 404 && page === 1 && isJson(response)) return null;
      if (response.status !== 200) throw this.failure(url, response, body, repository, page);
      const parsed = parsePage(body, url, response, repository);
      if (tags.length + parsed.results.length > maxTags) throw tooMany(url, `${maxTags} tags`);
      for (const r of parsed.results) tags.push(r.name);
      url = parsed.next === null ? null : this.sameOrigin(parsed.next, url, repository);
    }
    return tags;
  }
  /** GET with the Hub token when there are credentials; a refused token is renewed once. */
  async get(url) {
    const headers = async () => {
      const h = { accept: "application/json" };
      if (this.credentials) h.authorization = `Bearer ${await this.login()}`;
      return h;
    };
    let result = await this.http.fetchBody(url, { method: "GET", headers: await headers() });
    if (result.response.status === 401 && this.credentials) {
      this.token = void 0;
      result = await this.http.fetchBody(url, { method: "GET", headers: await headers() });
    }
    return result;
  }
  /** One login per client, shared by concurrent requests. */
  login() {
    this.token ??= this.createToken().catch((error) => {
      this.token = void 0;
      throw error;
    });
    return this.token;
  }
  async createToken() {
    const { username, password } = this.credentials;
    const api = new URL(this.apiUrl);
    if (api.protocol === "http:" && !this.http.isInsecure(api.host)) {
      throw new RegistryError(
        `'hub-api-url' ${this.apiUrl} is plain HTTP; refusing to send the password over it. Use https, or add ${api.host} to 'insecure-registries' if that is intended (a local mirror).`,
        `${this.apiUrl}/v2/auth/token`,
        401
      );
    }
    const post = (path, payload) => this.http.fetchBody(`${this.apiUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(payload),
      // Creating a token changes nothing that matters: safe to send again.
      retry: true
    });
    let url = `${this.apiUrl}/v2/auth/token`;
    let { response, body } = await post("/v2/auth/token", {
      identifier: username,
      secret: password
    });
    if (response.status === 404 || response.status === 405) {
      url = `${this.apiUrl}/v2/users/login`;
      ({ response, body } = await post("/v2/users/login", { username, password }));
    }
    if (response.status === 200) {
      return tokenFromBody(body, ["access_token", "token"], `Docker Hub API ${url} (login)`, url);
    }
    const hint = response.status === 401 || response.status === 403 ? ` Check 'username' and 'password'; the password may be a personal access token (it needs at least read access to the repositories).` : response.status === 429 ? " Docker Hub rate-limits this client; wait and re-run the job." : response.status >= 500 ? " Docker Hub failed; re-run the job later." : "";
    throw new RegistryError(
      `Docker Hub login at ${url} as ${JSON.stringify(username)} answered ${statusText(response)}${detail(body)}.${hint}`,
      url,
      response.status
    );
  }
  sameOrigin(next, current, repository) {
    let target;
    try {
      target = new URL(next, current);
    } catch (cause) {
      throw new RegistryError(
        `Docker Hub API ${redactUrl(current)} gave an unusable next page ${JSON.stringify(next)} for ${repository}.`,
        redactUrl(current),
        200,
        { cause }
      );
    }
    if (target.origin !== this.origin) {
      throw new RegistryError(
        `Docker Hub API ${redactUrl(current)} points the next page of ${repository} to another origin (${redactUrl(target)}); the action only follows pages on ${this.origin}. Check 'hub-api-url'.`,
        redactUrl(current),
        200
      );
    }
    return target.href;
  }
  failure(url, response, body, repository, page) {
    const shown = redactUrl(url);
    let hint = "";
    switch (response.status) {
      case 401:
        hint = this.credentials ? ` Check 'username' and 'password'; a personal access token needs read access to ${repository}.` : ` Set 'username' and 'password' to read ${repository}.`;
        break;
      case 403:
        hint = ` The credentials may not read ${repository}: check the token's access (a personal access token needs at least 'Public Repo Read-only', or read access to private repositories).`;
        break;
      case 404:
        hint = page > 1 ? ` The repository may have been deleted while its tags were read; re-run the job.` : ` The answer is not the Hub's JSON: check 'hub-api-url'.`;
        break;
      case 429:
        hint = " Docker Hub rate-limits this client; wait and re-run the job, or give credentials.";
        break;
      default:
        if (response.status >= 500) hint = " Docker Hub failed; re-run the job later.";
    }
    return new RegistryError(
      `Docker Hub API ${shown}${page > 1 ? ` (page ${page})` : ""} answered ${statusText(response)}${detail(body)}.${hint}`,
      shown,
      response.status
    );
  }
};
function isJson(response) {
  return (response.headers.get("content-type") ?? "").toLowerCase().includes("json");
}
function detail(body) {
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    const text = [parsed.message, parsed.detail, parsed.details].find(
      (x) => typeof x === "string" && x !== ""
    );
    if (text) return ` (${plain(text)})`;
  } catch {
  }
  return body.length > 0 ? `: ${snippet(body)}` : "";
}
function parsePage(body, url, response, repository) {
  const shown = redactUrl(url);
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.toLowerCase().includes("html")) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered with an HTML page instead of JSON (a proxy or login page?): ${snippet(body)}. Check 'hub-api-url' and the network.`,
      shown,
      response.status
    );
  }
  let parsed;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (cause) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered 200 with a body that is not JSON: ${snippet(body)}`,
      shown,
      response.status,
      { cause }
    );
  }
  const page = parsed;
  const results = page?.results;
  if (typeof page !== "object" || page === null || !Array.isArray(results) || !results.every(
    (r) => typeof r === "object" && r !== null && typeof r.name === "string"
  ) || !(page.next === null || page.next === void 0 || typeof page.next === "string")) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered 200 without a tag page for ${repository} (expected {"next": \u2026, "results": [{"name": \u2026}]}): ${snippet(body)}`,
      shown,
      response.status
    );
  }
  return {
    next: typeof page.next === "string" && page.next !== "" ? page.next : null,
    results
  };
}

// src/registry/push.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
var DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
var SMALL_CHUNK_SIZE = 4 * 1024 * 1024;
var READ_SIZE = 1024 * 1024;
var UploadLost = class extends RegistryError {
};
var RegistryPusher = class {
  constructor(session, options = {}) {
    this.session = session;
    this.chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }
  session;
  /** Where this run has seen blobs on this host: digest → a repository that holds it. */
  seen = /* @__PURE__ */ new Map();
  chunkSize;
  /** Notes that `repository` holds these blobs, so a push to another repository can mount them. */
  remember(repository, digests) {
    for (const digest of digests) if (!this.seen.has(digest)) this.seen.set(digest, repository);
  }
  /**
   * Whether `repository` has the blob (HEAD). `from`: the repository a mount would read, so
   * that one token serves the check and the mount.
   */
  async blobExists(repository, digest, from) {
    const url = this.session.blobUrl(repository, digest);
    const scopes = scopesFor(repository, "push", from);
    const { response, body } = await this.session.buffered(scopes, url, { method: "HEAD" });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.failure("HEAD", url, response, body, repository);
  }
  /**
   * Makes sure `repository` has the blob: nothing to do when it is there; else mounted from a
   * repository of the host that holds it (one this run saw it in, else the first of
   * `mountFrom`); else uploaded from its file. A failed upload starts over (bounded).
   */
  async pushBlob(repository, blob, mountFrom = []) {
    const known = this.seen.get(blob.digest);
    const from = [known, ...mountFrom].find((r) => r !== void 0 && r !== repository);
    if (await this.blobExists(repository, blob.digest, from)) {
      this.remember(repository, [blob.digest]);
      return "exists";
    }
    const size = (await stat(blob.path)).size;
    if (size !== blob.size) {
      throw new Error(
        `The blob ${blob.digest} at ${blob.path} holds ${size} bytes, not the ${blob.size} its descriptor says.`
      );
    }
    let chunkSize = this.chunkSize;
    const outcome = await this.session.http.repeat(
      async () => {
        try {
          return await this.upload(repository, blob, from, chunkSize);
        } catch (error) {
          if (error instanceof RegistryError && error.status === 413 && chunkSize > SMALL_CHUNK_SIZE) {
            chunkSize = SMALL_CHUNK_SIZE;
            throw new UploadLost(error.message, error.url, 413, { cause: error });
          }
          throw error;
        }
      },
      (error) => error instanceof HttpError || error instanceof UploadLost || error instanceof RegistryError && isRetryableStatus(error.status)
    );
    this.remember(repository, [blob.digest]);
    return outcome;
  }
  /**
   * Puts a manifest or index under `reference` (a tag, or its digest) and returns its digest;
   * the registry's `Docker-Content-Digest`, when sent, must be the same.
   */
  async putManifest(repository, reference, body, mediaType) {
    const digest = sha256Digest(body);
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new Error(`A manifest with the digest ${digest} cannot be put as ${reference}.`);
    }
    const url = this.session.manifestUrl(repository, reference);
    const { response, body: answer } = await this.session.buffered(
      scopesFor(repository, "push"),
      url,
      // PUT is idempotent: the same manifest again is harmless, so it is retried like reads.
      { method: "PUT", headers: { "content-type": mediaType }, body, retry: true }
    );
    if (response.status !== 201 && response.status !== 200) {
      throw this.failure("PUT", url, response, answer, repository);
    }
    const stored = response.headers.get("docker-content-digest");
    if (stored && stored !== digest) {
      throw new RegistryError(
        `PUT ${redactUrl(url)} stored the digest ${stored}, not ${digest}.`,
        redactUrl(url),
        response.status
      );
    }
    return digest;
  }
  /** One try: open an upload (mounting when `from` has the blob), then send the bytes. */
  async upload(repository, blob, from, chunkSize) {
    const scopes = scopesFor(repository, "push", from);
    let url = `${this.session.base}/v2/${repository}/blobs/uploads/`;
    if (from !== void 0) {
      url += `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`;
    }
    const { response, body } = await this.session.buffered(scopes, url, {
      method: "POST",
      headers: { "content-length": "0" },
      retry: false
    });
    if (response.status === 201 && from !== void 0) {
      this.checkDigest(response, blob.digest, url);
      return "mounted";
    }
    if (response.status !== 202) throw this.failure("POST", url, response, body, repository);
    let location = this.session.resolveLocation(response.headers.get("location"), url, 202);
    const minimum = Number(response.headers.get("oci-chunk-min-length") ?? 0);
    const chunk = Math.max(chunkSize, Number.isSafeInteger(minimum) ? minimum : 0);
    if (blob.size > chunk) {
      for (let start = 0; start < blob.size; start += chunk) {
        const end = Math.min(blob.size, start + chunk) - 1;
        const patched = await this.send(scopes, location, "PATCH", blob.path, start, end, {
          "content-range": `${start}-${end}`
        });
        if (patched.response.status !== 202) {
          throw this.uploadFailure("PATCH", location, patched, repository);
        }
        location = this.session.resolveLocation(
          patched.response.headers.get("location"),
          location.href,
          202
        );
      }
    }
    const done = new URL(location);
    done.search += `${done.search ? "&" : "?"}digest=${encodeURIComponent(blob.digest)}`;
    const last = blob.size > chunk ? -1 : blob.size - 1;
    const put = await this.send(scopes, done, "PUT", blob.path, 0, last, {});
    if (put.response.status !== 201) throw this.uploadFailure("PUT", done, put, repository);
    this.checkDigest(put.response, blob.digest, done.href);
    return "uploaded";
  }
  /** Sends bytes `start`…`end` (inclusive; none when `end < start`) of a file. */
  async send(scopes, url, method, file, start, end, headers) {
    const length = Math.max(0, end - start + 1);
    const response = await this.session.streamed(
      scopes,
      url.href,
      {
        method,
        headers: {
          ...headers,
          "content-type": "application/octet-stream",
          "content-length": String(length)
        },
        retry: false
      },
      length > 0 ? () => createReadStream(file, { start, end, highWaterMark: READ_SIZE }) : void 0
    );
    const body = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
    return { response, body };
  }
  checkDigest(response, digest, url) {
    const stored = response.headers.get("docker-content-digest");
    if (stored && stored !== digest) {
      throw new RegistryError(
        `${redactUrl(url)} stored the blob as ${stored}, not ${digest}.`,
        redactUrl(url),
        response.status
      );
    }
  }
  /** An upload step's failure; a lost upload session (404) may start over. */
  uploadFailure(method, url, { response, body }, repository) {
    const error = this.failure(method, url.href, response, body, repository);
    if (response.status === 404 || response.status === 416) {
      return new UploadLost(error.message, error.url, error.status, { cause: error });
    }
    return error;
  }
  /** An error for an unexpected answer, saying what to do about it. */
  failure(method, url, response, body, repository) {
    return registryFailure(
      { method, url, response, body, repository, access: "push" },
      this.session.credentials !== void 0
    );
  }
};

// src/registry/clients.ts
function createHttp(inputs, options = {}) {
  return new Http({
    insecureRegistries: inputs.insecureRegistries,
    caCertificates: inputs.caCertificates,
    ...options
  });
}
var Registries = class {
  constructor(inputs, http = createHttp(inputs), logins, env = process.env) {
    this.inputs = inputs;
    this.http = http;
    this.logins = logins ?? new Logins(inputs, env);
  }
  inputs;
  http;
  clients = /* @__PURE__ */ new Map();
  pushers = /* @__PURE__ */ new Map();
  hub;
  logins;
  /** The distribution API client of a host (`apiHost`), logged in as the user is there. */
  client(apiHost) {
    let client = this.clients.get(apiHost);
    if (!client) {
      client = new RegistryClient(this.http, apiHost, this.logins.loginFor(apiHost));
      this.clients.set(apiHost, client);
    }
    return client;
  }
  /**
   * The push client of a host, sharing the session (login and tokens) of its reading client;
   * one per host, so it remembers where this run has seen each blob.
   */
  pusher(apiHost, options) {
    let pusher = this.pushers.get(apiHost);
    if (!pusher) {
      pusher = new RegistryPusher(this.client(apiHost).session, options);
      this.pushers.set(apiHost, pusher);
    }
    return pusher;
  }
  /** The Docker Hub API client (`hub-api-url`), logged in as the user is on Docker Hub. */
  hubClient() {
    this.hub ??= new HubClient(
      this.http,
      this.inputs.hubApiUrl ?? Defaults.hubApiUrl,
      this.logins.loginFor("docker.io")
    );
    return this.hub;
  }
  async listTags(ref) {
    if (ref.dockerHub) {
      const [namespace, ...rest] = ref.repository.split("/");
      return this.hubClient().listTags(namespace, rest.join("/"));
    }
    return this.client(ref.apiHost).listTags(ref.repository);
  }
  async digestOf(ref, tag) {
    return this.client(ref.apiHost).manifestDigest(ref.repository, tag);
  }
  /** Closes the connections of the HTTP layer. */
  close() {
    return this.http.close();
  }
};

export {
  createHttp,
  Registries
};
