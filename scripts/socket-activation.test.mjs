// Under systemd socket activation Kiln serves the listening socket it is given (fd 3, LISTEN_FDS/LISTEN_PID) instead
// of binding PORT itself, so systemd can hold the port across restarts and start Kiln on the first connection.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { waitForHealth } from "./local-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

test("serves the socket systemd passes instead of binding the port itself", async () => {
  const socket = net.createServer();
  await new Promise((resolve) => socket.listen(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  const state = mkdtempSync(path.join(tmpdir(), "kiln-socket-"));
  // As systemd does: the socket as fd 3, LISTEN_PID the pid of the process that gets it (`exec` keeps the shell's).
  const kiln = spawn("sh", ["-c", `LISTEN_PID=$$ exec "${process.execPath}" scripts/start.mjs`], {
    cwd: root,
    env: { ...process.env, PORT: String(port), KILN_STATE_DIR: state, LISTEN_FDS: "1", KILN_RUNNERS: "1" },
    stdio: ["ignore", "ignore", "ignore", socket._handle.fd],
  });
  const exited = new Promise((resolve) => kiln.once("exit", resolve));
  // From here on only Kiln holds the socket: an answer can come from nowhere else.
  socket.close();
  try {
    await waitForHealth(port, 120_000);
    const bound = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(true));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
    });
    assert.equal(bound, true, "the port should still be held by the socket systemd passed");
  } finally {
    kiln.kill("SIGTERM");
    await exited;
    rmSync(state, { recursive: true, force: true });
  }
});
