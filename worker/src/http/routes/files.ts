import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith } from "../validation";
import { ApiError, NotFoundError } from "../../core/errors";
import { FileError } from "../../files/file-error";
import { MAX_FILES_PAGE, deleteAppFile, downloadAppFile, listAppFiles } from "../../files/app-files-admin";
import { recordAudit } from "../../audit/audit-log";

const envQuery = z.object({
  environment: z.enum(["preview", "live"], "environment must be preview or live").default("preview"),
});
const fileQuery = envQuery.extend({ name: z.string("name the file").min(1).max(1024) });
const pageQuery = envQuery.extend({
  offset: z.coerce.number("offset is a number").int().min(0).default(0),
  limit: z.coerce.number("limit is a number").int().min(1).max(MAX_FILES_PAGE).default(100),
});

// A name no app could have stored is a plain 400, in the words the app itself would get.
async function asApiError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FileError && error.kind === "invalid_name")
      throw new ApiError(400, "bad_request", error.message);
    throw error;
  }
}

/** The owner's view of an app's stored files (`env.FILES`): list (paged), download, delete. Mounted under `/apps/:id`. */
export const fileRoutes = new Hono<PlatformContext>()
  .get("/files", async (c) => {
    const { environment, offset, limit } = parseWith(pageQuery, c.req.query());
    return c.json(await listAppFiles(c.env, c.var.app, environment, { offset, limit }));
  })
  .get("/files/download", async (c) => {
    const { environment, name } = parseWith(fileQuery, c.req.query());
    const response = await asApiError(() => downloadAppFile(c.env, c.var.app, environment, name));
    if (!response) throw new NotFoundError("That file");
    return response;
  })
  .delete("/files", async (c) => {
    const { environment, name } = parseWith(fileQuery, c.req.query());
    const deleted = await asApiError(() => deleteAppFile(c.env, c.var.app, environment, name));
    if (!deleted) throw new NotFoundError("That file");
    await recordAudit(c.env.DB, {
      userId: c.var.user.id,
      appId: c.var.app.id,
      action: "file.delete",
      detail: { environment, name },
    });
    return c.json({ deleted: true });
  });
