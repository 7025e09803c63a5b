// A retried automation writes its keyed rows once: every attempt inserts with a key
// derived from the run, and only the first attempt's insert writes.
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { appRows, automationApp, publishedApp, setNextSlot, settled, tickAt } from "../../test/automations";

describe("keyed inserts in retried automations", () => {
  it("writes the row on the first attempt only, and later attempts get that row back", async () => {
    const user = await newUser();
    const app = await publishedApp(
      user,
      automationApp(
        `{ nightly: { cron: "0 * * * *", async run(run, env: Env) {
          const row = await env.DB.insert("runs", { automation: run.name, trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt }, { key: run.idempotencyKey + ":summary" });
          if (run.attempt < 3) throw new Error("the runner stopped mid-run");
          return { writtenBy: row.attempt };
        } } }`,
      ),
    );
    await setNextSlot(app.id, "nightly", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    const [run] = await settled(user, app.id, 20_000);
    expect(run).toMatchObject({ status: "succeeded", attempt: 3, output: { writtenBy: 1 } });
    expect(await appRows(user, app.id)).toEqual([
      expect.objectContaining({ automation: "nightly", slot: "2026-06-01T10:00:00.000Z", attempt: 1 }),
    ]);
  });
});
