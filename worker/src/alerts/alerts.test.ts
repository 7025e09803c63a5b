// Alerts end to end inside workerd: an automation failing every minute for an hour makes one alert at once and
// one digest (mail in the local outbox, a signed POST to a loopback receiver), a success says it recovered, a
// paused version alerts once, the settings API checks its input and shows the signing secret once, and one
// owner never sees another's alerts or badges.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../../connectors/types";
import { fakeRequests } from "../../../connectors/testing/fake-requests";
import { type TestUser, callApi, newUser } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";
import { automationApp, publishedApp, setNextSlot, settled, tickAt } from "../../test/automations";
import { flushAlertDigests } from "./alert-digest";
import { DIGEST_WINDOW_MS } from "./alert-messages";
import { SIGNATURE_HEADER, verifyAlertSignature } from "./alert-webhook";

/** The mails about `appId` in the local outbox, oldest first. */
async function outbox(appId: string): Promise<{ to_email: string; subject: string; body: string }[]> {
  const { results } = await env.DB.prepare(
    "SELECT to_email, subject, body FROM outbox WHERE app_id = ? ORDER BY created_at, rowid",
  )
    .bind(appId)
    .all<{ to_email: string; subject: string; body: string }>();
  return results;
}

/** Points `user`'s alerts at a hook of the loopback receiver; answers the hook's path and signing secret. */
async function hookFor(user: TestUser): Promise<{ path: string; secret: string }> {
  const path = `/hooks/${user.id}`;
  const saved = await user.call("PUT", "/api/alerts", { email: true, webhookUrl: `${env.TEST_ALERT_RECEIVER}${path}` });
  expect(saved.status, saved.text).toBe(200);
  expect(saved.body.signingSecret).toMatch(/^kas_[0-9a-f]{48}$/);
  return { path, secret: saved.body.signingSecret };
}

/** What the receiver got on `path`, each checked against the signing secret. */
async function received(path: string, secret: string): Promise<{ body: Record<string, unknown>; signed: boolean }[]> {
  const requests: RecordedRequest[] = await fakeRequests(env.TEST_ALERT_RECEIVER, path);
  return Promise.all(
    requests.map(async (request) => ({
      body: JSON.parse(request.body) as Record<string, unknown>,
      signed: await verifyAlertSignature(secret, request.body, request.headers[SIGNATURE_HEADER] ?? "", new Date()),
    })),
  );
}

const FAILING = `{ sync: { cron: "* * * * *", attempts: 1, async run(run) {
  if ((run.input as { ok?: boolean } | null)?.ok) return { fixed: true };
  throw new Error("the sheet is gone");
} } }`;

describe("alerts", () => {
  it("an automation failing 60 times in an hour sends one alert at once and one digest, then says it recovered", async () => {
    const user = await newUser();
    const hook = await hookFor(user);
    const app = await publishedApp(user, automationApp(FAILING));
    const start = Date.parse("2026-06-01T10:00:00.000Z");
    for (let minute = 0; minute < 60; minute++) {
      const slot = new Date(start + minute * 60_000);
      await setNextSlot(app.id, "sync", slot.toISOString());
      await tickAt(new Date(slot.getTime() + 5_000));
      await settled(user, app.id, 20_000);
    }
    const runs = await settled(user, app.id);
    expect(runs.filter((run) => run.status === "failed")).toHaveLength(60);

    // One mail and one signed POST, not sixty.
    const first = await outbox(app.id);
    expect(first).toHaveLength(1);
    expect(first[0]!.to_email).toBe(user.email);
    expect(first[0]!.subject).toMatch(/automation "sync" failed$/);
    expect(first[0]!.body).toContain("the sheet is gone");
    expect(first[0]!.body).toContain(`/apps/${app.id}/automations?status=failed`);
    const posts = await received(hook.path, hook.secret);
    expect(posts.map((p) => [p.body.phase, p.body.kind, p.signed])).toEqual([["first", "automation_failed", true]]);

    // The badge: the automation's last run failed.
    const listed = await user.call("GET", "/api/apps");
    const mine = listed.body.apps.find((a: { id: string }) => a.id === app.id);
    expect(mine.problems).toEqual({ failingAutomations: ["sync"], pausedVersions: [], reconnect: [] });

    // The hour ends: one digest counts the other 59; a second flush has nothing left to send.
    const later = new Date(Date.now() + DIGEST_WINDOW_MS + 60_000);
    expect(await flushAlertDigests(env, later)).toBeGreaterThanOrEqual(1);
    expect(await flushAlertDigests(env, later)).toBe(0);
    const after = await outbox(app.id);
    expect(after).toHaveLength(2);
    expect(after[1]!.subject).toMatch(/automation "sync" failed 59 times more$/);
    const digests = await received(hook.path, hook.secret);
    expect(digests.map((p) => [p.body.phase, p.body.occurrences, p.signed])).toEqual([
      ["first", 1, true],
      ["digest", 59, true],
    ]);
    // A signature made with another secret, or over another body, does not verify.
    const raw = (await fakeRequests(env.TEST_ALERT_RECEIVER, hook.path))[1]!;
    expect(await verifyAlertSignature("kas_wrong", raw.body, raw.headers[SIGNATURE_HEADER]!, new Date())).toBe(false);
    expect(
      await verifyAlertSignature(hook.secret, raw.body.replace("59", "58"), raw.headers[SIGNATURE_HEADER]!, new Date()),
    ).toBe(false);

    // It works again: the owner hears so, and the badge goes.
    const fixed = await user.call("POST", `/api/apps/${app.id}/automations/sync/run?env=live`, { ok: true });
    expect(fixed.status, fixed.text).toBe(201);
    expect(fixed.body.run.status).toBe("succeeded");
    const recovered = await outbox(app.id);
    expect(recovered.map((m) => m.subject.replace(/^.*: /, ""))).toEqual([
      'automation "sync" failed',
      'automation "sync" failed 59 times more',
      'automation "sync" works again',
    ]);
    const overview = await user.call("GET", "/api/alerts");
    // (The digest carries the flush's clock, an hour ahead, so it is listed first.)
    expect(overview.body.alerts.map((a: { phase: string }) => a.phase).sort()).toEqual([
      "digest",
      "first",
      "recovered",
    ]);
    expect(overview.body.alerts.find((a: { phase: string }) => a.phase === "digest")).toMatchObject({
      occurrences: 59,
      email: "sent",
      webhook: "sent",
    });
    const relisted = await user.call("GET", `/api/apps/${app.id}/problems`);
    expect(relisted.body).toEqual({ failingAutomations: [], pausedVersions: [], reconnect: [] });
  }, 180_000);

  it("a paused version alerts its owner once, and the badge links to it", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "runaway", notesApp());
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    const report = (requestId: string) =>
      callApi(
        "POST",
        "/api/internal/incidents",
        { appId: app.id, environment: "live", version: app.version, requestId, reason: "time_budget" },
        { "x-kiln-internal-secret": "test-internal-secret" },
      );
    expect((await report("req_a")).body).toEqual({ quarantined: false });
    expect(await outbox(app.id)).toEqual([]);
    expect((await report("req_b")).body).toEqual({ quarantined: true });
    expect((await report("req_c")).body).toEqual({ quarantined: true });
    const mails = await outbox(app.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`[Kiln] runaway: version ${app.version.slice(0, 7)} was paused`);
    expect(mails[0]!.body).toContain("brought the app runner down 2 times within 10 minutes");
    const problems = await user.call("GET", `/api/apps/${app.id}/problems`);
    expect(problems.body.pausedVersions).toEqual([app.version]);
  });

  it("an app whose code uses a service whose connection needs reconnecting gets a badge", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "calendar", notesApp());
    // As if the version imported kiln/google and Google had revoked the owner's grant.
    await env.DB.batch([
      env.DB.prepare("UPDATE versions SET connectors_json = '[\"google\"]' WHERE app_id = ?").bind(app.id),
      env.DB.prepare(
        `INSERT INTO connections (id, owner_id, connector, status, status_message, secret_last4, created_at, updated_at)
         VALUES (?, ?, 'google', 'needs_reconnect', 'reconnect Google', 'abcd', ?, ?)`,
      ).bind(`con_${user.id}`, user.id, new Date().toISOString(), new Date().toISOString()),
    ]);
    const problems = await user.call("GET", `/api/apps/${app.id}/problems`);
    expect(problems.body).toEqual({ failingAutomations: [], pausedVersions: [], reconnect: ["google"] });
    const other = await appWithSource(user, "no services", notesApp());
    expect((await user.call("GET", `/api/apps/${other.id}/problems`)).body.reconnect).toEqual([]);
  });

  it("the settings API checks the webhook URL and never shows the signing secret again", async () => {
    const user = await newUser();
    const initial = await user.call("GET", "/api/alerts");
    expect(initial.body).toEqual({
      settings: { email: true, emailTo: user.email, webhookUrl: null, webhookSigned: false },
      alerts: [],
    });
    for (const [webhookUrl, problem] of [
      ["http://hooks.example.com/x", "must start with https://"],
      ["https://10.0.0.7/x", "not an IP address"],
      ["https://[::1]/x", "not an IP address"],
      ["https://localhost/x", "not a public host name"],
      ["https://metadata.google.internal/x", "not a public host name"],
      ["https://intranet/x", "not a public host name"],
      ["https://user:pw@hooks.example.com/x", "user name or password"],
      ["https://hooks.example.com:8443/x", "may not name a port"],
      ["not a url", "not a valid URL"],
    ] as const) {
      const refused = await user.call("PUT", "/api/alerts", { email: true, webhookUrl });
      expect(refused.status, webhookUrl).toBe(400);
      expect(refused.body.error.message).toContain(problem);
    }
    expect((await user.call("PUT", "/api/alerts", { email: "yes", webhookUrl: null })).status).toBe(400);
    expect((await user.call("PUT", "/api/alerts", { email: true, webhookUrl: null, extra: 1 })).status).toBe(400);

    const saved = await user.call("PUT", "/api/alerts", { email: false, webhookUrl: "https://hooks.example.com/kiln" });
    expect(saved.status, saved.text).toBe(200);
    const secret = saved.body.signingSecret as string;
    expect(secret).toMatch(/^kas_/);
    expect(saved.headers.get("cache-control")).toBe("no-store");
    expect(saved.body.settings).toEqual({
      email: false,
      emailTo: user.email,
      webhookUrl: "https://hooks.example.com/kiln",
      webhookSigned: true,
    });
    const read = await user.call("GET", "/api/alerts");
    expect(read.text).not.toContain(secret);
    expect(read.text).not.toContain(secret.slice(4, 20));
    // The same URL again keeps the secret (and does not show it); rotating makes and shows a new one, once.
    const again = await user.call("PUT", "/api/alerts", { email: false, webhookUrl: "https://hooks.example.com/kiln" });
    expect(again.body.signingSecret).toBeNull();
    const rotated = await user.call("PUT", "/api/alerts", {
      email: false,
      webhookUrl: "https://hooks.example.com/kiln",
      rotateSecret: true,
    });
    expect(rotated.body.signingSecret).toMatch(/^kas_/);
    expect(rotated.body.signingSecret).not.toBe(secret);
    // Stored sealed: the vault row holds no trace of it.
    const sealed = await env.DB.prepare("SELECT ciphertext FROM vault_secrets WHERE record_id = ?")
      .bind(`alerts:${user.id}`)
      .first<{ ciphertext: string }>();
    expect(sealed?.ciphertext).toBeTruthy();
    expect(sealed!.ciphertext).not.toContain(rotated.body.signingSecret.slice(4));
    // Removing the URL removes the secret.
    const removed = await user.call("PUT", "/api/alerts", { email: true, webhookUrl: null });
    expect(removed.body.settings).toMatchObject({ webhookUrl: null, webhookSigned: false });
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM vault_secrets WHERE record_id = ?")
        .bind(`alerts:${user.id}`)
        .first("n"),
    ).toBe(0);
  });

  it("mail off and a failing receiver: the alert is recorded with how each channel went", async () => {
    const user = await newUser();
    await user.call("PUT", "/api/alerts", { email: false, webhookUrl: `${env.TEST_ALERT_RECEIVER}/broken/${user.id}` });
    const app = await publishedApp(user, automationApp(FAILING));
    await setNextSlot(app.id, "sync", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    await settled(user, app.id, 20_000);
    expect(await outbox(app.id)).toEqual([]);
    const overview = await user.call("GET", "/api/alerts");
    expect(overview.body.alerts).toHaveLength(1);
    expect(overview.body.alerts[0]).toMatchObject({ kind: "automation_failed", email: "off", webhook: "failed" });
  });

  it("one owner sees neither another's alerts nor their apps' badges and requests", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const app = await publishedApp(owner, automationApp(FAILING));
    await setNextSlot(app.id, "sync", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    await settled(owner, app.id, 20_000);
    expect((await owner.call("GET", "/api/alerts")).body.alerts).toHaveLength(1);
    expect((await stranger.call("GET", "/api/alerts")).body.alerts).toEqual([]);
    for (const path of ["problems", "requests", "requests/summary"])
      expect((await stranger.call("GET", `/api/apps/${app.id}/${path}`)).status, path).toBe(404);
    expect((await callApi("GET", "/api/alerts")).status).toBe(401);
    expect((await callApi("PUT", "/api/alerts", { email: true, webhookUrl: null })).status).toBe(401);
  });
});
