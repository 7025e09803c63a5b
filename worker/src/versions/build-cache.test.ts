import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";
import { buildCacheKey } from "../compiler";
import { loadBundle } from "../isolates/bundle-store";

/** The notes app with a greeting no other test uses, so its cache entry is this test's alone. */
function uniqueNotes(): { files: Record<string, string>; greeting: string } {
  const greeting = `cache-${crypto.randomUUID()}`;
  return { files: notesApp(greeting), greeting: `${greeting} from notes` };
}

describe("uploads share builds of identical sources", { timeout: 60_000 }, () => {
  it("another user's upload of the same source reuses the build: same version, same bundle", async () => {
    const { files, greeting } = uniqueNotes();
    const first = await appWithSource(await newUser(), "cached one", files);
    expect(await env.BUNDLES.head(await buildCacheKey(files))).not.toBeNull();
    const second = await appWithSource(await newUser(), "cached two", files);

    expect(second.version).toBe(first.version);
    const [firstBundle, secondBundle] = await Promise.all([
      loadBundle(env.BUNDLES, first.id, first.version),
      loadBundle(env.BUNDLES, second.id, second.version),
    ]);
    // Two bundler runs never agree exactly (the loop guards' names are random per build): equal means reused.
    expect(secondBundle).toEqual(firstBundle);
    expect((await visit(second.previewUrl)).text).toBe(greeting);
  });

  it("deploys what the cache holds, and still starts, checks and stores it as a version", async () => {
    const { files, greeting } = uniqueNotes();
    const user = await newUser();
    await appWithSource(user, "cache source", files);
    const key = await buildCacheKey(files);
    const entry = await (await env.BUNDLES.get(key))?.text();
    expect(entry).toContain(greeting);
    // A changed entry is how to see which bundle the next upload used without timing it.
    await env.BUNDLES.put(key, (entry ?? "").replaceAll(greeting, "served from the cache"));

    const reused = await appWithSource(user, "cache reuse", files);
    expect((await visit(reused.previewUrl)).text).toBe("served from the cache");
    const versions = (await user.call("GET", `/api/apps/${reused.id}/versions`)).body.versions;
    expect(versions.map((v: { version: string }) => v.version)).toEqual([reused.version]);
    await env.BUNDLES.delete(key);
  });

  it("runs the smoke start on a reused build: a cached bundle whose home page fails is refused", async () => {
    const { files, greeting } = uniqueNotes();
    const user = await newUser();
    await appWithSource(user, "cache smoke", files);
    const key = await buildCacheKey(files);
    const entry = (await (await env.BUNDLES.get(key))?.json()) as { bundle: { modules: Record<string, string> } };
    const app = entry.bundle.modules["app.js"] ?? "";
    expect(app).toContain(`c.text("${greeting}")`);
    entry.bundle.modules["app.js"] = app.replace(`c.text("${greeting}")`, `c.text("broken", 500)`);
    await env.BUNDLES.put(key, JSON.stringify(entry));

    const refused = await user.call("POST", "/api/apps", { name: "cache smoke refused" });
    const upload = await user.call("PUT", `/api/apps/${refused.body.id}/source`, { files });
    expect(upload.status).toBe(422);
    expect(upload.body.error.code).toBe("build_failed");
    await env.BUNDLES.delete(key);
  });

  it("a failed upload leaves nothing in the cache", async () => {
    const user = await newUser();
    const app = await user.call("POST", "/api/apps", { name: "cache failure" });
    const files = { "src/index.ts": `const n: number = ${JSON.stringify(crypto.randomUUID())};\nexport default {};\n` };
    expect((await user.call("PUT", `/api/apps/${app.body.id}/source`, { files })).status).toBe(422);
    expect(await env.BUNDLES.head(await buildCacheKey(files))).toBeNull();
  });
});
