// Automations through the real Worker: declared in app code, checked at build,
// scheduled by the minute tick (called with chosen clocks), dispatched through
// the dispatcher Durable Objects into the app's real Dynamic Worker.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../control-plane/index";
import { newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { appRows, automationApp, publishedApp, runsOf, setNextSlot, settled, tickAt } from "../../test/automations";

// Each run writes a row: which automation, what triggered it, its slot and attempt.
const RECORD = `async run(run, env: Env) { await env.DB.insert("runs", { automation: run.name, trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt, input: run.input }); return { slot: run.scheduledAt }; }`;

describe("declaring automations", () => {
  it("refuses a bad schedule at build time, naming the automation, and keeps the last good version", async () => {
    const user = await newUser();
    const app = await appWithSource(
      user,
      "bad schedule",
      automationApp(`{ digest: { cron: "0 9 * * *", timezone: "Europe/Berlin", ${RECORD} } }`),
    );
    for (const [automations, words] of [
      [
        `{ digest: { cron: "0 25 * * *", ${RECORD} } }`,
        /automation "digest": "0 25 \* \* \*" is not a valid schedule \(Invalid value for hour: 25\)/,
      ],
      [
        `{ digest: { cron: "0 9 * * *", timezone: "Berlin", ${RECORD} } }`,
        /"Berlin" is not a timezone: use an IANA name/,
      ],
      [`{ digest: { cron: "0 9 * * *", attempts: 0, ${RECORD} } }`, /attempts must be a whole number from 1 to 10/],
    ] as const) {
      const upload = await user.call("PUT", `/api/apps/${app.id}/source`, { files: automationApp(automations) });
      expect(upload.status).toBe(422);
      expect(upload.body.diagnostics[0].message).toMatch(words);
      expect(upload.body.diagnostics[0].line).toBe(5); // the `export const automations` line
    }
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBe(app.version);
  });

  it("lists the live automations with their next five fire times and the preview's declarations", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ digest: { cron: "0 9 * * 1-5", timezone: "Europe/Berlin", ${RECORD} }, hook: { webhook: true, ${RECORD} } }`,
      ),
    );
    const listed = await user.call("GET", `/api/apps/${app.id}/automations`);
    expect(listed.status).toBe(200);
    const digest = listed.body.automations.find((a: { name: string }) => a.name === "digest");
    expect(digest).toMatchObject({
      cron: "0 9 * * 1-5",
      timezone: "Europe/Berlin",
      schedule: "Every weekday at 09:00 (Europe/Berlin)",
      missed: "run_once",
      attempts: 3,
      status: "ok",
      webhookUrl: null,
    });
    expect(digest.nextFireTimes).toHaveLength(5);
    for (const time of digest.nextFireTimes as string[]) {
      const local = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(new Date(time));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    }
    const hook = listed.body.automations.find((a: { name: string }) => a.name === "hook");
    expect(hook.webhookUrl).toMatch(/\/api\/hooks\/automations\/hook_[0-9a-f]{20}$/);
    expect(listed.body.preview.map((a: { name: string; schedule: string | null }) => [a.name, a.schedule])).toEqual([
      ["digest", "Every weekday at 09:00 (Europe/Berlin)"],
      ["hook", null],
    ]);
  });
});

describe("the minute tick", () => {
  it("runs a slot exactly once however many ticks see it, at once or again later", async () => {
    const user = await newUser();
    const app = await publishedApp(user, automationApp(`{ every10: { cron: "*/10 * * * *", ${RECORD} } }`));
    await setNextSlot(app.id, "every10", "2026-06-01T10:00:00.000Z");
    await Promise.all([1, 2, 3, 4, 5].map(() => tickAt("2026-06-01T10:00:02Z")));
    await tickAt("2026-06-01T10:00:30Z");
    await tickAt("2026-06-01T10:01:00Z");
    const runs = await settled(user, app.id);
    expect(runs.map((r) => [r.scheduledAt, r.status])).toEqual([["2026-06-01T10:00:00.000Z", "succeeded"]]);
    expect((await appRows(user, app.id)).map((r) => r.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);
    expect((await user.call("GET", `/api/apps/${app.id}/automations`)).body.automations[0].nextFireTimes.length).toBe(
      5,
    );
  });

  it("follows Berlin's clock change: one nightly run on each DST day, an hourly job every real hour", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ nightly: { cron: "30 2 * * *", timezone: "Europe/Berlin", ${RECORD} }, hourly: { cron: "0 * * * *", timezone: "Europe/Berlin", ${RECORD} } }`,
      ),
    );
    // Spring forward (2026-03-29, 02:00 → 03:00) and fall back (2026-10-25, 03:00 → 02:00), a tick every minute.
    for (const [from, to] of [
      ["2026-03-28T23:30:00Z", "2026-03-29T02:10:00Z"],
      ["2026-10-24T23:30:00Z", "2026-10-25T02:10:00Z"],
    ] as const) {
      await setNextSlot(app.id, "nightly", new Date(new Date(from).getTime() + 1).toISOString());
      await setNextSlot(app.id, "hourly", new Date(new Date(from).getTime() + 1).toISOString());
      for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 60_000) await tickAt(new Date(t));
      await settled(user, app.id);
    }
    const runs = await runsOf(user, app.id);
    const slots = (name: string) =>
      runs
        .filter((r) => r.automation === name)
        .map((r) => r.scheduledAt)
        .sort();
    // 02:30 did not exist on March 29: it ran at 03:00 CEST. On October 25 02:30 came twice: it ran once.
    expect(slots("nightly")).toEqual(["2026-03-29T01:00:00.000Z", "2026-10-25T00:30:00.000Z"]);
    expect(slots("hourly")).toEqual([
      "2026-03-29T00:00:00.000Z", // 01:00 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST (02:00 did not exist)
      "2026-03-29T02:00:00.000Z", // 04:00 CEST
      "2026-10-25T00:00:00.000Z", // 02:00 CEST
      "2026-10-25T01:00:00.000Z", // 02:00 CET, the second time
      "2026-10-25T02:00:00.000Z", // 03:00 CET
    ]);
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
  });

  it("skips a slot while the previous run is still going, and says so", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ slow: { cron: "* * * * *", async run(run, env: Env) { await new Promise((r) => setTimeout(r, 2500)); await env.DB.insert("runs", { automation: "slow", trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt }); } } }`,
      ),
    );
    await setNextSlot(app.id, "slow", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:01Z");
    await new Promise((r) => setTimeout(r, 500));
    await tickAt("2026-06-01T10:01:01Z");
    const runs = await settled(user, app.id);
    expect(runs.map((r) => [r.scheduledAt, r.status, r.error]).sort()).toEqual([
      ["2026-06-01T10:00:00.000Z", "succeeded", null],
      ["2026-06-01T10:01:00.000Z", "skipped", 'the previous run of "slow" was still going, so this slot was skipped'],
    ]);
  });

  it("after an outage, runs the missed slots once (default) or skips them, recording every one", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ catchUp: { cron: "*/10 * * * *", ${RECORD} }, skipper: { cron: "*/10 * * * *", missed: "skip", ${RECORD} } }`,
      ),
    );
    await setNextSlot(app.id, "catchUp", "2026-06-01T10:00:00.000Z");
    await setNextSlot(app.id, "skipper", "2026-06-01T10:00:00.000Z");
    // Kiln was down from before 10:00 until 10:35.
    await tickAt("2026-06-01T10:35:00Z");
    const runs = await settled(user, app.id);
    const of = (name: string) =>
      runs
        .filter((r) => r.automation === name)
        .map((r) => [r.scheduledAt!.slice(11, 16), r.status])
        .sort();
    expect(of("catchUp")).toEqual([
      ["10:00", "skipped"],
      ["10:10", "skipped"],
      ["10:20", "skipped"],
      ["10:30", "succeeded"],
    ]);
    expect(of("skipper")).toEqual([
      ["10:00", "skipped"],
      ["10:10", "skipped"],
      ["10:20", "skipped"],
      ["10:30", "skipped"],
    ]);
    expect(runs.find((r) => r.automation === "skipper")!.error).toMatch(/Kiln was not running at this time/);
    expect((await appRows(user, app.id)).map((r) => [r.automation, r.slot])).toEqual([
      ["catchUp", "2026-06-01T10:30:00.000Z"],
    ]);
    // The next slot is the first one after the outage.
    await tickAt("2026-06-01T10:40:01Z");
    expect(
      (await settled(user, app.id)).filter((r) => r.scheduledAt === "2026-06-01T10:40:00.000Z").map((r) => r.status),
    ).toEqual(["succeeded", "succeeded"]);
  });

  it("marks an automation failing after three slots in a row failed, and a success clears it", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ flaky: { cron: "* * * * *", attempts: 1, async run(run, env: Env) { if (run.scheduledAt! < "2026-06-01T10:03") throw new Error("the sheet was locked"); } } }`,
      ),
    );
    await setNextSlot(app.id, "flaky", "2026-06-01T10:00:00.000Z");
    const status = async () => (await user.call("GET", `/api/apps/${app.id}/automations`)).body.automations[0];
    for (const minute of ["00", "01"]) {
      await tickAt(`2026-06-01T10:${minute}:01Z`);
      await settled(user, app.id);
    }
    expect(await status()).toMatchObject({ status: "ok", consecutiveFailures: 2 });
    await tickAt("2026-06-01T10:02:01Z");
    await settled(user, app.id);
    expect(await status()).toMatchObject({
      status: "failing",
      consecutiveFailures: 3,
      lastError: "the sheet was locked",
    });
    const failed = (await runsOf(user, app.id))[0]!;
    expect(failed).toMatchObject({ status: "failed", attempt: 1, error: "the sheet was locked" });
    await tickAt("2026-06-01T10:03:01Z");
    await settled(user, app.id);
    expect(await status()).toMatchObject({ status: "ok", consecutiveFailures: 0, lastError: null });
  });

  it("is what the platform's cron trigger runs", async () => {
    const user = await newUser();
    const app = await publishedApp(user, automationApp(`{ minutely: { cron: "* * * * *", ${RECORD} } }`));
    await setNextSlot(app.id, "minutely", "2026-06-01T12:00:00.000Z");
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date("2026-06-01T12:00:00Z").getTime(), cron: "* * * * *" }),
      env,
    );
    expect((await settled(user, app.id)).map((r) => [r.trigger, r.scheduledAt, r.status])).toEqual([
      ["cron", "2026-06-01T12:00:00.000Z", "succeeded"],
    ]);
  });
});
