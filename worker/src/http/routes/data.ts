import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { ApiError, type ErrorCode, type ErrorStatus } from "../../core/errors";
import { appDataStore } from "../../data/app-data-store-stub";
import type { DataErrorCode, DataResult } from "../../data/result";
import type { DataOverview, RowsPage } from "../../core/api-shapes";

const envQuery = z.object({ env: z.enum(["preview", "live"], "env must be preview or live").default("preview") });
const pageQuery = envQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  orderBy: z.string().max(63).optional(),
  order: z.enum(["asc", "desc"]).default("asc"),
});
const rowId = (raw: string) => parseWith(z.coerce.number().int().positive("row ids are positive whole numbers"), raw);
const rowBody = z.record(z.string(), z.unknown(), "send the row as a JSON object of column values");

const STATUS: Record<DataErrorCode, [ErrorStatus, ErrorCode]> = {
  not_found: [404, "not_found"],
  invalid: [400, "bad_request"],
  destructive_change: [409, "destructive_change"],
  blocked_change: [409, "conflict"],
  query_refused: [400, "bad_request"],
  internal: [500, "internal"],
};

/** Unwraps a data store result or throws the matching API error. */
function unwrap<T>(result: DataResult<T>): T {
  if (result.ok) return result.value;
  const [status, code] = STATUS[result.error.code];
  throw new ApiError(status, code, result.error.message);
}

/** The owner's view of an app's data: `/api/apps/:id/data[/:table[/:rowId]]?env=preview|live`. */
export const dataAdminRoutes = new Hono<PlatformContext>()
  .get("/data", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const described = unwrap(await appDataStore(c.env, c.var.app, env).describe());
    return c.json({ environment: env, ...described } satisfies DataOverview);
  })
  .get("/data/:table", async (c) => {
    const q = parseWith(pageQuery, c.req.query());
    const store = appDataStore(c.env, c.var.app, q.env);
    const page = unwrap(
      await store.listRows(c.req.param("table"), {
        limit: q.limit,
        offset: q.offset,
        orderBy: q.orderBy,
        order: q.order,
      }),
    );
    return c.json({ environment: q.env, ...page, limit: q.limit, offset: q.offset } satisfies RowsPage);
  })
  .post("/data/:table", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const row = unwrap(
      await appDataStore(c.env, c.var.app, env).insert(c.req.param("table"), await readJson(c, rowBody)),
    );
    await audit(c, "insert", env);
    return c.json(row, 201);
  })
  .get("/data/:table/:rowId", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const row = unwrap(
      await appDataStore(c.env, c.var.app, env).get(c.req.param("table"), rowId(c.req.param("rowId"))),
    );
    if (!row) throw new ApiError(404, "not_found", "This row was not found.");
    return c.json(row);
  })
  .patch("/data/:table/:rowId", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const store = appDataStore(c.env, c.var.app, env);
    const row = unwrap(
      await store.update(c.req.param("table"), rowId(c.req.param("rowId")), await readJson(c, rowBody)),
    );
    if (!row) throw new ApiError(404, "not_found", "This row was not found.");
    await audit(c, "update", env);
    return c.json(row);
  })
  .delete("/data/:table/:rowId", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const deleted = unwrap(
      await appDataStore(c.env, c.var.app, env).delete(c.req.param("table"), rowId(c.req.param("rowId"))),
    );
    if (!deleted) throw new ApiError(404, "not_found", "This row was not found.");
    await audit(c, "delete", env);
    return c.json({ ok: true });
  });

async function audit(
  c: { env: PlatformContext["Bindings"]; var: PlatformContext["Variables"]; req: { param(name: string): string } },
  op: string,
  environment: string,
) {
  await recordAudit(c.env.DB, {
    userId: c.var.user.id,
    appId: c.var.app.id,
    action: "data.write",
    detail: { op, table: c.req.param("table"), environment },
  });
}
