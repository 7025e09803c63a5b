// App databases moved from the control plane's workerd to the runner's (issue 14): the same Durable Object class,
// now bound under the runner's name. workerd derives an object's id, and so its file name, from the namespace key
// (`<worker>-<class>` under miniflare), so each database of a Kiln from before the move is renamed once, before the
// runner starts, to the id its name has under the new key. Nothing is deleted: what is not an app's database
// stays in the old folder, renamed `<old>.moved`.
import { createHash, createHmac } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";

/** The namespace key the control plane's workerd used for app databases, and the runner's now. */
export const OLD_KEY = "kiln-AppDataStore";
export const NEW_KEY = "kiln-runner-AppDataStore";

/** workerd's `idFromName` (server/actor-id-impl.c++): HMAC-SHA256 of the name, then of that half, keyed by the namespace. */
export function durableObjectId(uniqueKey, name) {
  const key = createHash("sha256").update(uniqueKey).digest();
  const base = createHmac("sha256", key).update(name).digest().subarray(0, 16);
  const mac = createHmac("sha256", key).update(base).digest().subarray(0, 16);
  return Buffer.concat([base, mac]).toString("hex");
}

/** The app ids in the platform's local D1 database (the file with an `apps` table), or [] when there is none. */
async function appIds(stateRoot) {
  const dir = path.join(stateRoot, "v3", "d1", "miniflare-D1DatabaseObject");
  if (!existsSync(dir)) return [];
  const { DatabaseSync } = await import("node:sqlite");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")) {
    const db = new DatabaseSync(path.join(dir, file), { readOnly: true });
    try {
      return db
        .prepare("SELECT id FROM apps")
        .all()
        .map((row) => row.id);
    } catch {
      // Not the platform's database.
    } finally {
      db.close();
    }
  }
  return [];
}

/**
 * Moves the app databases of `stateRoot` (a `KILN_STATE_DIR`) from the control plane's folder to the runner's,
 * under their new ids. Returns how many were moved; a state without the old folder is left as it is.
 */
export async function moveAppDatabases(stateRoot) {
  const before = path.join(stateRoot, "v3", "do", OLD_KEY);
  if (!existsSync(before)) return 0;
  const after = path.join(stateRoot, "runner", "v3", "do", NEW_KEY);
  mkdirSync(after, { recursive: true });
  let moved = 0;
  for (const appId of await appIds(stateRoot)) {
    for (const environment of ["preview", "live"]) {
      const name = `${appId}:${environment}`;
      const from = durableObjectId(OLD_KEY, name);
      const to = durableObjectId(NEW_KEY, name);
      if (!existsSync(path.join(before, `${from}.sqlite`)) || existsSync(path.join(after, `${to}.sqlite`))) continue;
      for (const suffix of [".sqlite", ".sqlite-wal", ".sqlite-shm"])
        if (existsSync(path.join(before, from + suffix)))
          renameSync(path.join(before, from + suffix), path.join(after, to + suffix));
      moved++;
    }
  }
  renameSync(before, `${before}.moved`);
  return moved;
}
