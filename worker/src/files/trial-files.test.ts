import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { filesApp } from "../../test/files-app";

// The files app with checks that overwrite, read, delete and leave behind files: all of it must stay in the trial.
function checkedFilesApp(extraCheck = ""): Record<string, string> {
  const checks = `export const checks = [
  { name: "overwrites keep.txt", method: "PUT", path: "/raw?name=keep.txt", body: "trial bytes", status: 201 },
  { name: "reads its own keep.txt", path: "/get?name=keep.txt", contains: "trial bytes" },
  { name: "deletes keep.txt", method: "POST", path: "/delete?name=keep.txt", contains: '"deleted":true' },
  { name: "leaves left.txt", method: "PUT", path: "/raw?name=left.txt", body: "left behind", status: 201 },
  { name: "lists left.txt only", path: "/list", json: { "0.name": "left.txt" } },
  ${extraCheck}
];
`;
  return { "src/index.ts": `${filesApp["src/index.ts"]}${checks}` };
}

async function r2Keys(prefix: string): Promise<string[]> {
  return (await env.APP_FILES.list({ prefix })).objects.map((object) => object.key);
}

describe("a build's trial", () => {
  it("stores its checks' files apart from the preview's and leaves none behind, deployed or refused", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "trial-files", filesApp);
    const put = await visit(`${app.previewUrl}raw?name=keep.txt`, { method: "PUT", body: "real bytes" });
    expect(put.status).toBe(201);
    const previewKeys = await r2Keys(`files/${app.id}/preview/`);
    expect(previewKeys).toHaveLength(1);
    const before = (await user.call("GET", `/api/apps/${app.id}/files?environment=preview`)).body;

    const deployed = await user.call("PUT", `/api/apps/${app.id}/source`, { files: checkedFilesApp() });
    expect(deployed.status, deployed.text).toBe(200);
    const refused = await user.call("PUT", `/api/apps/${app.id}/source`, {
      files: checkedFilesApp(`{ name: "fails on purpose", path: "/list", contains: "no such file" },`),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.stage).toBe("checks");

    // The preview's file, its object and its index entry are as they were.
    expect((await visit(`${app.previewUrl}get?name=keep.txt`)).text).toBe("real bytes");
    expect(await r2Keys(`files/${app.id}/preview/`)).toEqual(previewKeys);
    expect((await user.call("GET", `/api/apps/${app.id}/files?environment=preview`)).body).toEqual(before);
    expect(before.files.map((f: { name: string }) => f.name)).toEqual(["keep.txt"]);
    expect(before.usage).toEqual({ bytes: 10, files: 1 });
    // Nothing of either trial is left in the bucket.
    expect(await r2Keys(`files/${app.id}/trial/`)).toEqual([]);
  });
});
