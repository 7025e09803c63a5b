import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith } from "../validation";
import { listRequests } from "../../logs/request-store";
import { summarizeRequests } from "../../logs/request-minutes";
import type { RequestPage, RequestSummary } from "../../core/api-shapes";

const environment = z.enum(["preview", "live"], "env must be preview or live").optional();
const isoTime = z.iso.datetime({ offset: true, error: "use an ISO time, e.g. 2026-06-01T10:00:00Z" });

const listSchema = z.object({
  env: environment,
  kind: z.enum(["visit", "automation", "stripe", "tool"], "kind must be visit, automation, stripe or tool").optional(),
  errors: z.enum(["server", "any"], "errors must be server (5xx) or any (4xx and 5xx)").optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The chart's ranges: how far back, and how wide each bar is. */
const RANGES = {
  "1h": { seconds: 3600, bucketSeconds: 60 },
  "24h": { seconds: 86_400, bucketSeconds: 3600 },
  "7d": { seconds: 7 * 86_400, bucketSeconds: 3600 },
} as const;

const summarySchema = z.object({
  env: environment,
  range: z.enum(["1h", "24h", "7d"], "range must be 1h, 24h or 7d").default("1h"),
  to: isoTime.optional(),
});

/**
 * `GET /api/apps/:id/requests`: the app's request log (visits, automation runs, Stripe events), newest first,
 * filtered by environment, kind, errors and a time range; `before=<id>` pages back. `GET …/requests/summary`:
 * requests and errors per minute (last hour) or per hour (last day or week), for the Logs tab's chart.
 */
export const requestRoutes = new Hono<PlatformContext>()
  .get("/requests", async (c) => {
    const q = parseWith(listSchema, c.req.query());
    const page = await listRequests(c.env.DB, c.var.app.id, {
      environment: q.env,
      kind: q.kind,
      minStatus: q.errors === "server" ? 500 : q.errors === "any" ? 400 : undefined,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      before: q.before,
      limit: q.limit,
    });
    return c.json(page satisfies RequestPage);
  })
  .get("/requests/summary", async (c) => {
    const q = parseWith(summarySchema, c.req.query());
    const range = RANGES[q.range];
    const end = q.to ? new Date(q.to) : new Date();
    // Bars end at the next whole bucket, so the newest bar is the current minute (or hour).
    const to = new Date(Math.ceil((end.getTime() + 1) / (range.bucketSeconds * 1000)) * range.bucketSeconds * 1000);
    const from = new Date(to.getTime() - range.seconds * 1000);
    const summary = await summarizeRequests(c.env.DB, c.var.app.id, {
      from,
      to,
      bucketSeconds: range.bucketSeconds,
      environment: q.env,
    });
    return c.json(summary satisfies RequestSummary);
  });
