// An owner's own AI key that the provider stops accepting (revoked at OpenAI or Anthropic): the first 401 marks the
// AI connection needs_reconnect, audits it and alerts the owner, like a revoked Google grant; later calls are told
// to reconnect without reaching the provider. Real vault, real AI SDK, the scripted model as the provider.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { runMarker } from "../../test/connector-app";
import { SCRIPTED_MODEL_KEY, type ScriptedRequest } from "../../test/scripted-model/scenarios";
import { connectionKeyring, storeCredentialStatement } from "../connections/connection-secrets";
import { OWNER_KEY_REJECTED_MESSAGE, answerAiCall } from "./answer-ai-call";

const REVOKED_KEY = "sk-kiln-revoked-at-the-provider-0000";

async function upstreamCalls(marker: string): Promise<ScriptedRequest[]> {
  const base = env.KILN_MODEL_BASE_URL.replace(/\/v1$/, "");
  const all = (await (await fetch(`${base}/__scripted/requests`)).json()) as ScriptedRequest[];
  return all.filter((r) => r.messages.some((m) => m.content.includes(marker)));
}

describe("an owner's AI key the provider rejects", () => {
  it("marks the AI connection needs_reconnect, tells the app what the owner must do, and stops sending it", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/ai", { key: SCRIPTED_MODEL_KEY })).status).toBe(201);
    const connection = await env.DB.prepare("SELECT id FROM connections WHERE owner_id = ? AND connector = 'ai'")
      .bind(user.id)
      .first<{ id: string }>();
    // The provider revoked the key: the vault now holds one the provider answers 401 to.
    const keyring = await connectionKeyring(env);
    await (
      await storeCredentialStatement(env, keyring, user.id, connection!.id, { kind: "api_key", key: REVOKED_KEY })
    ).run();
    const created = await user.call("POST", "/api/apps", { name: `ai ${runMarker("")}` });
    const appId = created.body.id as string;
    const call = async (prompt: string) => {
      const request = new Request("https://ai.kiln/v1/generate", {
        method: "POST",
        body: JSON.stringify({ output: "text", prompt }),
      });
      const result = await answerAiCall(env, { appId, ownerId: user.id }, request);
      return { status: result.response.status, text: await result.response.text() };
    };

    const run = runMarker("revoked");
    const first = await call(`[scenario:app-ai-text] ${run}`);
    expect(first.status).toBe(503);
    const refused = JSON.parse(first.text) as { error: { code: string; message: string } };
    expect(refused.error.code).toBe("not_configured");
    expect(refused.error.message).toBe(
      "the AI key this app's owner connected cannot be used: the AI provider (OpenAI or Anthropic) no longer accepts the stored AI key — connect AI again with a new key on Kiln's Connections page, or disconnect it to use Kiln's shared model",
    );
    expect(first.text).not.toContain(REVOKED_KEY);

    const listed = await user.call("GET", "/api/connections");
    const ai = (listed.body.connections as { connector: string; status: string; statusMessage: string }[]).find(
      (c) => c.connector === "ai",
    );
    expect(ai).toMatchObject({ status: "needs_reconnect", statusMessage: OWNER_KEY_REJECTED_MESSAGE });
    const audited = await env.DB.prepare(
      "SELECT detail_json AS detail FROM audit_events WHERE user_id = ? AND action = 'connection.key_rejected'",
    )
      .bind(user.id)
      .all<{ detail: string }>();
    expect(audited.results.map((r) => JSON.parse(r.detail))).toEqual([
      { connectionId: connection!.id, connector: "ai", status: "needs_reconnect" },
    ]);
    const alert = await env.DB.prepare(
      "SELECT subject FROM alert_streaks WHERE user_id = ? AND kind = 'connection_needs_reconnect'",
    )
      .bind(user.id)
      .first<{ subject: string }>();
    expect(alert?.subject).toBe("ai");

    // Until the owner reconnects, the app is told the same (the key is not sent again: the connection refuses it),
    // and the shared model does not silently stand in.
    const again = runMarker("again");
    const second = await call(`[scenario:app-ai-text] ${again}`);
    expect(second.status).toBe(503);
    expect(JSON.parse(second.text)).toEqual(refused);
    expect(await upstreamCalls(again)).toEqual([]);

    // Connecting a working key again (a replacement: 200) clears it.
    expect((await user.call("PUT", "/api/connections/ai", { key: SCRIPTED_MODEL_KEY })).status).toBe(200);
    expect((await call(`[scenario:app-ai-text] ${runMarker("back")}`)).status).toBe(200);
  });
});
