// The import check must see what a reader would trip over: type-only imports, `import("…")` types, re-exports and
// globals of generated declaration files, and imports that point up a layer.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { featureGraph, frameworkImports, upwardImports } from "./check-imports.mjs";
import { cycles, importGraph } from "./import-graph.mjs";

function repoWith(files) {
  const root = mkdtempSync(path.join(tmpdir(), "kiln-imports-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  execFileSync("git", ["init", "-q"], { cwd: root });
  execFileSync("git", ["add", "."], { cwd: root });
  return root;
}

test("a cycle held only by type-only imports and import() types is a cycle", () => {
  const root = repoWith({
    "worker/src/a/one.ts": 'import type { Two } from "./two";\nexport type One = Two;\n',
    "worker/src/a/two.ts": 'export type Two = import("../b/three").Three;\n',
    "worker/src/b/three.ts": 'export type { One as Three } from "../a/one";\n',
    "worker/src/b/alone.ts": 'import type { One } from "../a/one";\nexport type Alone = One;\n',
  });
  assert.deepEqual(cycles(importGraph(root, ["worker"])), [
    ["worker/src/a/one.ts", "worker/src/a/two.ts", "worker/src/b/three.ts"],
  ]);
});

test("a name declared by a generated global .d.ts ties its users to it, but not a mention in a comment", () => {
  const root = repoWith({
    "worker/src/control-plane/worker-configuration.d.ts":
      'interface KilnBindings {\n  X: DurableObjectNamespace<import("./index").Thing>;\n}\ndeclare module "*.txt" {\n  export default value;\n}\n',
    "worker/src/control-plane/index.ts": 'import type { Env } from "../core/env";\nexport class Thing {}\n',
    "worker/src/core/env.ts": "export interface Env extends KilnBindings {}\n",
    "worker/src/core/other.ts": "// unlike KilnBindings, this is ours\nexport interface Other {}\n",
  });
  const graph = importGraph(root, ["worker"]);
  assert.equal(cycles(graph).length, 1);
  assert.deepEqual([...graph.get("worker/src/core/other.ts")], []);
  assert.deepEqual(upwardImports(graph), [
    "worker/src/core/env.ts (core) -> worker/src/control-plane/worker-configuration.d.ts (entry)",
  ]);
});

test("imports that point up a layer are named; tests and downward imports are not", () => {
  const root = repoWith({
    "worker/src/core/records.ts": "export interface AppRecord {}\n",
    "worker/src/apps/repo.ts":
      'import type { AppRecord } from "../core/records";\nimport { x } from "../http/context";\n',
    "worker/src/apps/repo.test.ts": 'import { api } from "../http/api";\n',
    "worker/src/http/context.ts": 'import type { AppRecord } from "../core/records";\nexport const x = 1;\n',
    "worker/src/http/api.ts": 'import { x } from "./context";\nexport const api = x;\n',
    "worker/src/runner/index.ts": 'import { api } from "../http/api";\n',
  });
  assert.deepEqual(upwardImports(importGraph(root, ["worker"])), [
    "worker/src/apps/repo.ts (features) -> worker/src/http/context.ts (http)",
  ]);
});

test("two feature folders importing each other through different files are a circle of folders", () => {
  const root = repoWith({
    "worker/src/versions/publish.ts": 'import { due } from "../automations/store";\nexport const publish = due;\n',
    "worker/src/automations/store.ts": "export const due = 1;\n",
    "worker/src/automations/start.ts":
      'import { publish } from "../versions/publish";\nexport const start = publish;\n',
    "worker/src/core/ids.ts": "export const id = 1;\n",
  });
  const graph = importGraph(root, ["worker"]);
  assert.deepEqual(cycles(graph), []);
  assert.deepEqual(cycles(featureGraph(graph)), [["automations", "versions"]]);
});

test("the HTTP framework below http/ is named, and an alias resolves into the graph", () => {
  const root = repoWith({
    "worker/src/core/shapes/app.ts": "export interface App {}\n",
    "worker/src/apps/repo.ts": 'import type { Context } from "hono";\nexport type C = Context;\n',
    "worker/src/http/api.ts": 'import { Hono } from "hono";\nexport const api = new Hono();\n',
    "web/src/lib/types.ts": 'import type { App } from "$shapes/app";\nexport type A = App;\n',
  });
  const packages = new Map();
  const graph = importGraph(root, ["worker", "web"], { aliases: { $shapes: "worker/src/core/shapes" }, packages });
  assert.deepEqual(frameworkImports(packages), ["worker/src/apps/repo.ts (features) -> hono"]);
  assert.deepEqual([...graph.get("web/src/lib/types.ts")], ["worker/src/core/shapes/app.ts"]);
});
