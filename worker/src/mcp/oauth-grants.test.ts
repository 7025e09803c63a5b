import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../core/ids";
import { PLATFORM, callApi, newUser } from "../../test/api-client";
import { type Tokens, clientByHand, listTools, tokensFor } from "../../test/owner-oauth-client";
import { consentAs } from "../../test/tools-app";
import { purgeSpentOwnerOAuthRows } from "./oauth/owner-oauth-store";
import { OWNER_GRANT_SECONDS } from "./oauth/owner-grants";
import { REGISTRATIONS_UNADDRESSED } from "./oauth/owner-token";

// Grants of Kiln's own OAuth for MCP clients: the owner sees and revokes them, a replayed code or refresh token revokes
// its whole grant, a grant ends 90 days after consent however often it is refreshed, and idle clients are purged.

interface GrantsAnswer {
  grants: { id: string; clientName: string; createdAt: string; lastUsedAt: string | null; expiresAt: string }[];
}

const grantOf = async (clientId: string) =>
  (await env.DB.prepare("SELECT id, expires_at FROM owner_mcp_grants WHERE client_id = ?")
    .bind(clientId)
    .first<{ id: string; expires_at: number }>())!;

describe("grants of MCP clients of Kiln's own /mcp", () => {
  it("the owner lists connected assistants and revokes one: its access and refresh tokens stop at once", async () => {
    const user = await newUser();
    const other = await newUser();
    const kept = await tokensFor(user, "Kept assistant");
    const revoked = await tokensFor(user, "Claude Desktop");
    expect((await listTools(revoked.tokens.access_token)).status).toBe(200);

    const listed = await callApi("GET", "/api/oauth/grants", undefined, { cookie: user.cookie });
    expect(listed.status).toBe(200);
    const { grants } = listed.body as GrantsAnswer;
    expect(grants.map((grant) => grant.clientName).sort()).toEqual(["Claude Desktop", "Kept assistant"]);
    const target = grants.find((grant) => grant.clientName === "Claude Desktop")!;
    expect(target.lastUsedAt).not.toBeNull();
    expect(Date.parse(target.expiresAt) - Date.parse(target.createdAt)).toBe(OWNER_GRANT_SECONDS * 1000);
    // Another user sees none of them, and cannot revoke one.
    const others = await callApi("GET", "/api/oauth/grants", undefined, { authorization: `Bearer ${other.token}` });
    expect((others.body as GrantsAnswer).grants).toEqual([]);
    expect(
      (await callApi("DELETE", `/api/oauth/grants/${target.id}`, undefined, { cookie: other.cookie })).status,
    ).toBe(404);
    // An MCP client's own token can neither list nor revoke grants.
    const asAssistant = { authorization: `Bearer ${revoked.tokens.access_token}` };
    expect((await callApi("GET", "/api/oauth/grants", undefined, asAssistant)).status).toBe(403);
    expect((await callApi("DELETE", `/api/oauth/grants/${target.id}`, undefined, asAssistant)).status).toBe(403);

    // The owner's API token revokes it: the access token fails at once, and so does the refresh token.
    const gone = await callApi("DELETE", `/api/oauth/grants/${target.id}`, undefined, {
      authorization: `Bearer ${user.token}`,
    });
    expect(gone.status).toBe(200);
    expect((await listTools(revoked.tokens.access_token)).status).toBe(401);
    const refused = await revoked.refresh(revoked.tokens.refresh_token);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await callApi("DELETE", `/api/oauth/grants/${target.id}`, undefined, { cookie: user.cookie })).status).toBe(
      404,
    );
    // The other assistant is untouched, and the list now names it alone.
    expect((await listTools(kept.tokens.access_token)).status).toBe(200);
    const after = await callApi("GET", "/api/oauth/grants", undefined, { cookie: user.cookie });
    expect((after.body as GrantsAnswer).grants.map((grant) => grant.clientName)).toEqual(["Kept assistant"]);
  });

  it("a spent refresh token presented again revokes the whole grant, the newest tokens too", async () => {
    const user = await newUser();
    const hand = await tokensFor(user);
    const rotated = await hand.refresh(hand.tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as Tokens;
    expect((await listTools(next.access_token)).status).toBe(200);
    // A thief (or the client, confused) replays the first refresh token.
    expect((await hand.refresh(hand.tokens.refresh_token)).status).toBe(400);
    expect((await listTools(next.access_token)).status).toBe(401);
    expect((await hand.refresh(next.refresh_token)).status).toBe(400);
    expect(
      await env.DB.prepare("SELECT id FROM owner_mcp_grants WHERE client_id = ?").bind(hand.clientId).first(),
    ).toBe(null);
  });

  it("a used code presented again revokes what it granted", async () => {
    const user = await newUser();
    const hand = await clientByHand();
    const code = await consentAs(user.cookie, hand.authorize);
    const first = await hand.exchange(code);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as Tokens;
    expect((await hand.exchange(code)).status).toBe(400);
    expect((await listTools(tokens.access_token)).status).toBe(401);
    expect((await hand.refresh(tokens.refresh_token)).status).toBe(400);
  });

  it("a grant ends 90 days after consent: refreshing never extends it", async () => {
    const user = await newUser();
    const hand = await tokensFor(user);
    const { id, expires_at: ends } = await grantOf(hand.clientId);
    const rotated = await hand.refresh(hand.tokens.refresh_token);
    expect(rotated.status).toBe(200);
    expect((await grantOf(hand.clientId)).expires_at).toBe(ends);

    // Near its end (as if consent was 90 days less 10 minutes ago), new tokens last only until then.
    await env.DB.prepare("UPDATE owner_mcp_grants SET expires_at = ? WHERE id = ?")
      .bind(Date.now() + 10 * 60 * 1000, id)
      .run();
    const late = await hand.refresh(((await rotated.json()) as Tokens).refresh_token);
    expect(late.status).toBe(200);
    const last = (await late.json()) as Tokens;
    expect(last.expires_in).toBeLessThanOrEqual(600);
    expect(last.refresh_token_expires_in).toBeLessThanOrEqual(600);
    expect((await listTools(last.access_token)).status).toBe(200);

    // At its end both stop, though their own expiry says otherwise, and the cron purges the grant.
    await env.DB.prepare("UPDATE owner_mcp_grants SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();
    await env.DB.prepare("UPDATE owner_mcp_tokens SET expires_at = ? WHERE grant_id = ?")
      .bind(Date.now() + 60 * 60 * 1000, id)
      .run();
    expect((await listTools(last.access_token)).status).toBe(401);
    expect((await hand.refresh(last.refresh_token)).status).toBe(400);
    await purgeSpentOwnerOAuthRows(env.DB);
    expect(await env.DB.prepare("SELECT token_hash FROM owner_mcp_tokens WHERE grant_id = ?").bind(id).first()).toBe(
      null,
    );
  });

  it("the purge drops clients idle 30 days with no grant; registrations without an address are bounded", async () => {
    const user = await newUser();
    const held = await tokensFor(user);
    const idle = await clientByHand();
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000).toISOString();
    await env.DB.prepare("UPDATE owner_mcp_clients SET created_at = ? WHERE id IN (?, ?)")
      .bind(longAgo, held.clientId, idle.clientId)
      .run();
    await purgeSpentOwnerOAuthRows(env.DB);
    const client = (id: string) => env.DB.prepare("SELECT id FROM owner_mcp_clients WHERE id = ?").bind(id).first();
    expect(await client(held.clientId)).not.toBe(null);
    expect(await client(idle.clientId)).toBe(null);
    expect((await listTools(held.tokens.access_token)).status).toBe(200);

    // No proxy names the client's address here: every registration counts against one bound a minute.
    const register = () =>
      SELF.fetch(`${PLATFORM}/api/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_name: "Flood", redirect_uris: ["http://127.0.0.1:9/cb"] }),
      });
    const counter = await sha256Hex(`${REGISTRATIONS_UNADDRESSED.scope}:all`);
    try {
      await env.DB.prepare("DELETE FROM auth_attempts WHERE key = ?").bind(counter).run();
      for (let i = 0; i < REGISTRATIONS_UNADDRESSED.limit; i++) expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(429);
      // With an address, the per-address count applies instead.
      const addressed = await SELF.fetch(`${PLATFORM}/api/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.7" },
        body: JSON.stringify({ client_name: "One", redirect_uris: ["http://127.0.0.1:9/cb"] }),
      });
      expect(addressed.status).toBe(201);
    } finally {
      // Later tests register clients too.
      await env.DB.prepare("DELETE FROM auth_attempts WHERE key = ?").bind(counter).run();
    }
  });
});
