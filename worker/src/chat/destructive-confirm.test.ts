import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findOwnedApp } from "../apps/app-repository";
import { appRunnerFor } from "../isolates/app-runner-for";
import { newUser, visit } from "../../test/api-client";
import { noModelEnv } from "../../test/no-model-env";
import { runChatTurn } from "./chat-turn";
import { newTurnId } from "./chat-store";
import type { TurnEvent } from "../core/api-shapes/chat";

// Template mode re-adapts from the whole conversation, so listing other fields drops the tracker's columns.
const noModel = noModelEnv;

async function turn(
  appId: string,
  userId: string,
  message: string,
  options: { templateId?: string; confirmDestructive?: boolean } = {},
) {
  const app = (await findOwnedApp(env.DB, userId, appId))!;
  const events: TurnEvent[] = [];
  const status = await runChatTurn({
    env: noModel,
    runner: appRunnerFor(noModel, "any-app"),
    turnId: newTurnId(),
    signal: new AbortController().signal,
    app,
    userId,
    message,
    emit: async (e) => void events.push(e),
    ...options,
  });
  return { status, events };
}

describe("a chat turn that would remove preview data", () => {
  it("stops, says so in chat words with a confirm marker, and goes ahead once the person confirms", async () => {
    const user = await newUser();
    const created = (await user.call("POST", "/api/apps", { name: "Plants" })).body as {
      id: string;
      previewUrl: string;
    };
    expect((await turn(created.id, user.id, "Start from the tracker.", { templateId: "tracker" })).status).toBe(
      "built",
    );

    const refused = await turn(created.id, user.id, "track my plants with plant, date and notes");
    expect(refused.status).toBe("failed");
    const check = refused.events.find((e) => e.type === "check");
    expect(check).toMatchObject({ ok: false, stage: "migration", confirm: "destructive" });
    const message = (check as { message: string }).message;
    expect(message).toMatch(/drop column 'title' from 'items'/);
    expect(message).toMatch(/Confirm to go ahead/);
    expect(message).not.toContain("confirmDestructive");

    const confirmed = await turn(created.id, user.id, "track my plants with plant, date and notes", {
      confirmDestructive: true,
    });
    expect(confirmed.status).toBe("built");
    expect(confirmed.events.find((e) => e.type === "check")).toMatchObject({ ok: true });
  });

  it("explains a schema the existing rows cannot take in words instead of failing inside Kiln", async () => {
    const user = await newUser();
    const created = (await user.call("POST", "/api/apps", { name: "Plants with rows" })).body as {
      id: string;
      previewUrl: string;
    };
    expect((await turn(created.id, user.id, "Start from the tracker.", { templateId: "tracker" })).status).toBe(
      "built",
    );
    const added = await visit(`${created.previewUrl}api/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Fern" }),
    });
    expect(added.status).toBeLessThan(300);

    const refused = await turn(created.id, user.id, "track my plants with plant, date and notes", {
      confirmDestructive: true,
    });
    expect(refused.status).toBe("failed");
    expect(refused.events.find((e) => e.type === "check")).toMatchObject({
      ok: false,
      stage: "migration",
      message: expect.stringMatching(/required column 'plant'.*optional/),
    });
    expect(refused.events.find((e) => e.type === "failed")).toMatchObject({ stillServing: expect.any(String) });
  });
});
