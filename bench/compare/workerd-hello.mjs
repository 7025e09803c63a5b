// The bare floor: a hello-world Worker (it answers the same small JSON as the
// other systems) served by the `workerd` binary Kiln itself runs, from a
// capnp config — no wrangler proxy, no Kiln code, one process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { workerdBinary } from "../../scripts/front-door.mjs";
import { freePort } from "../../scripts/supervisor.mjs";
import { waitForAnswer } from "./wait-for-answer.mjs";

const WORKER = `export default { fetch() { return Response.json({ id: 1, name: "one row" }); } };\n`;

/** Starts it on a free port; resolves { port, pid, stop }. */
export async function startWorkerdHello() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-workerd-hello-"));
  writeFileSync(path.join(dir, "hello.js"), WORKER);
  writeFileSync(
    path.join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .hello) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const hello :Workerd.Worker = (
  modules = [ (name = "hello", esModule = embed "hello.js") ],
  compatibilityDate = "2025-01-01",
);
`,
  );
  const child = spawn(workerdBinary(), ["serve", path.join(dir, "config.capnp")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  try {
    await waitForAnswer(port, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`workerd hello-world did not start: ${error.message}\n${stderr}`);
  }
  return {
    port,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve).once("error", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
