// The runner executes app code, so its bundle must hold nothing of the control plane: no vault, no connections, no
// API routes, and of npm packages only zod (the app databases it keeps validate declared tables with it). A single import of the wrong module drags them all in, so this checks the bundle
// itself (its source map), as `wrangler deploy` builds it, not the import lines.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { bundleDir, buildWorkers } from "./build-workers.mjs";

/** Folders of worker/src that belong to the control plane alone. */
const CONTROL_PLANE = [
  "access",
  "alerts",
  "app-ai",
  "apps",
  "audit",
  "auth",
  "automations",
  "chat",
  "connections",
  "control-plane",
  "http",
  "incidents",
  "mail",
  "mcp",
  "models",
  "setup",
  "templates",
  "transfer",
  "vault",
  "versions",
  "webhooks",
];

test("the runner's bundle ships only runner code", () => {
  buildWorkers();
  const dir = bundleDir("kiln-runner");
  const { sources } = JSON.parse(readFileSync(path.join(dir, "index.js.map"), "utf8"));
  const files = sources.map((source) => path.resolve(dir, source));
  const packages = new Set(
    files
      .map((file) => /[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(file)?.[1])
      .filter((name) => name !== undefined),
  );
  assert.deepEqual([...packages], ["zod"], "npm packages in the runner's bundle");
  const controlPlane = files.filter((file) => {
    const inSrc = /worker\/src\/(.*)$/.exec(file)?.[1];
    return inSrc && (CONTROL_PLANE.includes(inSrc.split("/")[0]) || inSrc === "egress/egress-proxy.ts");
  });
  assert.deepEqual(controlPlane, [], "control-plane modules in the runner's bundle");
  const kib = statSync(path.join(dir, "index.js")).size / 1024;
  assert.ok(kib < 1024, `the runner's bundle is ${kib.toFixed(0)} KiB`);
});
