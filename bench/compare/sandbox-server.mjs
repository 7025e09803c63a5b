// A loopback HTTP server that answers every request by running the handler in
// a fresh sandbox of one kind: `isolated-vm` (a new V8 isolate), `quickjs` (a
// new QuickJS context in WebAssembly) or `child-process` (a new Node process).
// Started by alternatives.mjs in its own process, so it never shares an event
// loop with the load generator; reports { port } over IPC.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HANDLER_SOURCE, ROW_JSON } from "./handler.mjs";

const kind = process.argv[2];
const here = path.dirname(fileURLToPath(import.meta.url));

async function makeRunner() {
  if (kind === "isolated-vm") {
    const { default: ivm } = await import("isolated-vm");
    return async (input) => {
      const isolate = new ivm.Isolate({ memoryLimit: 16 });
      try {
        const context = await isolate.createContext();
        await context.global.set("input", input);
        const script = await isolate.compileScript(HANDLER_SOURCE);
        return await script.run(context, { timeout: 1000 });
      } finally {
        isolate.dispose();
      }
    };
  }
  if (kind === "quickjs") {
    const { getQuickJS } = await import("quickjs-emscripten");
    // The WebAssembly module is compiled once, like a runtime that is already running; each request gets a new context.
    const quickjs = await getQuickJS();
    return async (input) => {
      const context = quickjs.newContext();
      try {
        const value = context.newString(input);
        context.setProp(context.global, "input", value);
        value.dispose();
        const result = context.unwrapResult(context.evalCode(HANDLER_SOURCE));
        const body = context.getString(result);
        result.dispose();
        return body;
      } finally {
        context.dispose();
      }
    };
  }
  if (kind === "child-process") {
    const script = path.join(here, "child-handler.mjs");
    return (input) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [script, input], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (chunk) => (out += chunk));
        child.on("error", reject);
        child.on("exit", (code) =>
          code === 0 ? resolve(out) : reject(new Error(`handler process exited with ${code}`)),
        );
      });
  }
  throw new Error(`unknown sandbox kind: ${kind}`);
}

const run = await makeRunner();
const server = http.createServer(async (req, res) => {
  req.resume();
  try {
    const body = await run(ROW_JSON);
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
