import { IDEMPOTENCY_HEADER, INVOKE_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import { MAX_SUBREQUESTS_PER_REQUEST, subrequestBudgetMessage } from "./request-limits";
import { GUARD_MODULE, guardModuleSource } from "./guard-runtime";
import { RESERVED_DIRECTORY } from "../core/api-shapes/source-rules";

/** The main module of every app bundle: Kiln's wrapper, which imports the app's bundled code. */
export const WRAPPER_MAIN = `${RESERVED_DIRECTORY}/main.js`;

/** The app's own code, bundled; at the root, where its `./kiln-lib/...` imports resolve. */
export const APP_MODULE = "app.js";

const REQUEST_ID_MODULE_NAME = `${RESERVED_DIRECTORY}/request-id.js`;

/** Name of the wrapper's named entrypoint that reports the app's declared tables. */
export const META_ENTRYPOINT = "KilnMeta";

/**
 * Attribution module. Imported first by the wrapper so `fetch` is wrapped
 * before any app module runs (ES modules evaluate in import order). Its
 * storage is the one invocation context of the isolate: `{ requestId }`, or
 * the guard's run, which carries the id too (one AsyncLocalStorage.run per
 * request instead of two: each costs ~1.5 µs).
 */
const REQUEST_ID_MODULE = `
import { AsyncLocalStorage } from "node:async_hooks";

export const REQUEST_ID_HEADER = ${JSON.stringify(REQUEST_ID_HEADER)};
export const invocationStorage = new AsyncLocalStorage();

export const IDEMPOTENCY_HEADER = ${JSON.stringify(IDEMPOTENCY_HEADER)};

const MAX_OUTBOUND = ${MAX_SUBREQUESTS_PER_REQUEST};
const OVER_BUDGET = ${JSON.stringify(subrequestBudgetMessage(MAX_SUBREQUESTS_PER_REQUEST))};
const platformFetch = globalThis.fetch;
const NativeError = Error;
const rejectWith = Promise.reject.bind(Promise);
// Every fetch made while serving a request carries that request's id, so the
// platform's egress proxy can attribute it. Inside an automation run each write
// also carries the run's key and its ordinal, the same on every retry of that
// run, so the proxy can make a connector's write idempotent (Stripe).
globalThis.fetch = function fetch(input, init) {
  const run = invocationStorage.getStore();
  const requestId = run?.requestId;
  if (requestId === undefined || requestId === null) return platformFetch.call(globalThis, input, init);
  const request = new Request(input, init);
  // The egress proxy refuses every call of a request past its budget; the first of those still goes out (the
  // proxy logs the stop once), the rest are refused here: each platform fetch costs the isolate 0.05-0.5 ms,
  // and a flood of them charged to the app's turn got it stopped by the CPU guard (a 500 instead of the refusals).
  run.outbound = (run.outbound ?? 0) + 1;
  if (run.outbound > MAX_OUTBOUND + 1) return rejectWith(new NativeError(OVER_BUDGET));
  request.headers.set(REQUEST_ID_HEADER, requestId);
  if (run.idempotencyKey && request.method !== "GET" && request.method !== "HEAD") {
    run.writes += 1;
    request.headers.set(IDEMPOTENCY_HEADER, run.idempotencyKey + ":" + run.writes);
  }
  return platformFetch.call(globalThis, request);
};
`;

/**
 * The wrapper. Not bundled: it ships as its own module, so the app cannot
 * import it and the loop guards never instrument it. It imports the
 * attribution module and the guard before the app, so both are set up (and
 * capture the globals they use) before any app module is evaluated.
 */
function mainModule(entry: string, guarded: boolean): string {
  const guardImport = guarded
    ? `import { invoke, started } from "./guard.js";`
    : [
        "// Built without guards (benchmarks only): attribution alone.",
        "const invoke = (body, requestId, idempotencyKey = null) => (requestId === null ? body() : invocationStorage.run({ requestId, idempotencyKey, writes: 0, outbound: 0 }, body));",
        "const started = () => {};",
      ].join("\n");
  return `
import { REQUEST_ID_HEADER, invocationStorage } from "./request-id.js";
${guardImport}
import { WorkerEntrypoint } from "cloudflare:workers";
import * as app from "../${APP_MODULE}";

const handler = app.default;
started();

// env.FILES is an RPC stub, across which a File or Blob (a form's upload) cannot travel: put() sends its bytes and
// type instead. One wrapped env per env object the runtime hands in.
const withFilesCache = new WeakMap();
function withFiles(env) {
  const files = env?.FILES;
  if (!files || typeof env !== "object") return env;
  let wrapped = withFilesCache.get(env);
  if (!wrapped) {
    const put = async (name, body, options) =>
      body instanceof Blob
        ? files.put(name, await body.arrayBuffer(), { contentType: body.type || undefined, ...options })
        : files.put(name, body, options);
    const FILES = { put, get: (n) => files.get(n), list: (o) => files.list(o), delete: (n) => files.delete(n), url: (n, o) => files.url(n, o) };
    wrapped = { ...env, FILES };
    withFilesCache.set(env, wrapped);
  }
  return wrapped;
}

export default {
  fetch(request, env, ctx) {
    env = withFiles(env);
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    if (requestId !== null) {
      request = new Request(request);
      request.headers.delete(REQUEST_ID_HEADER);
    }
    const event = request.headers.get(${JSON.stringify(INVOKE_HEADER)});
    if (event === "automation") return runAutomation(request, env, ctx, requestId);
    if (event === "stripe") return handleStripeEvent(request, env, ctx, requestId);
    if (event === "tools") return handleTools(request, env, ctx, requestId);
    if (handler === null || (typeof handler !== "object" && typeof handler !== "function") || typeof handler.fetch !== "function") {
      return new Response(${JSON.stringify(`${entry} does not export default a fetch handler.`)}, { status: 500 });
    }
    // Each call is one invocation for the guard: its own CPU budget per turn.
    return invoke(() => handler.fetch(request, env, ctx), requestId);
  },
};

// One run of an exported automation. Its answer is JSON, never the app's own
// Response: { ok: true, output } or { ok: false, error } (the stack goes to the logs).
async function runAutomation(request, env, ctx, requestId) {
  const { name, run } = await request.json();
  const automation = app.automations?.[name];
  if (automation === null || typeof automation !== "object" || typeof automation.run !== "function") {
    return Response.json({ ok: false, missing: true, error: "this version has no automation named " + JSON.stringify(name) });
  }
  try {
    const output = await invoke(() => automation.run(run, env, ctx), requestId, run.idempotencyKey);
    let text;
    try {
      text = JSON.stringify({ ok: true, output: output === undefined ? null : output });
    } catch (error) {
      return Response.json({ ok: false, error: "the automation finished, but what it returned cannot be saved as JSON (" + error.message + ")" });
    }
    return new Response(text, { headers: { "content-type": "application/json" } });
  } catch (error) {
    console.error("Automation " + name + " failed:", error instanceof Error ? (error.stack ?? error.message) : String(error));
    return Response.json({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

// A verified Stripe event for the app's onStripeEvent export; answered like an automation run.
async function handleStripeEvent(request, env, ctx, requestId) {
  const event = await request.json();
  if (typeof app.onStripeEvent !== "function") return Response.json({ ok: true, output: { handled: false } });
  try {
    await invoke(() => app.onStripeEvent(event, env, ctx), requestId);
    return Response.json({ ok: true, output: { handled: true } });
  } catch (error) {
    console.error("onStripeEvent failed on " + event.type + ":", error instanceof Error ? (error.stack ?? error.message) : String(error));
    return Response.json({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

// Kiln's MCP endpoint (serving/app-mcp.ts) asking about the exported tools: { op: "list" } answers their
// descriptions, { op: "call", name, input, caller } validates the input against the tool's schema, then runs it.
async function handleTools(request, env, ctx, requestId) {
  const { op, name, input, caller } = await request.json();
  const declared = app.tools !== null && typeof app.tools === "object" ? app.tools : {};
  if (op === "list") return Response.json({ ok: true, output: invoke(() => listedTools(declared), requestId) });
  const tool = typeof name === "string" && Object.hasOwn(declared, name) ? declared[name] : null;
  if (tool === null || typeof tool !== "object" || typeof tool.run !== "function") {
    return Response.json({ ok: false, missing: true, error: "this app has no tool named " + JSON.stringify(name) });
  }
  const roles = Array.isArray(tool.roles) ? tool.roles : [];
  if (roles.length > 0 && !(caller && caller.roles.some((role) => role === "owner" || roles.includes(role)))) {
    return Response.json({ ok: false, refused: true, error: "the tool " + name + " is only for " + roles.join(" or ") });
  }
  try {
    const output = await invoke(async () => {
      const checked = tool.input ? await tool.input["~standard"].validate(input ?? {}) : { value: input ?? {} };
      if (checked.issues) return { invalid: checked.issues.map((issue) => ((issue.path ?? []).map((p) => (typeof p === "object" ? p.key : p)).join(".") || "input") + ": " + issue.message).join("; ") };
      return { output: await tool.run(checked.value, env, caller ?? null) };
    }, requestId);
    if ("invalid" in output) return Response.json({ ok: false, invalid: true, error: output.invalid });
    return Response.json({ ok: true, output: output.output === undefined ? null : output.output });
  } catch (error) {
    console.error("Tool " + name + " failed:", error instanceof Error ? (error.stack ?? error.message) : String(error));
    return Response.json({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

// Tools as MCP lists them, made once per isolate: the declarations are module constants.
let toolList = null;
function listedTools(declared) {
  toolList ??= Object.entries(describeTools(declared) ?? {}).map(([name, tool]) => ({ name, description: tool.description, roles: tool.roles ?? [], inputSchema: tool.inputSchema }));
  return toolList;
}

// What the platform reads of the tools: description, roles and the input's JSON Schema (zod's own
// toJSONSchema, here in the isolate where the schema lives), never the handler.
function describeTools(declared) {
  if (declared === undefined || declared === null) return null;
  if (typeof declared !== "object") return declared;
  const described = {};
  for (const [name, tool] of Object.entries(declared)) {
    if (tool === null || typeof tool !== "object") {
      described[name] = tool;
      continue;
    }
    const { run, input, ...settings } = tool;
    let inputSchema = { type: "object", properties: {} };
    let inputProblem = null;
    if (input !== undefined) {
      try {
        if (typeof input?.["~standard"]?.validate !== "function" || typeof input.toJSONSchema !== "function") throw new Error("it is not a zod schema");
        const { $schema, ...schema } = input.toJSONSchema({ io: "input" });
        inputSchema = schema;
      } catch (error) {
        inputProblem = error instanceof Error ? error.message : String(error);
      }
    }
    described[name] = { ...JSON.parse(JSON.stringify(settings)), keys: Object.keys(tool), run: typeof run, inputSchema, inputProblem };
  }
  return described;
}

// What the platform reads of an automation: plain settings, never the handler.
function describeAutomations(declared) {
  if (declared === undefined || declared === null) return null;
  if (typeof declared !== "object") return declared;
  const described = {};
  for (const [name, automation] of Object.entries(declared)) {
    if (automation === null || typeof automation !== "object") {
      described[name] = automation;
      continue;
    }
    const { run, ...settings } = automation;
    // A JSON round trip drops anything RPC could not carry back (functions among the settings).
    described[name] = { ...JSON.parse(JSON.stringify(settings)), run: typeof run };
  }
  return described;
}

// Declarations the platform checks itself: a JSON round trip keeps only plain data (what RPC can carry back).
function plain(value) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value) ?? "null");
}

/** Lets the platform read the app's declared schema, checks, automations, roles, access, setup and tools from a loaded isolate. */
export class ${META_ENTRYPOINT} extends WorkerEntrypoint {
  describe() {
    return invoke(() => ({
      tables: app.tables ?? null,
      checks: app.checks ?? null,
      automations: describeAutomations(app.automations),
      roles: plain(app.roles),
      access: plain(app.access),
      setup: plain(app.setup),
      tools: describeTools(app.tools),
    }), null);
  }
}

`;
}

/**
 * The wrapper's modules (module name → source) around the app's bundled code
 * for the app whose entry file is `entry` (e.g. `src/index.ts`, for messages),
 * with the guard's CPU budget, or null to build without guards.
 */
export function wrapperModules(entry: string, cpuBudgetMs: number | null): Record<string, string> {
  const modules: Record<string, string> = {
    [WRAPPER_MAIN]: mainModule(entry, cpuBudgetMs !== null),
    [REQUEST_ID_MODULE_NAME]: REQUEST_ID_MODULE,
  };
  if (cpuBudgetMs !== null) modules[GUARD_MODULE] = guardModuleSource(cpuBudgetMs, "./request-id.js");
  return modules;
}
