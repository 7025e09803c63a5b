// Measures the systems Kiln is compared with, each behind its own loopback
// server and with the same closed-loop generator as Kiln: the bare workerd
// floor (hello-world, workerd binary + capnp config) and a fresh sandbox per
// request — isolated-vm isolate, QuickJS context, Node child process.
// Each load run is paired with a run of Kiln's warm app right before it, so
// the ratio of the two holds on a machine whose load changes over time.
// Each also gets sequential samples (one request at a time).
import { fork } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "../http.mjs";
import { closedLoop } from "../load.mjs";
import { startWorkerdHello } from "./workerd-hello.mjs";
import { waitForAnswer } from "./wait-for-answer.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The systems, in the order they are printed. */
export const ALTERNATIVES = [
  { id: "workerd-hello", label: "floor: plain workerd hello-world (workerd binary, capnp config)" },
  { id: "isolated-vm", label: "fresh isolated-vm isolate per request (Node)" },
  { id: "quickjs", label: "fresh quickjs-emscripten context per request (Node)" },
  { id: "child-process", label: "fresh Node child process per request (container lower bound)" },
];

/** Starts sandbox-server.mjs of `kind` in its own process; resolves { port, stop }. */
export function startSandboxServer(kind) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, "sandbox-server.mjs"), [kind], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    child.once("message", ({ port }) =>
      resolve({
        port,
        stop: () =>
          new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      }),
    );
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}: ${stderr}`)));
  });
}

// Keep-alive, like bench/http.mjs's requests for Kiln's (c): only the sandbox's own start is timed.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One keep-alive GET /; resolves its latency in ms. */
export function oneRequest(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
            : reject(new Error(`status ${res.statusCode}`)),
        );
      })
      .on("error", reject);
  });
}

/** `count` requests one after another; { p50, p95, rps, total }. */
async function sequential(port, count) {
  const times = [];
  for (let i = 0; i < count; i++) times.push(await oneRequest(port));
  times.sort((a, b) => a - b);
  const mean = times.reduce((s, x) => s + x, 0) / times.length;
  return { p50: percentile(times, 50), p95: percentile(times, 95), rps: 1000 / mean, total: times.length };
}

/**
 * Measures every alternative: for each, `measureKilnWarm(seconds)` (Kiln's
 * warm app under the same load) then the alternative for `seconds`, then
 * `sequentialSamples` requests one at a time. Rows carry `kilnWarm`, the
 * paired Kiln figure. A system that cannot start here (e.g. isolated-vm
 * without a prebuilt binary) becomes a row with `skipped` and the reason.
 */
export async function measureAlternatives({ connections, seconds, measureKilnWarm, sequentialSamples = 30 }) {
  const rows = [];
  for (const system of ALTERNATIVES) {
    let server;
    try {
      server = system.id === "workerd-hello" ? await startWorkerdHello() : await startSandboxServer(system.id);
      await waitForAnswer(server.port, 10_000);
    } catch (error) {
      await server?.stop();
      rows.push({ ...system, skipped: `could not start here: ${String(error.message ?? error).split("\n")[0]}` });
      continue;
    }
    try {
      await closedLoop({ port: server.port, host: "localhost", path: "/", connections, seconds: 1 });
      const kilnWarm = await measureKilnWarm(seconds);
      const load = await closedLoop({ port: server.port, host: "localhost", path: "/", connections, seconds });
      if (load.errors > 0) throw new Error(`${system.id}: ${load.errors} failed requests`);
      const oneAtATime = await sequential(server.port, sequentialSamples);
      rows.push({ ...system, connections, seconds, ...load, sequential: oneAtATime, kilnWarm });
    } finally {
      await server.stop();
    }
  }
  return rows;
}
