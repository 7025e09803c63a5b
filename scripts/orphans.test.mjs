// `npm start` owns every process it starts: stopping it, even with SIGKILL, leaves no workerd behind (they would keep
// the ports and gigabytes of memory).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { waitForHealth } from "./local-server.mjs";
import { descendantsOf } from "./process-tree.mjs";
import { freePort } from "./supervisor.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

async function gone(pids, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

/** Starts Kiln the way npm does (a parent process running scripts/start.mjs); resolves once it answers. */
async function startUnderParent() {
  const port = await freePort();
  const state = mkdtempSync(path.join(tmpdir(), "kiln-orphans-"));
  const parent = spawn(
    process.execPath,
    [
      "-e",
      `require("node:child_process").spawn(process.execPath, ["scripts/start.mjs"], { stdio: "ignore" }); setInterval(() => {}, 1000);`,
    ],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), KILN_STATE_DIR: state, KILN_RUNNERS: "2" },
      stdio: "ignore",
    },
  );
  await waitForHealth(port, 120_000);
  return { parent, port, state };
}

test("SIGKILL of the process that ran `npm start` leaves no workerd behind", async () => {
  const { parent, state } = await startUnderParent();
  const below = descendantsOf(parent.pid);
  assert.ok(
    below.length >= 5,
    `expected start.mjs, the control plane's workerd, two runners and the front door, found ${below.length}`,
  );
  parent.kill("SIGKILL");
  assert.deepEqual(await gone(below, 10_000), [], "processes left running after SIGKILL");
  rmSync(state, { recursive: true, force: true });
});

test("SIGTERM stops every process within 5 seconds", async () => {
  const { parent, state } = await startUnderParent();
  const [start] = descendantsOf(parent.pid);
  const below = descendantsOf(parent.pid);
  process.kill(start, "SIGTERM");
  assert.deepEqual(await gone(below, 5_000), [], "processes left running 5 s after SIGTERM");
  parent.kill("SIGKILL");
  rmSync(state, { recursive: true, force: true });
});
