import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type TestUser, newUser, visit, visitAsOwner } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { filesApp } from "../../test/files-app";
import { FILE_QUOTA } from "./file-limits";

type TestApp = Awaited<ReturnType<typeof appWithSource>>;

async function publicFilesApp(user: TestUser, name: string): Promise<TestApp> {
  // newUser() opens each new app's preview to everyone, as an owner can in the Access tab.
  return appWithSource(user, name, filesApp);
}

async function putText(host: string, name: string, text: string, type = "text/plain") {
  const response = await visit(`${host}raw?name=${encodeURIComponent(name)}`, {
    method: "PUT",
    body: text,
    headers: { "content-type": type },
  });
  return { status: response.status, body: JSON.parse(response.text) as Record<string, unknown> };
}

describe("env.FILES", () => {
  it("stores, lists, reads and deletes an environment's files; a form's upload keeps its name and type", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "files-basic");
    const form = new FormData();
    form.set("file", new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], "cat.png", { type: "image/png" }));
    const uploaded = await visit(`${app.previewUrl}upload`, { method: "POST", body: form });
    expect(uploaded.text).toContain("cat.png");
    expect(uploaded.status).toBe(201);
    expect(JSON.parse(uploaded.text)).toMatchObject({ name: "cat.png", size: 7, contentType: "image/png" });
    expect((await putText(app.previewUrl, "notes/a.txt", "hello")).body).toMatchObject({ size: 5 });

    const listed = JSON.parse((await visit(`${app.previewUrl}list`)).text) as { name: string }[];
    expect(listed.map((f) => f.name)).toEqual(["cat.png", "notes/a.txt"]);
    expect(JSON.parse((await visit(`${app.previewUrl}list?prefix=notes/`)).text)).toHaveLength(1);

    const got = await visit(`${app.previewUrl}get?name=notes/a.txt`);
    expect(got.text).toBe("hello");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");

    expect(JSON.parse((await visit(`${app.previewUrl}delete?name=notes/a.txt`, { method: "POST" })).text)).toEqual({
      deleted: true,
    });
    const gone = await visit(`${app.previewUrl}get?name=notes/a.txt`);
    expect(gone.text).toBe("none");
    expect(gone.status).toBe(404);
    const page = await user.call("GET", `/api/apps/${app.id}/files?environment=preview`);
    expect(page.body.files.map((f: { name: string }) => f.name)).toEqual(["cat.png"]);
    expect(page.body.usage).toEqual({ bytes: 7, files: 1 });
  });

  it("never reaches another app's files, nor the other environment's", async () => {
    const user = await newUser();
    const a = await publicFilesApp(user, "files-a");
    const b = await publicFilesApp(user, "files-b");
    await putText(a.previewUrl, "secret.txt", "of app a");
    expect((await visit(`${b.previewUrl}get?name=secret.txt`)).status).toBe(404);
    expect(JSON.parse((await visit(`${b.previewUrl}list`)).text)).toEqual([]);
    // The live environment of the same app has its own, empty set.
    expect((await user.call("POST", `/api/apps/${a.id}/publish`, { version: a.version })).status).toBe(200);
    expect((await visit(`${a.liveUrl}get?name=secret.txt`)).status).toBe(404);
    expect(JSON.parse((await visit(`${a.liveUrl}list`)).text)).toEqual([]);
    // Nor does the owner API of another user see them.
    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/apps/${a.id}/files`)).status).toBe(404);
  });

  it("refuses names that could step outside the app's own files", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "files-names");
    for (const name of [
      "../files-a/secret.txt",
      "a/../../b",
      "/etc/passwd",
      "a//b",
      "./a",
      "a\\b",
      "a\u0001b",
      "x".repeat(600),
      "",
    ]) {
      const put = await putText(app.previewUrl, name, "x");
      expect(put.status, name).toBe(400);
      expect(String(put.body.error), name).toMatch(/This file name can't be used/);
    }
    expect((await visit(`${app.previewUrl}get?name=..%2Fx`)).status).toBe(400);
    expect((await visit(`${app.previewUrl}url?name=..%2Fx`)).status).toBe(400);
    expect(JSON.parse((await visit(`${app.previewUrl}list`)).text)).toEqual([]);
  });

  it("refuses a file over the per-file limit with words a person can act on", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "files-big");
    const put = await putText(app.previewUrl, "big.txt", "x".repeat(FILE_QUOTA.maxFileBytes + 1));
    expect(put.status).toBe(400);
    expect(put.body.error).toMatch(/files can be at most 25 MB/);
    expect(JSON.parse((await visit(`${app.previewUrl}list`)).text)).toEqual([]);
  });

  it("counts usage in the environment's database: totals and file counts hold under concurrent uploads", async () => {
    const stub = env.APP_DATA.get(env.APP_DATA.idFromName(`app_quota${Date.now()}:preview`)) as DurableObjectStub<
      import("../data/app-data-store").AppDataStore
    >;
    const quota = { maxFileBytes: 10, maxTotalBytes: 20, maxFiles: 3 };
    expect(await stub.reserveFile("big", 11, quota, "t0")).toMatchObject({ refused: "file_too_large" });
    const tries = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stub.reserveFile(`f${i}`, 5, quota, `t${i + 1}`)),
    );
    const granted = tries.filter((t) => "token" in t);
    // 3 files at most, even though 4 × 5 bytes would fit the total.
    expect(granted).toHaveLength(3);
    expect(tries.filter((t) => "refused" in t && t.refused === "too_many_files")).toHaveLength(5);
    for (const t of granted)
      if ("token" in t) await stub.commitFile(t.token, `k/${t.token}`, "text/plain", new Date().toISOString());
    expect(await stub.fileUsage()).toEqual({ bytes: 15, files: 3 });
    // Replacing a file frees its old size; a new one does not fit the count.
    expect(await stub.reserveFile("f0", 10, quota, "r1")).toMatchObject({ token: "r1" });
    expect(await stub.reserveFile("f0", 10, quota, "r2")).toMatchObject({ refused: "total_too_large" });
    await stub.releaseFile("r1");
    expect(await stub.fileUsage()).toEqual({ bytes: 15, files: 3 });
    expect(await stub.reserveFile("new", 1, quota, "r3")).toMatchObject({ refused: "too_many_files" });
  });

  it("the owner's list pages by offset and says how many files there are", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "files-pages");
    for (const name of ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]) await putText(app.previewUrl, name, name);
    const second = await user.call("GET", `/api/apps/${app.id}/files?environment=preview&offset=2&limit=2`);
    expect(second.body.files.map((f: { name: string }) => f.name)).toEqual(["c.txt", "d.txt"]);
    expect(second.body).toMatchObject({ offset: 2, total: 5, usage: { bytes: 25, files: 5 } });
    expect((await user.call("GET", `/api/apps/${app.id}/files?limit=5000`)).status).toBe(400);
    expect((await user.call("DELETE", `/api/apps/${app.id}/files?environment=preview&name=c.txt`)).body).toEqual({
      deleted: true,
    });
    expect((await visit(`${app.previewUrl}get?name=c.txt`)).status).toBe(404);
    expect((await env.APP_FILES.list({ prefix: `files/${app.id}/preview/` })).objects).toHaveLength(4);
    expect((await user.call("GET", `/api/apps/${app.id}/files?environment=preview`)).body.total).toBe(4);
  });

  it("the API names the limits and deleting an app deletes its files", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "files-gone");
    await putText(app.previewUrl, "a.txt", "aaa");
    const page = await user.call("GET", `/api/apps/${app.id}/files?environment=preview`);
    expect(page.body.limits).toEqual(FILE_QUOTA);
    const download = await user.call("GET", `/api/apps/${app.id}/files/download?environment=preview&name=a.txt`);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="a.txt"/);
    expect(download.text).toBe("aaa");
    expect((await env.APP_FILES.list({ prefix: `files/${app.id}/` })).objects).toHaveLength(1);
    expect((await user.call("DELETE", `/api/apps/${app.id}`)).status).toBeLessThan(300);
    expect((await env.APP_FILES.list({ prefix: `files/${app.id}/` })).objects).toHaveLength(0);
  });
});

describe("signed file links", () => {
  async function linkOf(app: TestApp, name: string, host = app.previewUrl, query = ""): Promise<string> {
    const link = await visit(`${host}url?name=${encodeURIComponent(name)}${query}`);
    expect(link.status).toBe(200);
    expect(link.text).toMatch(/^\/_kiln\/files\/.+\?upload=[\w-]+&exp=\d+&sig=[\w-]{43}$/);
    return link.text;
  }

  it("serve the file on the app's host with headers that keep it inert", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "links-ok");
    await putText(app.previewUrl, "docs/report one.txt", "the report");
    await putText(app.previewUrl, "page.html", "<script>alert(1)</script>", "text/html");
    const link = await linkOf(app, "docs/report one.txt");
    const file = await visit(new URL(link, app.previewUrl).href);
    expect(file.status).toBe(200);
    expect(file.text).toBe("the report");
    expect(file.headers.get("content-disposition")).toMatch(/^inline; filename="report one.txt"/);
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(file.headers.get("content-security-policy")).toMatch(/^sandbox;/);
    const html = await visit(new URL(await linkOf(app, "page.html"), app.previewUrl).href);
    expect(html.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(html.headers.get("content-security-policy")).toMatch(/^sandbox;/);
  });

  it("open the upload they were made for: once the file is replaced or deleted, the old link says so", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "links-bound");
    await putText(app.previewUrl, "invoices/42.txt", "invoice for Ann");
    const link = new URL(await linkOf(app, "invoices/42.txt"), app.previewUrl).href;
    expect((await visit(link)).text).toBe("invoice for Ann");
    await putText(app.previewUrl, "invoices/42.txt", "invoice for Bob");
    const replaced = await visit(link);
    expect(replaced.status).toBe(410);
    expect(replaced.text).toContain("replaced by a newer one since this link was made");
    expect(replaced.text).not.toContain("invoice for Bob");
    const current = new URL(await linkOf(app, "invoices/42.txt"), app.previewUrl).href;
    expect((await visit(current)).text).toBe("invoice for Bob");
    await visit(`${app.previewUrl}delete?name=invoices/42.txt`, { method: "POST" });
    expect((await visit(current)).status).toBe(404);
    const missing = await visit(`${app.previewUrl}url?name=invoices/42.txt`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("There is no file named");
  });

  it("refuse a forged, altered, expired or borrowed link", async () => {
    const user = await newUser();
    const app = await publicFilesApp(user, "links-bad");
    const other = await publicFilesApp(user, "links-other");
    await putText(app.previewUrl, "a.txt", "A");
    await putText(app.previewUrl, "b.txt", "B");
    await putText(other.previewUrl, "a.txt", "other A");
    const link = new URL(await linkOf(app, "a.txt"), app.previewUrl);

    const forged = new URL(link);
    forged.searchParams.set("sig", "A".repeat(43));
    expect((await visit(forged.href)).status).toBe(403);
    const otherFile = new URL(link);
    otherFile.pathname = "/_kiln/files/b.txt";
    expect((await visit(otherFile.href)).status).toBe(403);
    const later = new URL(link);
    later.searchParams.set("exp", String(Number(link.searchParams.get("exp")) + 3600));
    expect((await visit(later.href)).status).toBe(403);
    // The same path and signature on another app's host (which has a.txt too) is not valid there.
    expect((await visit(new URL(`${link.pathname}${link.search}`, other.previewUrl).href)).status).toBe(403);
    // Nor on the live host of the same app.
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    expect((await visit(new URL(`${link.pathname}${link.search}`, app.liveUrl).href)).status).toBe(403);
    // Nor once expired.
    const short = new URL(await linkOf(app, "a.txt", app.previewUrl, "&expiresIn=1"), app.previewUrl);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await visit(short.href);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain("This link has expired");
    expect((await visit(`${app.previewUrl}url?name=a.txt&expiresIn=99999999`)).status).toBe(400);
  });

  it("go through the environment's access rule: a private app's file needs a session", async () => {
    const user = await newUser({ previews: "default" });
    const app = await appWithSource(user, "links-private", filesApp);
    // The preview is owner-only by default.
    await visitAsOwner(user, app.id, `${app.previewUrl}raw?name=p.txt`, { method: "PUT", body: "owner's eyes only" });
    const link = await visitAsOwner(user, app.id, `${app.previewUrl}url?name=p.txt`);
    const url = new URL(link.text, app.previewUrl).href;
    const anonymous = await visit(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain("owner's eyes only");
    const owner = await visitAsOwner(user, app.id, url);
    expect(owner.status).toBe(200);
    expect(owner.text).toBe("owner's eyes only");
  });
});
