import { RESERVED_DIRECTORY } from "./source-files";

/** Header the platform puts on each request to an app; the egress proxy reads it back on outgoing fetches. */
export const REQUEST_ID_HEADER = "x-kiln-request-id";

/** Bundler entry point: Kiln's wrapper module, which imports the user's entry. */
export const WRAPPER_ENTRY = `${RESERVED_DIRECTORY}/main.js`;

/** Name of the wrapper's named entrypoint that reports the app's declared tables. */
export const META_ENTRYPOINT = "KilnMeta";

/**
 * Attribution module. Imported first by the wrapper so `fetch` is wrapped
 * before any app module runs (ES modules evaluate in import order).
 */
const REQUEST_ID_MODULE = `
import { AsyncLocalStorage } from "node:async_hooks";

export const REQUEST_ID_HEADER = ${JSON.stringify(REQUEST_ID_HEADER)};
export const requestIdStorage = new AsyncLocalStorage();

const platformFetch = globalThis.fetch;
// Every fetch made while serving a request carries that request's id, so the
// platform's egress proxy can attribute it.
globalThis.fetch = function fetch(input, init) {
  const requestId = requestIdStorage.getStore();
  if (requestId === undefined) return platformFetch.call(globalThis, input, init);
  const request = new Request(input, init);
  request.headers.set(REQUEST_ID_HEADER, requestId);
  return platformFetch.call(globalThis, request);
};
`;

function mainModule(entry: string): string {
  return `
import { REQUEST_ID_HEADER, requestIdStorage } from "./request-id.js";
import { WorkerEntrypoint } from "cloudflare:workers";
import * as app from ${JSON.stringify(`../${entry}`)};

// Read through Reflect so the bundler does not warn about exports an app may omit.
const handler = Reflect.get(app, "default");

export default {
  fetch(request, env, ctx) {
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    if (requestId !== null) {
      request = new Request(request);
      request.headers.delete(REQUEST_ID_HEADER);
    }
    if (handler === null || (typeof handler !== "object" && typeof handler !== "function") || typeof handler.fetch !== "function") {
      return new Response(${JSON.stringify(`${entry} does not export default a fetch handler.`)}, { status: 500 });
    }
    if (requestId === null) return handler.fetch(request, env, ctx);
    return requestIdStorage.run(requestId, () => handler.fetch(request, env, ctx));
  },
};

/** Lets the platform read the app's declared schema from a loaded isolate. */
export class ${META_ENTRYPOINT} extends WorkerEntrypoint {
  describe() {
    return { tables: Reflect.get(app, "tables") ?? null };
  }
}
`;
}

/** The wrapper's files (bundler paths → source) around the user's entry file, e.g. `src/index.ts`. */
export function wrapperFiles(entry: string): Record<string, string> {
  return {
    [WRAPPER_ENTRY]: mainModule(entry),
    [`${RESERVED_DIRECTORY}/request-id.js`]: REQUEST_ID_MODULE,
  };
}
