// The request log: each visit to an app (and each automation run) becomes a row with method, path (never the
// query), status, duration and the request id, taken from the isolate's tail; the summary counts 5xx apart from
// 4xx; paging, kinds and time ranges work; the rows go with their app.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually, notesApp } from "../../test/fixtures";
import type { RequestEntry } from "../core/api-shapes/requests";
import { INVOKE_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import { pathOf, traceToRequests } from "./trace-to-requests";

const source = { appId: "app_1", environment: "live" as const, version: "v1" };

/** A tail event of one fetch, as workerd reports it. */
function fetchEvent(url: string, status: number | null, headers: Record<string, string> = {}): TraceItem {
  return {
    event: {
      request: { method: "GET", url, headers, getUnredacted: () => ({}) as TraceItemFetchEventInfoRequest },
      ...(status === null ? {} : { response: { status } }),
    } as TraceItemFetchEventInfo,
    eventTimestamp: Date.parse("2026-06-01T10:00:00Z"),
    logs: [],
    exceptions: [],
    diagnosticsChannelEvents: [],
    scriptName: null,
    outcome: status === null ? "exceededCpu" : "ok",
    executionModel: "stateless",
    truncated: false,
    cpuTime: 1,
    wallTime: 12.4,
  };
}

describe("request rows from tail events", () => {
  it("keep the path without its query, the status, wall time, request id and who sent it", () => {
    const rows = traceToRequests(source, [
      fetchEvent("https://shop.apps.test/orders/7?token=sk_live_secret#x", 200, { [REQUEST_ID_HEADER]: "req_a" }),
      fetchEvent("https://shop.apps.test/__kiln/automations/sync", null, { [INVOKE_HEADER]: "automation" }),
      { ...fetchEvent("https://x/", 200), event: { rpcMethod: "evict" } as TraceItemJsRpcEventInfo },
    ]);
    expect(rows).toEqual([
      {
        ...source,
        requestId: "req_a",
        kind: "visit",
        method: "GET",
        path: "/orders/7",
        status: 200,
        outcome: "ok",
        durationMs: 12,
        timestamp: "2026-06-01T10:00:00.000Z",
      },
      expect.objectContaining({ kind: "automation", status: null, outcome: "exceededCpu", requestId: null }),
    ]);
    expect(JSON.stringify(rows)).not.toContain("sk_live_secret");
    expect(pathOf(`https://x/${"a".repeat(600)}`)).toHaveLength(513);
  });
});

describe("GET /api/apps/:id/requests", () => {
  it("lists visits with status, duration and request id, and the summary counts 5xx and 4xx apart", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "request log", notesApp());
    const answers = [];
    for (const path of ["/", "/boom", "/notes/999?token=sk_live_hidden", "/nope"])
      answers.push(await visit(`${app.previewUrl.replace(/\/$/, "")}${path}`));
    expect(answers.map((a) => a.status)).toEqual([200, 500, 200, 404]);
    const ids = answers.map((a) => a.headers.get(REQUEST_ID_HEADER));

    const listed = await eventually(async () => {
      const page = await user.call("GET", `/api/apps/${app.id}/requests`);
      return page.body.requests.length >= 4 ? (page.body.requests as RequestEntry[]) : null;
    }, 10_000);
    const byId = new Map(listed.map((row) => [row.requestId, row]));
    expect(byId.get(ids[0]!)).toMatchObject({
      method: "GET",
      path: "/",
      status: 200,
      kind: "visit",
      environment: "preview",
    });
    expect(byId.get(ids[1]!)).toMatchObject({ path: "/boom", status: 500 });
    expect(byId.get(ids[2]!)).toMatchObject({ path: "/notes/999" });
    expect(byId.get(ids[3]!)).toMatchObject({ path: "/nope", status: 404 });
    for (const row of listed) expect(row.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(listed)).not.toContain("sk_live_hidden");

    const errors = await user.call("GET", `/api/apps/${app.id}/requests?errors=server`);
    expect(errors.body.requests.map((r: RequestEntry) => r.path)).toEqual(["/boom"]);
    const paged = await user.call("GET", `/api/apps/${app.id}/requests?limit=2`);
    expect(paged.body.requests).toHaveLength(2);
    const rest = await user.call("GET", `/api/apps/${app.id}/requests?limit=100&before=${paged.body.nextBefore}`);
    expect(rest.body.requests.length).toBe(listed.length - 2);
    expect(rest.body.nextBefore).toBeNull();
    const future = await user.call("GET", `/api/apps/${app.id}/requests?from=2099-01-01T00:00:00Z`);
    expect(future.body.requests).toEqual([]);
    expect((await user.call("GET", `/api/apps/${app.id}/requests?from=yesterday`)).status).toBe(400);
    expect((await user.call("GET", `/api/apps/${app.id}/requests?kind=robot`)).status).toBe(400);

    const summary = await user.call("GET", `/api/apps/${app.id}/requests/summary?range=1h`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.body.bucketSeconds).toBe(60);
    expect(summary.body.buckets).toHaveLength(60);
    expect(summary.body.totals).toEqual({ requests: listed.length, serverErrors: 1, clientErrors: 1 });
    const day = await user.call("GET", `/api/apps/${app.id}/requests/summary?range=24h&env=live`);
    expect(day.body.buckets).toHaveLength(24);
    expect(day.body.totals.requests).toBe(0);

    // Deleting the app deletes its request log.
    expect((await user.call("DELETE", `/api/apps/${app.id}`)).status).toBe(200);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM app_requests WHERE app_id = ?")
      .bind(app.id)
      .first("n");
    expect(left).toBe(0);
  });
});
