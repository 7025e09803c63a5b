// Runs end to end: retries that reach Stripe once, manual and webhook runs,
// what a run record shows (and never shows), and refusals for paused or
// deleted apps.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import { PLATFORM, newUser } from "../../test/api-client";
import { eventually } from "../../test/fixtures";
import { connectStripe } from "../../test/template-stripe";
import { fakeRequests } from "../../../connectors/testing/fake-requests";
import { executeRun } from "./execute-run";
import { insertRun } from "./run-store";
import type { AppRunner } from "../isolates/app-runner";
import { appRunnerFor } from "../isolates/app-runner-for";
import { appRows, automationApp, publishedApp, runsOf, setNextSlot, settled, tickAt } from "../../test/automations";

const RECORD = `async run(run, env: Env) { await env.DB.insert("runs", { automation: run.name, trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt, input: run.input }); console.log("ran " + run.name + " for " + run.trigger); return { got: run.input }; }`;

describe("retries", () => {
  it("retries a failed slot with backoff and the same idempotency key, so Stripe creates the customer once", async () => {
    const user = await newUser();
    await connectStripe(user);
    const email = `retry-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const app = await publishedApp(
      user,
      automationApp(
        `{ invoiceSync: { cron: "0 * * * *", async run(run, env: Env) {
          const customer = await stripe.customers.create({ email: ${JSON.stringify(email)} });
          await env.DB.insert("runs", { automation: customer.id, trigger: run.idempotencyKey, slot: run.scheduledAt, attempt: run.attempt });
          if (run.attempt < 3) throw new Error("the spreadsheet was busy");
          return { customer: customer.id };
        } } }`,
        `import { stripe } from "kiln/stripe";`,
      ),
    );
    await setNextSlot(app.id, "invoiceSync", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    // Backoff in tests: 1 s, then 2 s (KILN_AUTOMATION_RETRY_SECONDS=1).
    const [run] = await settled(user, app.id, 20_000);
    expect(run).toMatchObject({ status: "succeeded", attempt: 3, maxAttempts: 3, trigger: "cron" });
    const rows = await appRows(user, app.id);
    expect(rows.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(rows.map((r) => r.automation)).size).toBe(1); // the same customer every time
    expect(new Set(rows.map((r) => r.trigger))).toEqual(new Set([run!.idempotencyKey]));
    const creates = (await fakeRequests(env.STRIPE_API_BASE)).filter(
      (r) => r.method === "POST" && r.url.startsWith("/v1/customers") && r.body.includes(encodeURIComponent(email)),
    );
    expect(creates).toHaveLength(3);
    expect(new Set(creates.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([`${run!.idempotencyKey}:1`]));
    const listed = (await (
      await fetch(`${env.STRIPE_API_BASE}/v1/customers?email=${encodeURIComponent(email)}`, {
        headers: { authorization: `Bearer ${FAKE_STRIPE_SECRET_KEY}` },
      })
    ).json()) as { data: unknown[] };
    expect(listed.data).toHaveLength(1);
    // Each attempt is on record with its own request id and error.
    const detail = await user.call("GET", `/api/runs/${run!.id}`);
    expect(detail.body.attempts.map((a: { status: string; error: string | null }) => [a.status, a.error])).toEqual([
      ["failed", "the spreadsheet was busy"],
      ["failed", "the spreadsheet was busy"],
      ["succeeded", null],
    ]);
    expect(
      detail.body.attempts[0].egress.map((call: { host: string; outcome: string }) => [call.host, call.outcome]),
    ).toEqual([["api.stripe.com", "sent"]]);
  });

  it("gives up after the automation's attempts and says so in the logs", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ broken: { cron: "0 * * * *", attempts: 2, async run() { throw new Error("the report template is missing"); } } }`,
      ),
    );
    await setNextSlot(app.id, "broken", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    const [run] = await settled(user, app.id, 20_000);
    expect(run).toMatchObject({ status: "failed", attempt: 2, error: "the report template is missing" });
    const logs = (await user.call("GET", `/api/apps/${app.id}/logs?limit=50`)).body.logs.map(
      (l: { message: string }) => l.message,
    );
    expect(logs).toContain(
      'Automation "broken" failed (attempt 1 of 2): the report template is missing. Kiln tries again at ' +
        logs.find((m: string) => m.includes("attempt 1 of 2"))!.split("tries again at ")[1],
    );
    expect(logs).toContain(
      'Automation "broken" failed (attempt 2 of 2): the report template is missing. No attempts are left.',
    );
  });
});

describe("a runner killed while it answers", () => {
  it("makes the attempt fail and be retried, instead of leaving the run stuck until the dispatcher's recheck", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(`{ hourly: { cron: "0 * * * *", async run() { return { done: true }; } } }`),
    );
    const { id, statement } = insertRun(
      env.DB,
      {
        appId: app.id,
        environment: "live",
        automation: "hourly",
        trigger: "cron",
        triggerKey: "cron:killed-while-answering",
        scheduledAt: "2026-06-01T10:00:00.000Z",
        status: "queued",
        maxAttempts: 3,
      },
      new Date(),
    );
    await statement.run();
    // The answer starts, then its connection dies with the runner (workerd's own words).
    const dying: AppRunner = {
      async serve() {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.error(new Error("Network connection lost."));
          },
        });
        return new Response(body);
      },
      prewarm: () => Promise.reject(new Error("not used")),
      inspect: () => Promise.reject(new Error("not used")),
      trial: () => Promise.reject(new Error("not used")),
      execute: () => Promise.reject(new Error("not used")),
    };
    const outcome = await executeRun(env, () => dying, id);
    expect(outcome.retryAt).not.toBeNull();
    expect(outcome.run).toMatchObject({ status: "retrying", attempt: 1 });
    const detail = await user.call("GET", `/api/runs/${id}`);
    expect(detail.body.attempts[0].error).toMatch(/runner stopped while it answered/);
  });
});

describe("manual and webhook runs", () => {
  it("runs an automation by hand with input, on live or preview, and shows its logs", async () => {
    const user = await newUser();
    const app = await publishedApp(user, automationApp(`{ report: { ${RECORD} } }`));
    const started = await user.call("POST", `/api/apps/${app.id}/automations/report/run`, { month: "May" });
    expect(started.status, started.text).toBe(201);
    expect(started.body.run).toMatchObject({
      trigger: "manual",
      status: "succeeded",
      environment: "live",
      output: { got: { month: "May" } },
      attempt: 1,
    });
    const detail = await user.call("GET", `/api/runs/${started.body.run.id}`);
    await eventually(async () => {
      const again = await user.call("GET", `/api/runs/${started.body.run.id}`);
      return again.body.attempts[0].logs.some((l: { message: string }) => l.message === "ran report for manual");
    });
    expect(detail.body.run.id).toBe(started.body.run.id);
    const preview = await user.call("POST", `/api/apps/${app.id}/automations/report/run?env=preview`);
    expect(preview.body.run).toMatchObject({ environment: "preview", status: "succeeded" });
    expect((await appRows(user, app.id)).map((r) => r.input)).toEqual([{ month: "May" }]);
    const missing = await user.call("POST", `/api/apps/${app.id}/automations/nope/run`);
    expect(missing.status).toBe(404);
    // Another person cannot see the run.
    const stranger = await newUser();
    expect((await stranger.call("GET", `/api/runs/${started.body.run.id}`)).status).toBe(404);
  });

  it("turns each webhook delivery into one run, deduplicated by the delivery's id", async () => {
    const user = await newUser();
    const app = await publishedApp(user, automationApp(`{ newLead: { webhook: true, ${RECORD} } }`));
    const url = (await user.call("GET", `/api/apps/${app.id}/automations`)).body.automations[0].webhookUrl as string;
    const deliver = (id: string, body: unknown) =>
      SELF.fetch(`${PLATFORM}${new URL(url).pathname}`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": id },
        body: JSON.stringify(body),
      });
    const first = await deliver("delivery-1", { email: "ada@example.com" });
    expect(first.status).toBe(202);
    const again = await deliver("delivery-1", { email: "ada@example.com" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect((await deliver("delivery-2", { email: "grace@example.com" })).status).toBe(202);
    const runs = await settled(user, app.id);
    expect(runs.map((r) => [r.trigger, r.triggerKey, r.status]).sort()).toEqual([
      ["webhook", "webhook:delivery-1", "succeeded"],
      ["webhook", "webhook:delivery-2", "succeeded"],
    ]);
    expect((await appRows(user, app.id)).map((r) => r.input)).toEqual([
      { email: "ada@example.com" },
      { email: "grace@example.com" },
    ]);
    expect(
      (await SELF.fetch(`${PLATFORM}/api/hooks/automations/hook_00000000000000000000`, { method: "POST" })).status,
    ).toBe(404);
  });
});

describe("what runs never do", () => {
  it("never show a secret in a run's record, logs or egress", async () => {
    const user = await newUser();
    await connectStripe(user);
    const app = await publishedApp(
      user,
      automationApp(
        `{ leak: { async run(run, env: Env) {
          const answer = await fetch("https://api.stripe.com/v1/customers?limit=1", { headers: { authorization: "Bearer sk_test_fromTheApp" } });
          console.log("env", JSON.stringify(env), "status", answer.status, JSON.stringify([...answer.headers]));
          return { env: JSON.stringify(env), body: await answer.text() };
        } } }`,
        `import { stripe } from "kiln/stripe"; void stripe;`,
      ),
    );
    const started = await user.call("POST", `/api/apps/${app.id}/automations/leak/run`);
    expect(started.body.run.status).toBe("succeeded");
    const detail = await eventually(async () => {
      const answer = await user.call("GET", `/api/runs/${started.body.run.id}`);
      return answer.body.attempts[0].logs.length > 0 ? answer : null;
    });
    for (const secret of [FAKE_STRIPE_SECRET_KEY, env.KILN_MASTER_KEY!, env.KILN_INTERNAL_SECRET!]) {
      expect(detail.text).not.toContain(secret);
      expect(started.text).not.toContain(secret);
      expect((await user.call("GET", `/api/apps/${app.id}/runs`)).text).not.toContain(secret);
    }
  });

  it("refuses cleanly to run a paused version or a deleted app", async () => {
    const user = await newUser();
    const app = await publishedApp(user, automationApp(`{ hourly: { cron: "0 * * * *", webhook: true, ${RECORD} } }`));
    const url = (await user.call("GET", `/api/apps/${app.id}/automations`)).body.automations[0].webhookUrl as string;
    await env.DB.prepare(
      "INSERT INTO quarantines (app_id, version, reason, message, created_at) VALUES (?, ?, 'time_budget', 'hung the runner', ?)",
    )
      .bind(app.id, app.version, new Date().toISOString())
      .run();
    await setNextSlot(app.id, "hourly", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    const [run] = await settled(user, app.id);
    expect(run).toMatchObject({ status: "failed", attempt: 1 });
    expect(run!.error).toMatch(/is paused because it stopped the app runner; publish a fixed version/);
    const delivery = await SELF.fetch(`${PLATFORM}${new URL(url).pathname}`, { method: "POST", body: "{}" });
    expect(delivery.status).toBe(503);
    expect(await delivery.text()).toMatch(/paused/);
    expect(await appRows(user, app.id)).toEqual([]);

    // A run recorded just before its app was deleted finds nothing to run and records nothing.
    const { id, statement } = insertRun(
      env.DB,
      {
        appId: app.id,
        environment: "live",
        automation: "hourly",
        trigger: "manual",
        triggerKey: "manual:late",
        scheduledAt: null,
        status: "queued",
        maxAttempts: 1,
      },
      new Date(),
    );
    await statement.run();
    expect((await user.call("DELETE", `/api/apps/${app.id}`)).status).toBe(200);
    await expect(executeRun(env, (slug) => appRunnerFor(env, slug), id)).resolves.toMatchObject({
      run: null,
      retryAt: null,
    });
    expect((await SELF.fetch(`${PLATFORM}${new URL(url).pathname}`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await runsOf(user, app.id).catch(() => [])).length).toBe(0);
  });
});
