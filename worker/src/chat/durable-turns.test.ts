// Chat turns run in the app's TurnRunner, not in the request that started them: a closed tab leaves the turn
// working, another connection resumes its events from the last one seen, Cancel stops the model call, and a turn
// that lost its process ends as failed in words. Real workerd, real Durable Object, the scripted model (slowed).
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PLATFORM, type TestUser, newUser } from "../../test/api-client";
import { eventually } from "../../test/fixtures";
import { type StreamedEvent, readStreamUntil, scriptedRequests } from "../../test/scripted-model/client";
import { newTurnId } from "./chat-store";
import { appendTurnEvent } from "./turn-log";

const post = (user: TestUser, path: string, body: unknown) =>
  SELF.fetch(`${PLATFORM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
    body: JSON.stringify(body),
  });

const follow = (user: TestUser, appId: string, turnId: string, lastEventId?: number) =>
  SELF.fetch(`${PLATFORM}/api/apps/${appId}/chat/turns/${turnId}/events`, {
    headers: {
      authorization: `Bearer ${user.token}`,
      ...(lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) }),
    },
  });

async function newApp(user: TestUser, name: string): Promise<string> {
  return ((await user.call("POST", "/api/apps", { name })).body as { id: string }).id;
}

const turnIdOf = (events: StreamedEvent[]) => events.find((e) => e.event === "turn")?.data.turnId as string;
// The stored events (each with its place in the turn); `writing` is live only.
const stored = (events: StreamedEvent[]) => events.filter((e) => e.event !== "writing");

describe("a chat turn is a durable job", () => {
  it("goes on after its tab closes; another connection resumes after the last event seen and sees it built", async () => {
    const user = await newUser();
    const appId = await newApp(user, "Durable");
    const first = await post(user, `/api/apps/${appId}/chat`, {
      message: `A notes app please [scenario:first-time] [delay:1500] ${appId}`,
    });
    expect(first.headers.get("content-type")).toBe("text/event-stream");
    // The tab closes while the model is still thinking.
    const seen = await readStreamUntil(first, (e) => e.event === "context");
    const turnId = turnIdOf(seen);
    const lastSeen = seen.at(-1)!.id!;
    expect(seen.map((e) => e.id)).toEqual(seen.map((_, i) => i + 1));

    const resumed = stored(await readStreamUntil(await follow(user, appId, turnId, lastSeen)));
    expect(resumed[0]!.id).toBe(lastSeen + 1);
    expect(resumed.map((e) => e.event)).toContain("preview");
    expect(resumed.at(-1)).toMatchObject({ event: "done", data: { turnId, status: "built" } });

    const chat = await user.call("GET", `/api/apps/${appId}/chat`);
    expect(chat.body.turns).toEqual([expect.objectContaining({ id: turnId, status: "built" })]);
    expect((await user.call("GET", `/api/apps/${appId}`)).body.previewVersion).toEqual(expect.any(String));

    // The history carries the turn's events, so a reload shows the steps and cards it showed live.
    expect((chat.body.turns[0].events as { type: string }[]).map((e) => e.type)).toEqual(
      [...seen, ...resumed].map((e) => e.event),
    );

    // A finished turn reads back whole, in the same order, from the start.
    const replay = await readStreamUntil(await follow(user, appId, turnId));
    expect(replay.map((e) => [e.id, e.event])).toEqual([...seen, ...resumed].map((e) => [e.id, e.event]));
  });

  it("one turn at a time per app; Cancel aborts the model call and the turn ends cancelled, with nothing deployed", async () => {
    const user = await newUser();
    const appId = await newApp(user, "Cancelled");
    const started = await post(user, `/api/apps/${appId}/chat`, {
      message: `A notes app please [scenario:first-time] [delay:20000] ${appId}`,
    });
    const seen = await readStreamUntil(started, (e) => e.event === "context");
    const turnId = turnIdOf(seen);

    const second = await post(user, `/api/apps/${appId}/chat`, { message: "And a dark theme" });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: "conflict" }, turnId });

    // Cancel once the model is working on it.
    const callsOfApp = async () =>
      (await scriptedRequests("first-time")).filter((r) => r.messages.some((m) => m.content.includes(appId)));
    await eventually(async () => ((await callsOfApp()).length > 0 ? true : null), 10_000);
    const following = follow(user, appId, turnId, seen.at(-1)!.id);
    const cancel = await user.call("POST", `/api/apps/${appId}/chat/turns/${turnId}/cancel`);
    expect(cancel.status).toBe(200);
    const rest = await readStreamUntil(await following);
    expect(rest.at(-1)).toMatchObject({ event: "done", data: { turnId, status: "cancelled" } });
    expect(rest.map((e) => e.event)).not.toContain("files");
    // The model call itself was stopped, not waited out.
    const calls = await eventually(async () => {
      const made = await callsOfApp();
      return made.every((r) => r.aborted) ? made : null;
    }, 10_000);
    expect(calls).toHaveLength(1);

    const chat = await user.call("GET", `/api/apps/${appId}/chat`);
    expect(chat.body.turns).toEqual([
      expect.objectContaining({ id: turnId, status: "cancelled", failure: expect.stringContaining("You cancelled") }),
    ]);
    expect((await user.call("GET", `/api/apps/${appId}`)).body.previewVersion).toBeNull();
    expect((await user.call("POST", `/api/apps/${appId}/chat/turns/${turnId}/cancel`)).status).toBe(409);
    // The app takes the next message at once.
    const next = await readStreamUntil(
      await post(user, `/api/apps/${appId}/chat`, { message: `A notes app please [scenario:first-time] ${appId}` }),
    );
    expect(next.at(-1)).toMatchObject({ event: "done", data: { status: "built" } });
  });

  it("a turn no process is working on ends as failed, in words, when the chat is listed or followed", async () => {
    const user = await newUser();
    const appId = await newApp(user, "Lost");
    // What a turn looks like after Kiln was killed mid-model-call: its row running, its log cut short.
    const turnId = newTurnId();
    await env.DB.prepare(
      "INSERT INTO chat_turns (id, app_id, user_id, mode, model, message, status, created_at) VALUES (?, ?, ?, 'model', 'm', 'hello', 'running', ?)",
    )
      .bind(turnId, appId, user.id, new Date().toISOString())
      .run();
    await appendTurnEvent(env.DB, {
      appId,
      turnId,
      seq: 1,
      event: { type: "turn", turnId, mode: "model", model: "m" },
    });

    const chat = await user.call("GET", `/api/apps/${appId}/chat`);
    expect(chat.body.turns).toEqual([
      expect.objectContaining({
        id: turnId,
        status: "failed",
        failure: expect.stringContaining("send the message again"),
      }),
    ]);
    const events = await readStreamUntil(await follow(user, appId, turnId, 1));
    expect(events.map((e) => [e.id, e.event, e.data.status ?? null])).toEqual([
      [2, "failed", null],
      [3, "done", "failed"],
    ]);
    expect((await follow(user, appId, newTurnId())).status).toBe(404);
    const stranger = await newUser();
    expect((await follow(stranger, appId, turnId)).status).toBe(404);
    // A turn is read through its own app only: another app of the same owner does not have it.
    const otherApp = await newApp(user, "Other");
    expect((await follow(user, otherApp, turnId)).status).toBe(404);
    expect((await user.call("POST", `/api/apps/${otherApp}/chat/turns/${turnId}/cancel`)).status).toBe(409);
  });
});
