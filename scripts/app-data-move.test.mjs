// App databases are found in the folder of the runner that serves their app, under the id they have there, after a
// start with a different number of runners or from a Kiln from before the runners; nothing else is lost.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runnerIndex as runnerOf } from "../worker/src/placement/runner-index.ts";
import { LEGACY_FOLDERS, durableObjectId, moveAppDatabases } from "./app-data-move.mjs";
import { appDataKey, runnerStorageDir } from "./runner-process.mjs";
import { spawnWorkerd } from "./front-door.mjs";
import { freePort } from "./supervisor.mjs";

const OLD_KEY = LEGACY_FOLDERS[0].key;

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

test("puts each app's databases in the folder of the runner that serves it, under its id there, once", async () => {
  const state = mkdtempSync(path.join(tmpdir(), "kiln-move-"));
  const d1 = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  mkdirSync(d1, { recursive: true });
  const db = new DatabaseSync(path.join(d1, "platform.sqlite"));
  const slugs = { app_one: "one", app_two: "two", app_three: "three", app_four: "four" };
  db.exec("CREATE TABLE apps (id TEXT PRIMARY KEY, slug TEXT)");
  for (const [id, slug] of Object.entries(slugs)) db.exec(`INSERT INTO apps VALUES ('${id}', '${slug}')`);
  db.close();
  const old = path.join(state, "v3", "do", OLD_KEY);
  mkdirSync(old, { recursive: true });
  const names = ["app_one:live", "app_one:preview", "app_two:live", "app_three:live", "app_four:preview"];
  for (const name of names)
    writeFileSync(path.join(old, `${durableObjectId(OLD_KEY, name)}.sqlite`), `rows of ${name}`);
  writeFileSync(path.join(old, `${durableObjectId(OLD_KEY, "app_one:live")}.sqlite-wal`), "wal of app_one:live");
  writeFileSync(path.join(old, "metadata.sqlite"), "namespace metadata");
  const where = (name, count) => {
    const index = runnerOf(slugs[name.split(":")[0]], count);
    return path.join(
      runnerStorageDir(state, index),
      appDataKey(index),
      `${durableObjectId(appDataKey(index), name)}.sqlite`,
    );
  };

  assert.equal(await moveAppDatabases(state, 2), names.length);
  // The four slugs land on both runners, so the test covers a move to each.
  assert.deepEqual(new Set(Object.values(slugs).map((slug) => runnerOf(slug, 2))), new Set([0, 1]));
  for (const name of names) assert.equal(readFileSync(where(name, 2), "utf8"), `rows of ${name}`);
  assert.equal(
    readFileSync(where("app_one:live", 2).replace(/\.sqlite$/, ".sqlite-wal"), "utf8"),
    "wal of app_one:live",
  );
  // What is not an app's database is kept where it was, under a name that says it moved.
  assert.ok(existsSync(path.join(`${old}.moved`, "metadata.sqlite")));
  assert.equal(await moveAppDatabases(state, 2), 0);

  // One more runner: only the databases whose runner changed move, and all are found afterwards.
  const changing = names.filter(
    (name) => runnerOf(slugs[name.split(":")[0]], 3) !== runnerOf(slugs[name.split(":")[0]], 2),
  );
  assert.equal(await moveAppDatabases(state, 3), changing.length);
  for (const name of names) assert.equal(readFileSync(where(name, 3), "utf8"), `rows of ${name}`);
  rmSync(state, { recursive: true, force: true });
});
