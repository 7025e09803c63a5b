// App databases of a Kiln from before they moved into the runner are found under their new ids after the move,
// and nothing else is lost.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { NEW_KEY, OLD_KEY, durableObjectId, moveAppDatabases } from "./app-data-move.mjs";
import { spawnWorkerd } from "./front-door.mjs";
import { freePort } from "./supervisor.mjs";

test("computes the ids workerd itself gives", async () => {
  // A namespace with the old key in a real workerd, answering idFromName for the name asked.
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-ids-"));
  const port = await freePort();
  writeFileSync(
    path.join(dir, "ids.js"),
    `import { DurableObject } from "cloudflare:workers";
export class AppDataStore extends DurableObject {}
export default { fetch(request, env) { return new Response(env.NS.idFromName(new URL(request.url).searchParams.get("name")).toString()); } };
`,
  );
  writeFileSync(
    path.join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .ids) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const ids :Workerd.Worker = (
  modules = [ (name = "ids.js", esModule = embed "ids.js") ],
  compatibilityDate = "2026-11-01",
  durableObjectNamespaces = [ (className = "AppDataStore", uniqueKey = "${OLD_KEY}") ],
  durableObjectStorage = (inMemory = void),
  bindings = [ (name = "NS", durableObjectNamespace = "AppDataStore") ],
);
`,
  );
  const child = spawnWorkerd(["serve", path.join(dir, "config.capnp")], { stdio: "ignore" });
  try {
    const name = "app_0123456789abcdef0123:live";
    let answer = null;
    for (let i = 0; i < 100 && answer === null; i++) {
      answer = await fetch(`http://127.0.0.1:${port}/?name=${encodeURIComponent(name)}`)
        .then((r) => r.text())
        .catch(() => null);
      if (answer === null) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(answer, durableObjectId(OLD_KEY, name));
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("moves each app's preview and live database to the runner's folder under its new id, once", async () => {
  const state = mkdtempSync(path.join(tmpdir(), "kiln-move-"));
  const d1 = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  mkdirSync(d1, { recursive: true });
  const db = new DatabaseSync(path.join(d1, "platform.sqlite"));
  db.exec("CREATE TABLE apps (id TEXT PRIMARY KEY); INSERT INTO apps VALUES ('app_one'), ('app_two');");
  db.close();
  const old = path.join(state, "v3", "do", OLD_KEY);
  mkdirSync(old, { recursive: true });
  for (const name of ["app_one:live", "app_one:preview", "app_two:live"]) {
    writeFileSync(path.join(old, `${durableObjectId(OLD_KEY, name)}.sqlite`), `rows of ${name}`);
  }
  writeFileSync(path.join(old, `${durableObjectId(OLD_KEY, "app_one:live")}.sqlite-wal`), "wal of app_one:live");
  writeFileSync(path.join(old, "metadata.sqlite"), "namespace metadata");

  assert.equal(await moveAppDatabases(state), 3);
  const now = path.join(state, "runner", "v3", "do", NEW_KEY);
  for (const name of ["app_one:live", "app_one:preview", "app_two:live"]) {
    assert.equal(readFileSync(path.join(now, `${durableObjectId(NEW_KEY, name)}.sqlite`), "utf8"), `rows of ${name}`);
  }
  assert.equal(
    readFileSync(path.join(now, `${durableObjectId(NEW_KEY, "app_one:live")}.sqlite-wal`), "utf8"),
    "wal of app_one:live",
  );
  // What is not an app's database is kept where it was, under a name that says it moved.
  assert.ok(existsSync(path.join(`${old}.moved`, "metadata.sqlite")));
  assert.equal(await moveAppDatabases(state), 0);
  rmSync(state, { recursive: true, force: true });
});
