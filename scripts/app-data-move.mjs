// App databases live in the runner that serves their app (`runnerIndex(slug, count)`), each runner with its own
// folder. workerd derives an object's id, and so its file name, from the namespace key (`<worker>-<class>`), so a
// database is renamed when it changes runner: once, before the runners start, when the number of runners changed or
// when a Kiln from before the runners (databases in the control plane's or the single runner's folder) starts.
// Nothing is deleted: what is not an app's database stays in the old folders, renamed `<old>.moved`.
import { createHash, createHmac } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";
import { runnerIndex } from "../worker/src/placement/runner-index.ts";
import { appDataKey, runnerStorageDir } from "./runner-process.mjs";

/** Where app databases were kept before the runners had folders of their own, with the key each used. */
export const LEGACY_FOLDERS = [
  { folder: ["v3", "do", "kiln-AppDataStore"], key: "kiln-AppDataStore" },
  { folder: ["runner", "v3", "do", "kiln-runner-AppDataStore"], key: "kiln-runner-AppDataStore" },
];

/** workerd's `idFromName` (server/actor-id-impl.c++): HMAC-SHA256 of the name, then of that half, keyed by the namespace. */
export function durableObjectId(uniqueKey, name) {
  const key = createHash("sha256").update(uniqueKey).digest();
  const base = createHmac("sha256", key).update(name).digest().subarray(0, 16);
  const mac = createHmac("sha256", key).update(base).digest().subarray(0, 16);
  return Buffer.concat([base, mac]).toString("hex");
}

/** The apps ({ id, slug }) in the platform's local D1 database (the file with an `apps` table), or [] when none. */
async function apps(stateRoot) {
  const dir = path.join(stateRoot, "v3", "d1", "miniflare-D1DatabaseObject");
  if (!existsSync(dir)) return [];
  const { DatabaseSync } = await import("node:sqlite");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")) {
    const db = new DatabaseSync(path.join(dir, file), { readOnly: true });
    try {
      return db.prepare("SELECT id, slug FROM apps").all();
    } catch {
      // Not the platform's database.
    } finally {
      db.close();
    }
  }
  return [];
}

/** Every folder that may hold app databases now: the legacy ones and each runner's, with its key. */
function sourceFolders(stateRoot) {
  const sources = LEGACY_FOLDERS.map(({ folder, key }) => ({ dir: path.join(stateRoot, ...folder), key }));
  const runners = path.join(stateRoot, "runners");
  if (existsSync(runners))
    for (const entry of readdirSync(runners).filter((name) => /^\d+$/.test(name))) {
      const key = appDataKey(Number(entry));
      sources.push({ dir: path.join(runnerStorageDir(stateRoot, Number(entry)), key), key });
    }
  return sources.filter((source) => existsSync(source.dir));
}

/**
 * Puts each app database of `stateRoot` (a `KILN_STATE_DIR`) in the folder of the runner that serves its app when
 * `count` runners run, under the id it has there. Returns how many moved; legacy folders end renamed `.moved`.
 */
export async function moveAppDatabases(stateRoot, count) {
  const sources = sourceFolders(stateRoot);
  if (sources.length === 0) return 0;
  let moved = 0;
  for (const app of await apps(stateRoot)) {
    const index = runnerIndex(app.slug, count);
    const key = appDataKey(index);
    const target = path.join(runnerStorageDir(stateRoot, index), key);
    for (const environment of ["preview", "live"]) {
      const name = `${app.id}:${environment}`;
      const to = durableObjectId(key, name);
      if (existsSync(path.join(target, `${to}.sqlite`))) continue;
      const source = sources.find((s) => existsSync(path.join(s.dir, `${durableObjectId(s.key, name)}.sqlite`)));
      if (!source) continue;
      const from = durableObjectId(source.key, name);
      mkdirSync(target, { recursive: true });
      for (const suffix of [".sqlite", ".sqlite-wal", ".sqlite-shm"])
        if (existsSync(path.join(source.dir, from + suffix)))
          renameSync(path.join(source.dir, from + suffix), path.join(target, to + suffix));
      moved++;
    }
  }
  for (const { folder } of LEGACY_FOLDERS) {
    const dir = path.join(stateRoot, ...folder);
    if (existsSync(dir)) renameSync(dir, existsSync(`${dir}.moved`) ? `${dir}.moved-${Date.now()}` : `${dir}.moved`);
  }
  return moved;
}
