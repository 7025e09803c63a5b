import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { FAKE_STRIPE_RESTRICTED_KEY, FAKE_STRIPE_SECRET_KEY } from "../../../connectors/stripe/fake/credentials";
import { newUser } from "../../test/api-client";
import { generateMasterKeyText } from "../vault/master-key";
import { credentialForOwner } from "./access-tokens";
import { callWithEnv, recordedText } from "../../test/connections";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

const WRONG_STRIPE_KEY = "sk_test_51KilnWrongKeyThatStripeRejects0000zzzz";
const WRONG_AIRTABLE_TOKEN = "patKilnWrongToken01.0000000000000000000000000000000000000000000000000000000000000000";

async function storedRows(ownerId: string) {
  const connections = await env.DB.prepare("SELECT * FROM connections WHERE owner_id = ?").bind(ownerId).all();
  const vault = await env.DB.prepare("SELECT * FROM vault_secrets WHERE owner_id = ?").bind(ownerId).all();
  return { connections: connections.results, vault: vault.results };
}

describe("connections with an API key", () => {
  beforeEach(async () => {
    await fetch(`${env.STRIPE_API_BASE}/__fake/requests`, { method: "DELETE" });
  });

  it("connects Stripe after a real check call with the key, and lists only its last 4 characters", async () => {
    const user = await newUser();
    const put = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    expect(put.status).toBe(201);
    expect(put.body.connection).toMatchObject({
      connector: "stripe",
      label: "Stripe",
      kind: "api_key",
      status: "connected",
      demo: false,
      last4: "abcd",
    });
    expect(put.body.warning).toBeNull();

    // The key was checked with the rule's call, injected as the egress proxy will inject it.
    const checks = (await fakeRequests(env.STRIPE_API_BASE)).filter(
      (request) => request.url === "/v1/customers?limit=1",
    );
    expect(checks).toHaveLength(1);
    expect(checks[0]!.headers.authorization).toBe(`Bearer ${FAKE_STRIPE_SECRET_KEY}`);
    expect(checks[0]!.headers["stripe-version"]).toMatch(/^\d{4}-\d{2}-\d{2}/);

    const list = await user.call("GET", "/api/connections");
    expect(list.status).toBe(200);
    expect(list.body.connections).toEqual([
      expect.objectContaining({ id: put.body.connection.id, connector: "stripe", last4: "abcd" }),
    ]);
    expect(list.body.connectors.map((option: { id: string }) => option.id)).toEqual([
      "stripe",
      "airtable",
      "google",
      "ai",
    ]);
    expect(list.text).not.toContain(FAKE_STRIPE_SECRET_KEY);
    expect(list.text).not.toContain(FAKE_STRIPE_SECRET_KEY.slice(0, -4));

    // What the egress proxy will get: the owner's key, from the vault.
    expect(await credentialForOwner(env, user.id, "stripe")).toMatchObject({
      connectionId: put.body.connection.id,
      token: FAKE_STRIPE_SECRET_KEY,
      demo: false,
    });
  });

  it("refuses a Stripe key Stripe rejects with a clear 400 and stores nothing", async () => {
    const user = await newUser();
    const put = await user.call("PUT", "/api/connections/stripe", { key: WRONG_STRIPE_KEY });
    expect(put.status).toBe(400);
    expect(put.body.reason).toBe("credential_rejected");
    expect(put.body.error.message).toMatch(
      /^Stripe did not accept this key \(Stripe said: Invalid API Key provided: sk_test_\*+zzzz\)\. Copy the secret key/,
    );
    expect(put.text).not.toContain(WRONG_STRIPE_KEY);
    expect(await storedRows(user.id)).toEqual({ connections: [], vault: [] });
    expect((await user.call("GET", "/api/connections")).body.connections).toEqual([]);
  });

  it("stops checking keys for an account after 10 refusals in an hour, so Kiln cannot be used to test stolen keys", async () => {
    const user = await newUser();
    for (let i = 0; i < 10; i++)
      expect((await user.call("PUT", "/api/connections/stripe", { key: WRONG_STRIPE_KEY })).status).toBe(400);
    const stopped = await user.call("PUT", "/api/connections/stripe", { key: WRONG_STRIPE_KEY });
    expect(stopped.status).toBe(429);
    expect(stopped.body.error.message).toMatch(/Wait an hour/);
    // Another account is not affected.
    expect((await (await newUser()).call("PUT", "/api/connections/stripe", { key: WRONG_STRIPE_KEY })).status).toBe(
      400,
    );
  });

  it("explains a key of the wrong kind without sending it anywhere", async () => {
    const user = await newUser();
    const publishable = await user.call("PUT", "/api/connections/stripe", { key: "pk_test_51KilnPublishable00000000" });
    expect(publishable.status).toBe(400);
    expect(publishable.body.error.message).toContain("publishable key");
    const airtable = await user.call("PUT", "/api/connections/airtable", { key: FAKE_STRIPE_SECRET_KEY });
    expect(airtable.status).toBe(400);
    expect(airtable.body.error.message).toContain("personal access tokens start with pat");
    expect(await fakeRequests(env.STRIPE_API_BASE)).toEqual([]);
    expect(await storedRows(user.id)).toEqual({ connections: [], vault: [] });
  });

  it("accepts a restricted Stripe key", async () => {
    const user = await newUser();
    const put = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_RESTRICTED_KEY });
    expect(put.status).toBe(201);
    expect(put.body.connection.last4).toBe("wxyz");
  });

  it("connects Airtable with a valid token and refuses an invalid one", async () => {
    const user = await newUser();
    const wrong = await user.call("PUT", "/api/connections/airtable", { key: WRONG_AIRTABLE_TOKEN });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain("Airtable did not accept this key");
    expect(wrong.text).not.toContain(WRONG_AIRTABLE_TOKEN);
    expect(await storedRows(user.id)).toEqual({ connections: [], vault: [] });

    const put = await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN });
    expect(put.status).toBe(201);
    expect(put.body.connection).toMatchObject({
      connector: "airtable",
      status: "connected",
      last4: AIRTABLE_FAKE_TOKEN.slice(-4),
    });
  });

  it("connecting again replaces the key on the same connection; the old key is gone", async () => {
    const user = await newUser();
    const first = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const second = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_RESTRICTED_KEY });
    expect(second.status).toBe(200);
    expect(second.body.connection.id).toBe(first.body.connection.id);
    expect(second.body.connection.last4).toBe("wxyz");
    expect((await credentialForOwner(env, user.id, "stripe")).token).toBe(FAKE_STRIPE_RESTRICTED_KEY);
    expect((await storedRows(user.id)).vault).toHaveLength(1);
  });

  it("tests a connection: a working key stays connected, a key the service no longer accepts needs reconnecting", async () => {
    const user = await newUser();
    const { body } = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const id = body.connection.id as string;

    const ok = await user.call("POST", `/api/connections/${id}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body.result).toEqual({ ok: true, message: "Stripe accepted the stored credential." });
    expect(ok.body.connection.lastCheckedAt).not.toBeNull();

    // The key is rolled at Stripe: what the vault holds no longer works.
    const { storeCredentialStatement, connectionKeyring } = await import("./connection-secrets");
    await (
      await storeCredentialStatement(env, await connectionKeyring(env), user.id, id, {
        kind: "api_key",
        key: WRONG_STRIPE_KEY,
      })
    ).run();
    const rejected = await user.call("POST", `/api/connections/${id}/test`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.result.ok).toBe(false);
    expect(rejected.body.connection.status).toBe("needs_reconnect");
    expect(rejected.body.connection.statusMessage).toBe(
      "Stripe no longer accepts the stored key — connect Stripe again with a new key.",
    );
    expect(rejected.text).not.toContain(WRONG_STRIPE_KEY);
    await expect(credentialForOwner(env, user.id, "stripe")).rejects.toMatchObject({ reason: "needs_reconnect" });

    const audit = await env.DB.prepare(
      "SELECT detail_json FROM audit_events WHERE user_id = ? AND action = 'connection.test' ORDER BY id",
    )
      .bind(user.id)
      .all<{ detail_json: string }>();
    expect(audit.results.map((row) => JSON.parse(row.detail_json))).toEqual([
      { connectionId: id, connector: "stripe", ok: true, outcome: "valid" },
      { connectionId: id, connector: "stripe", ok: false, outcome: "rejected" },
    ]);
  });

  it("disconnects: the row and the sealed key are deleted, and apps can no longer get it", async () => {
    const user = await newUser();
    const { body } = await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN });
    const del = await user.call("DELETE", `/api/connections/${body.connection.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ ok: true });
    expect(await storedRows(user.id)).toEqual({ connections: [], vault: [] });
    await expect(credentialForOwner(env, user.id, "airtable")).rejects.toMatchObject({ reason: "not_connected" });
    expect((await user.call("DELETE", `/api/connections/${body.connection.id}`)).status).toBe(404);
  });

  it("another user gets 404 for someone else's connection and cannot test or delete it", async () => {
    const [owner, other] = [await newUser(), await newUser()];
    const { body } = await owner.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const id = body.connection.id as string;
    expect((await other.call("POST", `/api/connections/${id}/test`)).status).toBe(404);
    expect((await other.call("DELETE", `/api/connections/${id}`)).status).toBe(404);
    expect((await other.call("GET", "/api/connections")).body.connections).toEqual([]);
    expect((await owner.call("GET", "/api/connections")).body.connections).toHaveLength(1);
  });

  it("requires a signed-in user and a known connector", async () => {
    const user = await newUser();
    expect((await callWithEnv({}, { ...user, token: "kiln_pat_nope" }, "GET", "/api/connections")).status).toBe(401);
    const unknown = await user.call("PUT", "/api/connections/salesforce", { key: "x" });
    expect(unknown.status).toBe(404);
  });

  it("fails loudly when the master key is missing or is not the one that sealed the credentials", async () => {
    const user = await newUser();
    const missing = await callWithEnv({ KILN_MASTER_KEY: undefined }, user, "PUT", "/api/connections/stripe", {
      key: FAKE_STRIPE_SECRET_KEY,
    });
    expect(missing.status).toBe(503);
    expect(missing.body.reason).toBe("vault_unavailable");
    expect(missing.body.error.message).toContain("KILN_MASTER_KEY is not set");
    expect(await storedRows(user.id)).toEqual({ connections: [], vault: [] });

    const { body } = await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY });
    const wrongKey = await callWithEnv(
      { KILN_MASTER_KEY: generateMasterKeyText() },
      user,
      "POST",
      `/api/connections/${body.connection.id}/test`,
    );
    expect(wrongKey.status).toBe(503);
    expect(wrongKey.body.error.message).toMatch(
      /sealed under master key mk_[0-9a-f]{16}, but this Worker only has mk_[0-9a-f]{16}/,
    );
    expect(wrongKey.text).not.toContain(FAKE_STRIPE_SECRET_KEY);
  });

  it("demo connections exist only in demo mode, use the fake's key and say so", async () => {
    const user = await newUser();
    const refused = await user.call("PUT", "/api/connections/stripe", { demo: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("Demo connections are not offered");
    expect(
      (await user.call("GET", "/api/connections")).body.connectors.every(
        (option: { demoAvailable: boolean }) => !option.demoAvailable,
      ),
    ).toBe(true);

    const demoEnv = { KILN_DEMO_CONNECTIONS: "1" };
    const listed = await callWithEnv(demoEnv, user, "GET", "/api/connections");
    expect(listed.body.connectors).toEqual([
      expect.objectContaining({ id: "stripe", demoAvailable: true }),
      expect.objectContaining({ id: "airtable", demoAvailable: true }),
      expect.objectContaining({ id: "google", demoAvailable: true }),
      // AI needs no demo connection: with no key, apps' AI calls get Kiln's model or the demo model.
      expect.objectContaining({ id: "ai", demoAvailable: false }),
    ]);
    const stripe = await callWithEnv(demoEnv, user, "PUT", "/api/connections/stripe", { demo: true });
    expect(stripe.status).toBe(201);
    expect(stripe.body.connection).toMatchObject({ connector: "stripe", demo: true, status: "connected" });
    const airtable = await callWithEnv(demoEnv, user, "PUT", "/api/connections/airtable", { demo: true });
    expect(airtable.body.connection).toMatchObject({ connector: "airtable", demo: true });
    expect((await user.call("GET", "/api/connections")).body.connections.map((c: { demo: boolean }) => c.demo)).toEqual(
      [true, true],
    );
    expect((await credentialForOwner(env, user.id, "stripe")).token).toBe(FAKE_STRIPE_SECRET_KEY);

    // Demo mode without the fakes' base URLs could only reach the real service: refused.
    const noFake = await callWithEnv(
      { ...demoEnv, AIRTABLE_API_BASE: undefined },
      user,
      "PUT",
      "/api/connections/airtable",
      { demo: true },
    );
    expect(noFake.status).toBe(503);
  });

  it("the keys appear in no API response, audit record or app log", async () => {
    const user = await newUser();
    const answers = [
      await user.call("PUT", "/api/connections/stripe", { key: WRONG_STRIPE_KEY }),
      await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY }),
      await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN }),
      await user.call("GET", "/api/connections"),
    ];
    const ids = answers[3]!.body.connections.map((connection: { id: string }) => connection.id) as string[];
    for (const id of ids) answers.push(await user.call("POST", `/api/connections/${id}/test`));
    for (const id of ids) answers.push(await user.call("DELETE", `/api/connections/${id}`));
    const recorded = await recordedText();
    for (const secret of [WRONG_STRIPE_KEY, FAKE_STRIPE_SECRET_KEY, AIRTABLE_FAKE_TOKEN]) {
      for (const answer of answers) expect(answer.text).not.toContain(secret);
      expect(recorded).not.toContain(secret);
    }
    const actions = await env.DB.prepare(
      "SELECT action FROM audit_events WHERE user_id = ? AND action LIKE 'connection.%' ORDER BY id",
    )
      .bind(user.id)
      .all<{ action: string }>();
    expect(actions.results.map((row) => row.action)).toEqual([
      "connection.rejected",
      "connection.connect",
      "connection.connect",
      "connection.test",
      "connection.test",
      "connection.disconnect",
      "connection.disconnect",
    ]);
  });
});
