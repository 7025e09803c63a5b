import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { filesApp } from "../../test/files-app";
import type { AppDataStore } from "../data/app-data-store";
import { appDataNamespace } from "../data/app-data-store-stub";
import { type FileBucket, r2FileBucket } from "./file-bucket";
import { type FilesBackend, cachedKey } from "./files-backend";
import { type AppFilesProps, FilesGateway } from "./files-gateway";

// A real R2 bucket whose puts can be held after the bytes are stored, to order two uploads' commits at will.
function heldBucket() {
  const bucket = r2FileBucket(env.APP_FILES);
  const holds: Array<{ stored: Promise<void>; release: () => void }> = [];
  let holdNext = false;
  const held: FileBucket = {
    ...bucket,
    async put(key, body, size, contentType) {
      await bucket.put(key, body, size, contentType);
      if (!holdNext) return;
      holdNext = false;
      const hold = holds.at(-1)!;
      hold.release();
      await new Promise<void>((resolve) => {
        hold.release = resolve;
      });
    },
  };
  return {
    bucket: held,
    /** Holds the next put once its bytes are stored; resolves `stored` then, and `release()` lets it go on. */
    holdNext() {
      holdNext = true;
      let stored!: () => void;
      const hold = { stored: new Promise<void>((resolve) => (stored = resolve)), release: () => stored() };
      holds.push(hold);
      return hold;
    },
  };
}

function gateway(appId: string, bucket: FileBucket): FilesGateway<unknown> {
  const namespace = appDataNamespace(env.APP_DATA);
  const backend: FilesBackend = {
    bucket,
    index: (name) => namespace.get(namespace.idFromName(name)),
    linkKey: () => Promise.reject(new Error("no links here")),
  };
  const props: AppFilesProps = { appId, environment: "preview" };
  const ctx = { props, waitUntil() {}, passThroughOnException() {} } as unknown as ExecutionContext<AppFilesProps>;
  return new FilesGateway<unknown>(ctx, {}, () => backend);
}

const keys = async (prefix: string) => (await env.APP_FILES.list({ prefix })).objects.map((o) => o.key);

describe("uploads of one name", () => {
  it("keep the index and the bucket on the same upload when they commit in another order than they wrote", async () => {
    const appId = `app_same${Date.now()}`;
    const held = heldBucket();
    const files = gateway(appId, held.bucket);
    const hold = held.holdNext();
    const first = files.put("same.txt", "first, and longer");
    await hold.stored;
    // The second upload writes and commits while the first waits between its write and its commit.
    expect(await files.put("same.txt", "second")).toMatchObject({ size: 6 });
    hold.release();
    expect(await first).toMatchObject({ size: 17 });
    // The last to commit is the file, in the index, the bucket and a read alike; the other object is gone.
    expect(await files.list()).toMatchObject([{ name: "same.txt", size: 17 }]);
    expect(await (await files.get("same.txt"))?.text()).toBe("first, and longer");
    const stored = await keys(`files/${appId}/preview/`);
    expect(stored).toHaveLength(1);
    expect((await env.APP_FILES.head(stored[0]!))?.size).toBe(17);
    expect(await files.delete("same.txt")).toBe(true);
    expect(await keys(`files/${appId}/preview/`)).toEqual([]);
  });

  it("delete the stored bytes of an upload whose reservation lapsed before it committed", async () => {
    const appId = `app_lapsed${Date.now()}`;
    const held = heldBucket();
    const files = gateway(appId, held.bucket);
    await files.put("kept.txt", "already here");
    const hold = held.holdNext();
    const late = files.put("late.txt", "too slow");
    const outcome = late.then(
      () => null,
      (error: unknown) => error,
    );
    await hold.stored;
    const store = env.APP_DATA.get(env.APP_DATA.idFromName(`${appId}:preview`)) as DurableObjectStub<AppDataStore>;
    await runInDurableObject(store, (_instance: AppDataStore, state) => {
      state.storage.sql.exec("UPDATE _kiln_file_reservations SET expires_at = 0");
    });
    hold.release();
    expect(String(await outcome)).toMatch(/took too long and was not recorded/);
    expect(await files.list()).toMatchObject([{ name: "kept.txt" }]);
    expect(await keys(`files/${appId}/preview/`)).toHaveLength(1);
    expect(await store.fileUsage()).toEqual({ bytes: 12, files: 1 });
  });

  it("leave one file whose index entry and object agree when many are sent at once", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "files-race", filesApp);
    const bodies = Array.from({ length: 8 }, (_, i) => `upload ${i} `.repeat(i + 1));
    const puts = await Promise.all(
      bodies.map((body) => visit(`${app.previewUrl}raw?name=race.txt`, { method: "PUT", body })),
    );
    expect(puts.map((p) => p.status)).toEqual(bodies.map(() => 201));
    const listed = JSON.parse((await visit(`${app.previewUrl}list`)).text) as { name: string; size: number }[];
    expect(listed).toHaveLength(1);
    const read = (await visit(`${app.previewUrl}get?name=race.txt`)).text;
    expect(bodies).toContain(read);
    expect(listed[0]!.size).toBe(read.length);
    const stored = await keys(`files/${app.id}/preview/`);
    expect(stored).toHaveLength(1);
    expect((await env.APP_FILES.head(stored[0]!))?.size).toBe(read.length);
  });
});

describe("listing by prefix", () => {
  it("matches names that start with an emoji or other astral character", async () => {
    const files = gateway(`app_emoji${Date.now()}`, r2FileBucket(env.APP_FILES));
    for (const name of ["a.txt", "é/c.txt", "📷/a.jpg", "📷/b.jpg", "📷x.txt", "🎵/song.mp3"])
      await files.put(name, name);
    const names = async (prefix: string) => (await files.list({ prefix })).map((file) => file.name);
    expect(await names("📷/")).toEqual(["📷/a.jpg", "📷/b.jpg"]);
    expect(await names("📷")).toEqual(["📷/a.jpg", "📷/b.jpg", "📷x.txt"]);
    expect(await names("é/")).toEqual(["é/c.txt"]);
    expect(await names("🎵/song.mp3")).toEqual(["🎵/song.mp3"]);
    expect(await names("📷/b")).toEqual(["📷/b.jpg"]);
    expect(await names("")).toHaveLength(6);
    expect((await files.list({ prefix: "📷", after: "📷/a.jpg" })).map((file) => file.name)).toEqual([
      "📷/b.jpg",
      "📷x.txt",
    ]);
  });
});

describe("the link key cache", () => {
  it("loads the key again after its lifetime, so a rotated master key reaches a long-lived isolate", async () => {
    let now = 0;
    let loads = 0;
    const key = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const cached = cachedKey(
      async () => {
        loads++;
        return key;
      },
      10 * 60 * 1000,
      () => now,
    );
    await cached();
    now = 9 * 60 * 1000;
    await cached();
    expect(loads).toBe(1);
    now = 10 * 60 * 1000;
    await cached();
    expect(loads).toBe(2);
  });

  it("does not keep a failure", async () => {
    let calls = 0;
    const cached = cachedKey(async () => {
      calls++;
      throw new Error("no key yet");
    });
    await expect(cached()).rejects.toThrow("no key yet");
    await expect(cached()).rejects.toThrow("no key yet");
    expect(calls).toBe(2);
  });
});
