import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { ApiError } from "../../core/errors";
import { appDataStore } from "../../data/app-data-store-stub";
import { dataValue } from "../../data/data-results";
import type { DataOverview, GridFilter, ImportPreview, RowsPage } from "../../core/api-shapes";
import { MAX_IMPORT_CHARS } from "../../data/csv-import";

const envQuery = z.object({ env: z.enum(["preview", "live"], "env must be preview or live").default("preview") });
const pageQuery = envQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  orderBy: z.string().max(63).optional(),
  order: z.enum(["asc", "desc"]).default("asc"),
  q: z.string().max(200, "search for at most 200 characters").optional(),
});
const writeQuery = envQuery.extend({
  format: z.enum(["json", "text"], "format must be json (typed values) or text (values as typed)").default("json"),
});
const importBody = z.object({
  csv: z.string("send the CSV's text as csv").max(MAX_IMPORT_CHARS, "The CSV is too large (at most 2 MB)."),
  apply: z.boolean().default(false),
});
const FILTER = /^([A-Za-z][A-Za-z0-9_]*):(equals|contains|empty):([\s\S]*)$/;

/** `filter=<column>:<op>:<value>` query parameters; the column is checked against the schema by the store. */
function readFilters(raw: string[] | undefined): GridFilter[] {
  return (raw ?? []).map((text) => {
    const match = FILTER.exec(text);
    if (!match)
      throw new ApiError(
        400,
        "bad_request",
        `Filters look like column:equals:value, column:contains:value or column:empty:; got "${text.slice(0, 80)}".`,
      );
    return { column: match[1] ?? "", op: match[2] as GridFilter["op"], value: match[3] ?? "" };
  });
}
const rowId = (raw: string) => parseWith(z.coerce.number().int().positive("row ids are positive whole numbers"), raw);
const rowBody = z.record(z.string(), z.unknown(), "send the row as a JSON object of column values");

/** The owner's view of an app's data: `/api/apps/:id/data[/:table[/:rowId]]?env=preview|live`. */
export const dataAdminRoutes = new Hono<PlatformContext>()
  .get("/data", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const described = dataValue(await appDataStore(c.env, c.var.app, env).describe());
    return c.json({ environment: env, ...described } satisfies DataOverview);
  })
  .get("/data/:table", async (c) => {
    const q = parseWith(pageQuery, c.req.query());
    const store = appDataStore(c.env, c.var.app, q.env);
    const page = dataValue(
      await store.listRows(c.req.param("table"), {
        limit: q.limit,
        offset: q.offset,
        orderBy: q.orderBy,
        order: q.order,
        search: q.q,
        filters: readFilters(c.req.queries("filter")),
      }),
    );
    return c.json({ environment: q.env, ...page, limit: q.limit, offset: q.offset } satisfies RowsPage);
  })
  .post("/data/:table", async (c) => {
    const { env, format } = parseWith(writeQuery, c.req.query());
    const store = appDataStore(c.env, c.var.app, env);
    const row = dataValue(await store.ownerWrite(c.req.param("table"), null, await readJson(c, rowBody), format));
    await audit(c, "insert", env);
    return c.json(row, 201);
  })
  .post("/data/:table/import", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const body = await readJson(c, importBody);
    const outcome = dataValue(
      await appDataStore(c.env, c.var.app, env).importCsv(c.req.param("table"), body.csv, body.apply),
    );
    if (body.apply) await audit(c, "import", env);
    return c.json({ environment: env, ...outcome } satisfies ImportPreview);
  })
  .get("/data/:table/:rowId", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const row = dataValue(
      await appDataStore(c.env, c.var.app, env).get(c.req.param("table"), rowId(c.req.param("rowId"))),
    );
    if (!row) throw new ApiError(404, "not_found", "This row was not found.");
    return c.json(row);
  })
  .patch("/data/:table/:rowId", async (c) => {
    const { env, format } = parseWith(writeQuery, c.req.query());
    const store = appDataStore(c.env, c.var.app, env);
    const id = rowId(c.req.param("rowId"));
    const row = dataValue(await store.ownerWrite(c.req.param("table"), id, await readJson(c, rowBody), format));
    if (!row) throw new ApiError(404, "not_found", "This row was not found.");
    await audit(c, "update", env);
    return c.json(row);
  })
  .delete("/data/:table/:rowId", async (c) => {
    const { env } = parseWith(envQuery, c.req.query());
    const deleted = dataValue(
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
