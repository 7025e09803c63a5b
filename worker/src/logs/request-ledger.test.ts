// A busy app's requests are all counted (the chart) while only every error and a sample of the rest become rows
// of the request log; counts reach the database in batches and add up per minute, whichever batch brings them.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { NewRequestEntry } from "./request-records";
import { RequestLedger } from "./request-ledger";
import { appendTallies, summarizeRequests } from "./request-minutes";
import { LogBatch } from "../runner/log-batch";

const row = (appId: string, at: string, status: number | null, path = "/"): NewRequestEntry => ({
  appId,
  environment: "live",
  version: "v1",
  requestId: null,
  kind: "visit",
  method: "GET",
  path,
  status,
  outcome: status === null ? "exceededCpu" : "ok",
  durationMs: 3,
  timestamp: at,
});

describe("the request ledger", () => {
  it("counts every request and keeps every error and up to the rate of the others, per app and second", () => {
    const ledger = new RequestLedger(10);
    const second = "2026-06-01T10:00:05.";
    const busy = Array.from({ length: 100 }, (_, i) => row("app_busy", `${second}${String(i).padStart(3, "0")}Z`, 200));
    busy[40] = row("app_busy", `${second}400Z`, 500, "/boom");
    busy[41] = row("app_busy", `${second}410Z`, 404, "/nope");
    busy[42] = row("app_busy", `${second}420Z`, null, "/spin");
    const quiet = [row("app_quiet", `${second}500Z`, 200)];
    const kept = ledger.keep([...busy, ...quiet]);

    expect(kept.filter((r) => r.appId === "app_busy" && r.status === 200)).toHaveLength(10);
    expect(kept.filter((r) => r.appId === "app_busy" && r.status !== 200).map((r) => r.path)).toEqual([
      "/boom",
      "/nope",
      "/spin",
    ]);
    expect(kept.filter((r) => r.appId === "app_quiet")).toHaveLength(1);
    expect(ledger.drain()).toEqual([
      {
        appId: "app_busy",
        environment: "live",
        minute: "2026-06-01T10:00:00.000Z",
        requests: 100,
        serverErrors: 2,
        clientErrors: 1,
      },
      {
        appId: "app_quiet",
        environment: "live",
        minute: "2026-06-01T10:00:00.000Z",
        requests: 1,
        serverErrors: 0,
        clientErrors: 0,
      },
    ]);
    // Drained counts are sent once; the next second samples afresh.
    expect(ledger.drain()).toEqual([]);
    const next = ledger.keep(Array.from({ length: 20 }, () => row("app_busy", "2026-06-01T10:01:06.000Z", 200)));
    expect(next).toHaveLength(10);
    expect(ledger.drain()).toMatchObject([{ minute: "2026-06-01T10:01:00.000Z", requests: 20 }]);
  });

  it("rides along with the runner's batch even when no line or row is kept", async () => {
    const ledger = new RequestLedger(0);
    const sent: object[][] = [];
    const batch = new LogBatch<object>(async (records) => void sent.push(records), {
      delayMs: 5,
      collect: () => ledger.drain(),
    });
    const kept: Promise<unknown>[] = [];
    const requests = [row("app_1", "2026-06-01T10:00:00.000Z", 200), row("app_1", "2026-06-01T10:00:00.500Z", 200)];
    batch.add(ledger.keep(requests), (p) => kept.push(p), requests.length > 0);
    await Promise.all(kept);
    expect(sent).toEqual([[expect.objectContaining({ appId: "app_1", requests: 2, serverErrors: 0 })]]);
  });
});

describe("per-minute counts", () => {
  it("add up across batches and make the chart, whatever the log kept", async () => {
    const appId = `app_minutes_${crypto.randomUUID().slice(0, 8)}`;
    const minute = "2026-06-01T10:00:00.000Z";
    const now = new Date("2026-06-01T10:30:00Z");
    await appendTallies(
      env.DB,
      [{ appId, environment: "live", minute, requests: 600, serverErrors: 3, clientErrors: 7 }],
      now,
    );
    await appendTallies(
      env.DB,
      [
        { appId, environment: "live", minute, requests: 400, serverErrors: 1, clientErrors: 0 },
        {
          appId,
          environment: "preview",
          minute: "2026-06-01T10:02:00.000Z",
          requests: 5,
          serverErrors: 0,
          clientErrors: 0,
        },
      ],
      now,
    );
    const range = { from: new Date("2026-06-01T10:00:00Z"), to: new Date("2026-06-01T10:05:00Z"), bucketSeconds: 60 };
    const live = await summarizeRequests(env.DB, appId, { ...range, environment: "live" });
    expect(live.buckets[0]).toMatchObject({ requests: 1000, serverErrors: 4, clientErrors: 7 });
    expect(live.totals).toEqual({ requests: 1000, serverErrors: 4, clientErrors: 7 });
    const both = await summarizeRequests(env.DB, appId, range);
    expect(both.buckets.map((b) => b.requests)).toEqual([1000, 0, 5, 0, 0]);

    // A week and a day later, the old minutes are gone as new ones arrive.
    const later = new Date("2026-06-09T11:00:00Z");
    await appendTallies(
      env.DB,
      [
        {
          appId,
          environment: "live",
          minute: "2026-06-09T11:00:00.000Z",
          requests: 1,
          serverErrors: 0,
          clientErrors: 0,
        },
      ],
      later,
    );
    expect((await summarizeRequests(env.DB, appId, range)).totals.requests).toBe(0);
  });
});
