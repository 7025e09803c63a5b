// Each AI call's hold is one row: it counts against the app's month and the owner's shared allowance together or
// not at all, and one whose call was torn down before settling (a visitor who closed the tab, a killed runner) stops
// counting when it expires, and the cron deletes it. Real D1 (migrations 0020 and 0023).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, type TestUser } from "../../test/api-client";
import { runMarker } from "../../test/connector-app";
import {
  HOLD_MARGIN_MS,
  type ReservationAsk,
  purgeExpiredAiHolds,
  reserveAiTokens,
  settleAiTokens,
} from "./ai-reservation";

// A fixed moment long past: no hold of a call running now expires before it, so purging at it touches only these.
const T0 = new Date("2025-03-10T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

async function emptyApp(user: TestUser, monthlyTokens: number): Promise<string> {
  const created = await user.call("POST", "/api/apps", { name: `holds ${runMarker("")}` });
  expect(created.status, created.text).toBe(201);
  const appId = created.body.id as string;
  expect((await user.call("PUT", `/api/apps/${appId}/ai-budget`, { monthlyTokens })).status).toBe(200);
  return appId;
}

async function holds(where: { appId?: string; ownerId?: string }) {
  const rows = await env.DB.prepare(
    "SELECT id, app_id AS appId, owner_id AS ownerId, tokens FROM ai_holds WHERE app_id = ?1 OR owner_id = ?2 ORDER BY created_at",
  )
    .bind(where.appId ?? null, where.ownerId ?? null)
    .all<{ id: string; appId: string; ownerId: string | null; tokens: number }>();
  return rows.results;
}

describe("AI holds", () => {
  it("stop counting once expired when their settle never ran, and the cron deletes them", async () => {
    const user = await newUser();
    const appId = await emptyApp(user, 1_000);
    const ask: ReservationAsk = {
      appId,
      shared: { ownerId: user.id, monthlyTokens: 10_000 },
      inputTokens: 500,
      maxOutputTokens: 400,
      callMs: 60_000,
    };
    const torn = await reserveAiTokens(env.DB, ask, T0);
    expect(torn.ok).toBe(true);
    // Its call was torn down: nothing settles it. While it may still be under way, it holds the month.
    const during = await reserveAiTokens(env.DB, ask, at(60_000 + HOLD_MARGIN_MS - 1));
    expect(during).toMatchObject({ ok: false, limit: "app" });
    if (!during.ok) expect(during.message).toContain("calls under way hold some");
    // Past the call's timeout and the margin it counts for nothing: the app and the owner have their month back.
    const after = at(60_000 + HOLD_MARGIN_MS + 1);
    const next = await reserveAiTokens(env.DB, ask, after);
    expect(next.ok).toBe(true);
    expect((await holds({ appId })).length).toBe(2);
    expect(await purgeExpiredAiHolds(env.DB, after)).toBeGreaterThanOrEqual(1);
    const left = await holds({ appId });
    expect(left.map((h) => h.id)).toEqual([next.ok ? next.reservation.holdId : ""]);
    // Settling deletes its row and counts the usage; settling again deletes nothing more.
    if (!next.ok) throw new Error("hold refused");
    await settleAiTokens(env.DB, next.reservation, { inputTokens: 300, outputTokens: 100 }, after);
    expect(await holds({ appId, ownerId: user.id })).toEqual([]);
    const usage = await env.DB.prepare("SELECT input_tokens + output_tokens AS used FROM app_ai_usage WHERE app_id = ?")
      .bind(appId)
      .first<{ used: number }>();
    expect(usage?.used).toBe(400);
  });

  it("hold against the app and the owner both, or neither", async () => {
    const user = await newUser();
    const [small, roomy] = [await emptyApp(user, 500), await emptyApp(user, 100_000)];
    const shared = { ownerId: user.id, monthlyTokens: 1_000 };
    const ask = (appId: string, inputTokens: number): ReservationAsk => ({
      appId,
      shared,
      inputTokens,
      maxOutputTokens: 64,
      callMs: 60_000,
    });
    // The app's budget refuses it: the owner's allowance holds nothing for it, so their other apps keep all of it.
    expect(await reserveAiTokens(env.DB, ask(small, 600), T0)).toMatchObject({ ok: false, limit: "app" });
    expect(await holds({ appId: small, ownerId: user.id })).toEqual([]);
    const whole = await reserveAiTokens(env.DB, ask(roomy, 1_000 - 64), T0);
    expect(whole.ok).toBe(true);
    // The owner's allowance refuses it: the app's month holds nothing either.
    expect(await reserveAiTokens(env.DB, ask(small, 100), T0)).toMatchObject({ ok: false, limit: "owner" });
    expect(await holds({ appId: small })).toEqual([]);
    // One row holds against both: the roomy app's month and the owner's allowance.
    expect(await holds({ ownerId: user.id })).toMatchObject([{ appId: roomy, ownerId: user.id, tokens: 1_000 }]);
    if (!whole.ok) throw new Error("hold refused");
    await settleAiTokens(env.DB, whole.reservation, { inputTokens: 0, outputTokens: 0 }, T0);
    // Released, the allowance is whole again; with the owner's own key (not shared) the allowance is not held.
    const own = await reserveAiTokens(env.DB, { ...ask(small, 300), shared: null }, T0);
    expect(own.ok).toBe(true);
    expect(await holds({ appId: small })).toMatchObject([{ ownerId: null, tokens: 364 }]);
    expect(await reserveAiTokens(env.DB, ask(roomy, 1_000 - 64), T0)).toMatchObject({ ok: true });
  });

  it("never pass either limit when many are made at once across an owner's apps", async () => {
    const user = await newUser();
    const apps = [await emptyApp(user, 700), await emptyApp(user, 700)];
    const shared = { ownerId: user.id, monthlyTokens: 1_000 };
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        reserveAiTokens(
          env.DB,
          { appId: apps[i % 2] ?? "", shared, inputTokens: 200, maxOutputTokens: 64, callMs: 60_000 },
          T0,
        ),
      ),
    );
    const made = await holds({ ownerId: user.id });
    expect(made.length).toBe(results.filter((r) => r.ok).length);
    // 264 tokens each: the allowance takes three, each app's budget two.
    expect(made.length).toBe(3);
    for (const appId of apps) expect(made.filter((h) => h.appId === appId).length).toBeLessThanOrEqual(2);
    expect(made.every((h) => h.ownerId === user.id)).toBe(true);
  });
});
