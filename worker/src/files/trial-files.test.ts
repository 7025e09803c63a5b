import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { filesApp } from "../../test/files-app";
import { findOwnedApp } from "../apps/app-repository";
import { appRunnerFor } from "../isolates/app-runner-for";
import { deploySource } from "../versions/deploy-source";
import { TRIAL_FILES_MAX_AGE_MS, sweepTrialFiles } from "./trial-sweep";

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

// Every app's trial files older than an hour at `now`, swept the way the cron does, a few apps at a time.
async function sweepAll(now: Date): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const sweep = await sweepTrialFiles(env.APP_FILES, now, cursor, 5);
    deleted += sweep.deleted;
    cursor = sweep.next;
  } while (cursor);
  return deleted;
}

describe("a build's trial cleanup", () => {
  it("that fails is logged and changes no build's outcome; what it left, the sweep deletes once an hour old", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "trial-cleanup", filesApp);
    await visit(`${app.previewUrl}raw?name=keep.txt`, { method: "PUT", body: "real bytes" });
    const record = await findOwnedApp(env.DB, user.id, app.id);
    if (!record) throw new Error("no app");
    // The bucket as the cleanup sees it: down. The trial itself stores its files in the real one.
    const down = { list: () => Promise.reject(new Error("R2 is down")) } as unknown as R2Bucket;
    const brokenEnv = { ...env, APP_FILES: down };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const runner = appRunnerFor(env, record.slug);
      const deployed = await deploySource(brokenEnv, runner, record, user.id, checkedFilesApp(), {
        confirmDestructive: false,
      });
      expect(deployed.version).toMatch(/\w/);
      const refused = deploySource(
        brokenEnv,
        runner,
        record,
        user.id,
        checkedFilesApp(`{ name: "fails on purpose", path: "/list", contains: "no such file" },`),
        { confirmDestructive: false },
      );
      await expect(refused).rejects.toMatchObject({ stage: "checks", status: 422 });
      expect(errors.mock.calls.map((call) => String(call[0]))).toContainEqual(
        expect.stringMatching(/trial cleanup of .+: R2 is down/),
      );
    } finally {
      errors.mockRestore();
    }

    const left = await r2Keys(`files/${app.id}/trial/`);
    expect(left.length).toBeGreaterThan(0);
    const previewKeys = await r2Keys(`files/${app.id}/preview/`);
    // Not yet an hour old: kept (a trial may still be running). Older: deleted, and nothing of the preview.
    await sweepAll(new Date(Date.now() + TRIAL_FILES_MAX_AGE_MS - 60_000));
    expect(await r2Keys(`files/${app.id}/trial/`)).toEqual(left);
    expect(await sweepAll(new Date(Date.now() + TRIAL_FILES_MAX_AGE_MS + 60_000))).toBeGreaterThanOrEqual(left.length);
    expect(await r2Keys(`files/${app.id}/trial/`)).toEqual([]);
    expect(await r2Keys(`files/${app.id}/preview/`)).toEqual(previewKeys);
    expect(previewKeys).toHaveLength(1);
  });
});
