import { type Context, Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { appConfig, renameApp } from "../../apps/app-repository";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { loadSource } from "../../versions/version-store";
import { ApiError } from "../../core/errors";
import { appDataStore } from "../../data";
import { MAX_ARCHIVE_BYTES, unpackArchive } from "../../transfer/app-archive";
import { exportApp } from "../../transfer/export-app";
import { newAppFrom, type MadeApp } from "../../transfer/new-app-from";
import { appView } from "./apps";
import type { App, AppTransfer } from "../../core/api-shapes";

const appName = z.string().trim().min(1, "give the app a name").max(80, "keep the name under 80 characters");
const renameSchema = z.object({ name: appName }).strict();
const duplicateSchema = z.object({ name: appName.optional() }).strict();
const exportQuery = z.object({
  environment: z.enum(["preview", "live"], "environment must be preview or live").default("preview"),
});

/** Managing one app (`/api/apps/:id`): its name, a copy of it, and its export as a zip; expects `c.var.app`. */
export function appManagementRoutes(runner: RunnerFor) {
  return (
    new Hono<PlatformContext>()
      // A new name; the app's addresses keep their slug, so links already shared still work.
      .patch("/", async (c) => {
        const { name } = await readJson(c, renameSchema);
        const { app } = c.var;
        await renameApp(c.env.DB, app.id, name);
        await recordAudit(c.env.DB, {
          userId: c.var.user.id,
          appId: app.id,
          action: "app.rename",
          detail: { from: app.name, to: name },
        });
        return c.json(appView(c.env, { ...app, name }) satisfies App);
      })
      // A new app with this one's preview code (built and checked again, as any upload), config values and preview
      // rows; its access rules, live version and live data start afresh.
      .post("/duplicate", async (c) => {
        const { name } = await readJson(c, duplicateSchema);
        const source = c.var.app;
        const files = source.previewVersion ? await loadSource(c.env.BUNDLES, source.id, source.previewVersion) : null;
        // Too many rows to copy in one go: the copy is still made, without them, and says so.
        const dump = files ? await appDataStore(c.env, source, "preview").exportData() : null;
        const data = dump?.ok ? dump.value : null;
        const made = await newAppFrom(
          c.env,
          runner,
          c.var.user.id,
          { name: name ?? `${source.name} (copy)`, config: await appConfig(c.env.DB, source.id), files, data },
          { action: "app.duplicate", detail: { from: source.id, version: source.previewVersion } },
        );
        return transferAnswer(c, made, dump && !dump.ok ? `Its data was not copied: ${dump.error.message}` : undefined);
      })
      // One environment's code, tables, config and rows as a zip (`transfer/app-archive.ts`).
      .get("/export", async (c) => {
        const { environment } = parseWith(exportQuery, c.req.query());
        const exported = await exportApp(c.env, c.var.app, environment);
        await recordAudit(c.env.DB, {
          userId: c.var.user.id,
          appId: c.var.app.id,
          action: "app.export",
          detail: { environment, bytes: exported.bytes.byteLength },
        });
        return new Response(exported.bytes, {
          headers: {
            "content-type": "application/zip",
            "content-disposition": `attachment; filename="${exported.fileName}"`,
            "cache-control": "no-store",
          },
        });
      })
  );
}

/** `POST /api/apps/import`: a new app from an export's zip (the request body), its data in the preview. */
export function appImportRoutes(runner: RunnerFor) {
  return new Hono<PlatformContext>().post("/import", async (c) => {
    const archive = unpackArchive(await readBytes(c.req.raw));
    const name = c.req.query("name")?.trim().slice(0, 80) || archive.manifest.name;
    const made = await newAppFrom(
      c.env,
      runner,
      c.var.user.id,
      { name, config: archive.manifest.config, files: archive.files, data: archive.data ?? null },
      {
        action: "app.import",
        detail: { from: archive.manifest.version.id, environment: archive.manifest.environment },
      },
    );
    return transferAnswer(c, made);
  });
}

/** 201 with the new app and the rows it got; 409 (with the app) when its code or data did not come along. */
function transferAnswer(c: Context<PlatformContext>, made: MadeApp, dataNotCopied?: string): Response {
  if (made.problem) throw new ApiError(409, "build_failed", made.problem, { app: appView(c.env, made.app) });
  const rows = made.loaded?.tables ?? [];
  const answer: AppTransfer = { ...appView(c.env, made.app), rows, skipped: skippedOf(made) };
  return c.json(dataNotCopied ? { ...answer, dataNotCopied } : answer, 201);
}

function skippedOf(made: MadeApp): string[] {
  return [...(made.loaded?.skippedTables ?? []), ...(made.loaded?.skippedColumns ?? [])];
}

/** The request body as bytes, refused past the archive limit even when it comes without a length. */
async function readBytes(request: Request): Promise<Uint8Array> {
  const tooLarge = () =>
    new ApiError(413, "payload_too_large", `Kiln imports apps of up to ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB.`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_ARCHIVE_BYTES) throw tooLarge();
  if (!request.body) throw new ApiError(400, "bad_request", "Send the exported zip as the request body.");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > MAX_ARCHIVE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
