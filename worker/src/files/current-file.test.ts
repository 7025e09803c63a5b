import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appDataNamespace } from "../data/app-data-store-stub";
import { serveFileLink } from "../serving/serve-file";
import { type FileBucket, r2FileBucket } from "./file-bucket";
import { importLinkKey } from "./file-links";
import type { FilesBackend } from "./files-backend";
import { type AppFilesProps, FilesGateway } from "./files-gateway";

// A real R2 bucket that runs `work` once, just before the next read reaches the bucket: what a put of the same name
// committing (and deleting the object the index named) between a read's two steps looks like.
function racingBucket() {
  const bucket = r2FileBucket(env.APP_FILES);
  let meanwhile: (() => Promise<unknown>) | null = null;
  const racing: FileBucket = {
    ...bucket,
    async get(key) {
      const work = meanwhile;
      meanwhile = null;
      if (work) await work();
      return bucket.get(key);
    },
  };
  return {
    bucket: racing,
    beforeNextGet(work: () => Promise<unknown>) {
      meanwhile = work;
    },
  };
}

function filesOf(appId: string, bucket: FileBucket) {
  const namespace = appDataNamespace(env.APP_DATA);
  const key = importLinkKey(new Uint8Array(32).fill(7).buffer);
  const backend: FilesBackend = {
    bucket,
    index: (name) => namespace.get(namespace.idFromName(name)),
    linkKey: () => key,
  };
  const props: AppFilesProps = { appId, environment: "preview" };
  const ctx = { props, waitUntil() {}, passThroughOnException() {} } as unknown as ExecutionContext<AppFilesProps>;
  const files = new FilesGateway<unknown>(ctx, {}, () => backend);
  const open = (link: string, method = "GET") => {
    const url = new URL(link, "https://app.example");
    return serveFileLink(new Request(url, { method }), url, { appId, environment: "preview" }, backend);
  };
  return { files, open };
}

describe("a read while the same name is replaced", () => {
  it("get() answers the new file, not null, when the old object is deleted between the index and the bucket", async () => {
    const racing = racingBucket();
    const { files } = filesOf(`app_raceget${Date.now()}`, racing.bucket);
    await files.put("report.txt", "old report");
    racing.beforeNextGet(() => files.put("report.txt", "new report"));
    const read = await files.get("report.txt");
    expect(await read?.text()).toBe("new report");
  });

  it("a link made before answers that it was replaced (410), not that there is no file", async () => {
    const racing = racingBucket();
    const { files, open } = filesOf(`app_racelink${Date.now()}`, racing.bucket);
    await files.put("photo.txt", "first");
    const link = await files.url("photo.txt");
    racing.beforeNextGet(() => files.put("photo.txt", "second"));
    const answer = await open(link);
    expect(answer.status).toBe(410);
    expect(await answer.text()).toContain("replaced by a newer one since this link was made");
    // A link made now opens the file as it is.
    const fresh = await open(await files.url("photo.txt"));
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe("second");
  });
});

describe("a signed link", () => {
  it("opens the upload it was made for only: a replaced file's link says so, a deleted one's finds nothing", async () => {
    const { files, open } = filesOf(`app_bound${Date.now()}`, r2FileBucket(env.APP_FILES));
    await files.put("invoices/42.pdf", "invoice v1");
    const first = await files.url("invoices/42.pdf");
    expect(first).toMatch(/^\/_kiln\/files\/invoices\/42\.pdf\?upload=[\w-]+&exp=\d+&sig=[\w-]{43}$/);
    expect(await (await open(first)).text()).toBe("invoice v1");
    expect((await open(first, "HEAD")).status).toBe(200);

    await files.put("invoices/42.pdf", "invoice v2, uploaded later");
    const replaced = await open(first);
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).not.toContain("invoice v2");

    // Another upload id under the same signature is a forgery.
    const second = await files.url("invoices/42.pdf");
    const swapped = new URL(second, "https://app.example");
    swapped.searchParams.set("upload", new URL(first, "https://app.example").searchParams.get("upload")!);
    expect((await open(`${swapped.pathname}${swapped.search}`)).status).toBe(403);

    await files.delete("invoices/42.pdf");
    const deleted = await open(second);
    expect(deleted.status).toBe(404);
    expect(await deleted.text()).toContain("no longer there");
    // A file uploaded again under that name later is not what either old link opens.
    await files.put("invoices/42.pdf", "a new invoice 42");
    expect((await open(first)).status).toBe(410);
    expect((await open(second)).status).toBe(410);
  });

  it("is refused for a file that is not there, in words", async () => {
    const { files } = filesOf(`app_nolink${Date.now()}`, r2FileBucket(env.APP_FILES));
    await expect(files.url("missing.txt")).rejects.toThrow(/There is no file named "missing.txt" to link to/);
  });
});
