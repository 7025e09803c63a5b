import { describe, expect, it } from "vitest";
import { newUser, visit, visitAsOwner } from "../../test/api-client";
import { notesFiles, SCRIPTED_MODEL_KEY } from "../../test/scripted-model/scenarios";
import { type StreamedEvent, scriptedRequests, streamedCall } from "../../test/scripted-model/client";

// The stored events' names: `writing` (the answer as it streams in, live only) is checked on its own.
const names = (events: StreamedEvent[]) => events.filter((e) => e.event !== "writing").map((e) => e.event);
const first = (events: StreamedEvent[], name: string) => events.find((e) => e.event === name)?.data;
const all = (events: StreamedEvent[], name: string) => events.filter((e) => e.event === name).map((e) => e.data);

async function newApp(name: string) {
  const user = await newUser();
  const created = await user.call("POST", "/api/apps", { name });
  expect(created.status).toBe(201);
  return { user, app: created.body as { id: string; previewUrl: string } };
}

describe("chat turns with a model", () => {
  it("builds a working app on the first try and streams every step up to the preview URL", async () => {
    const { user, app } = await newApp("First try");
    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: "A notes app [scenario:first-time] #1",
    });
    expect(turn.status).toBe(200);
    expect(turn.contentType).toContain("text/event-stream");
    expect(names(turn.events)).toEqual([
      "turn",
      "context",
      "plan",
      "files",
      "step",
      "step",
      "step",
      "step",
      "step",
      "check",
      "preview",
      "usage",
      "done",
    ]);
    // The model's answer streams in before it is parsed: its length grows, its plan and its files appear as written.
    const writing = turn.events
      .filter((e) => e.event === "writing")
      .map((e) => e.data as { characters: number; plan: string | null; files: string[] });
    expect(writing.length).toBeGreaterThan(0);
    expect(turn.events.findIndex((e) => e.event === "writing")).toBeLessThan(
      turn.events.findIndex((e) => e.event === "plan"),
    );
    expect(writing.map((w) => w.characters)).toEqual([...writing.map((w) => w.characters)].sort((a, b) => a - b));
    expect(writing.at(-1)).toMatchObject({
      plan: expect.stringContaining("A notes app"),
      files: expect.arrayContaining(["src/index.ts"]),
    });
    // Live only: no place in the turn, so a resumed stream never waits for one.
    expect(turn.events.filter((e) => e.event === "writing").every((e) => e.id === undefined)).toBe(true);
    // Each step is streamed as it passes, in the order the build runs.
    expect(turn.events.filter((e) => e.event === "step").map((e) => (e.data as { stage: string }).stage)).toEqual([
      "type-check",
      "bundle",
      "start",
      "smoke-test",
      "migration",
    ]);
    expect(first(turn.events, "turn")).toMatchObject({ mode: "model", model: "openai-compatible:kiln-scripted" });
    expect(first(turn.events, "files")).toMatchObject({
      files: [
        { path: "src/greeting.ts", change: "created" },
        { path: "src/index.ts", change: "created" },
      ],
    });
    expect(first(turn.events, "check")).toMatchObject({ ok: true, attempt: 1 });
    const preview = first(turn.events, "preview") as { url: string; version: string; summary: string };
    expect(preview.summary).toBe("Created a notes app with a notes table.");
    expect(first(turn.events, "done")).toMatchObject({ status: "built" });
    expect((await visit(preview.url)).text).toBe("Notes are ready");
    // The turn's summary is the version's, in the versions list.
    const versions = (await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions as {
      version: string;
      summary: string | null;
    }[];
    expect(versions.find((v) => v.version === preview.version)?.summary).toBe(
      "Created a notes app with a notes table.",
    );

    // What the model received: the contract and the rules as the system prompt, the key as a bearer token.
    const [request] = (await scriptedRequests("first-time")).filter((r) => r.messages.at(-1)?.content.includes("#1"));
    expect(request!.authorization).toBe(`Bearer ${SCRIPTED_MODEL_KEY}`);
    expect(request!.system).toContain("export declare function defineTables");
    expect(request!.system).toContain("No raw fetch()");
    expect(request!.system).not.toContain(SCRIPTED_MODEL_KEY);

    // Token usage is what the provider reported, stored with the turn and streamed.
    const usage = first(turn.events, "usage") as { usage: { input: number; output: number } };
    expect(usage.usage).toEqual({ input: request!.usage.prompt_tokens, output: request!.usage.completion_tokens });
    const history = await user.call("GET", `/api/apps/${app.id}/chat`);
    expect(history.body.turns).toHaveLength(1);
    expect(history.body.turns[0]).toMatchObject({
      status: "built",
      version: preview.version,
      summary: preview.summary,
      usage: usage.usage,
      files: ["src/greeting.ts", "src/index.ts"],
    });
  });

  it("sends a type error back to the model and deploys the repaired code on the second attempt", async () => {
    const { user, app } = await newApp("Repair");
    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Notes please [scenario:repair-once] ${app.id}`,
    });
    const checks = all(turn.events, "check");
    expect(checks[0]).toMatchObject({ ok: false, attempt: 1, stage: "type-check" });
    expect(JSON.stringify(checks[0])).toContain("src/greeting.ts");
    expect(first(turn.events, "repair")).toMatchObject({ attempt: 2, of: 3 });
    expect(checks[1]).toMatchObject({ ok: true, attempt: 2 });
    expect(first(turn.events, "done")).toMatchObject({ status: "built" });
    expect((await visit(app.previewUrl)).text).toBe("Notes: 3");

    const requests = (await scriptedRequests("repair-once")).filter((r) =>
      r.messages.some((m) => m.content.includes(app.id)),
    );
    expect(requests).toHaveLength(2);
    const repairPrompt = requests[1]!.messages.at(-1)!.content;
    expect(repairPrompt).toContain("type-check failed");
    expect(repairPrompt).toMatch(/src\/greeting\.ts:2:\d+ .*Type 'string' is not assignable to type 'number'/);
  });

  it("gives up after the configured repairs, says why in plain words, and keeps the last good version live", async () => {
    const { user, app } = await newApp("Gives up");
    const good = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Notes [scenario:first-time] ${app.id}`,
    });
    const goodVersion = (first(good.events, "preview") as { version: string }).version;

    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Change the greeting [scenario:never-builds] ${app.id}`,
    });
    // KILN_REPAIR_ATTEMPTS is 2 in the tests: the first try and two repairs.
    expect(all(turn.events, "check").map((c) => c.ok)).toEqual([false, false, false]);
    expect(all(turn.events, "repair").map((r) => r.attempt)).toEqual([2, 3]);
    const failed = first(turn.events, "failed") as { message: string; stillServing: string };
    expect(failed.stillServing).toBe(goodVersion);
    expect(failed.message).toContain("After 3 attempts the app still does not build.");
    expect(failed.message).toContain("Checking the code failed");
    expect(first(turn.events, "done")).toMatchObject({ status: "failed" });
    expect(names(turn.events)).not.toContain("preview");
    expect(
      (await scriptedRequests("never-builds")).filter((r) => r.messages.some((m) => m.content.includes(app.id))),
    ).toHaveLength(3);

    expect((await visit(app.previewUrl)).text).toBe("Notes are ready");
    const details = await user.call("GET", `/api/apps/${app.id}`);
    expect(details.body.previewVersion).toBe(goodVersion);
    const history = await user.call("GET", `/api/apps/${app.id}/chat`);
    expect(history.body.turns[1]).toMatchObject({ status: "failed", version: null, attempts: 3 });
    expect(history.body.turns[1].failure).toContain("Checking the code failed");
  });

  it("passes on a clarifying question instead of code and deploys nothing", async () => {
    const { user, app } = await newApp("Question");
    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, { message: "A booking app [scenario:question]" });
    expect(names(turn.events)).toEqual(["turn", "context", "plan", "question", "usage", "done"]);
    expect(first(turn.events, "question")).toEqual({
      text: "What will people book: rooms, appointments with you, or equipment?",
    });
    expect(first(turn.events, "done")).toMatchObject({ status: "question" });
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBeNull();
    const history = await user.call("GET", `/api/apps/${app.id}/chat`);
    expect(history.body.turns[0]).toMatchObject({
      status: "question",
      question: "What will people book: rooms, appointments with you, or equipment?",
      version: null,
    });
  });

  it("edits one file on a follow-up turn and leaves the others byte-identical", async () => {
    const { user, app } = await newApp("Edit");
    await streamedCall(user, `/api/apps/${app.id}/chat`, { message: `Notes [scenario:first-time] ${app.id}` });
    const before = await user.call("GET", `/api/apps/${app.id}/source`);
    expect(before.body.files).toEqual(notesFiles);

    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Say welcome instead [scenario:edit-greeting] ${app.id}`,
    });
    expect(first(turn.events, "files")).toEqual({
      attempt: 1,
      files: [{ path: "src/greeting.ts", change: "changed", bytes: expect.any(Number) }],
      unchanged: 1,
    });
    const preview = first(turn.events, "preview") as { version: string; summary: string };
    expect(preview.summary).toBe("Changed the home page greeting.");

    const after = await user.call("GET", `/api/apps/${app.id}/source`);
    expect(after.body.version).toBe(preview.version);
    expect(after.body.files["src/index.ts"]).toBe(before.body.files["src/index.ts"]);
    expect(after.body.files["src/greeting.ts"]).toContain("Welcome to your notes");
    expect((await visit(app.previewUrl)).text).toBe("Welcome to your notes");

    // The model got the app's current files and the earlier turn.
    const [request] = (await scriptedRequests("edit-greeting")).filter((r) =>
      r.messages.some((m) => m.content.includes(app.id)),
    );
    const last = request!.messages.at(-1)!.content;
    expect(last).toContain(`<file path="src/index.ts">\n${notesFiles["src/index.ts"]}</file>`);
    expect(request!.messages[0]!.content).toContain("[scenario:first-time]");
    const versions = await user.call("GET", `/api/apps/${app.id}/versions`);
    expect(versions.body.versions).toHaveLength(2);
  });

  it("starts an app from a first message: POST /api/apps { prompt } streams the app, then the turn", async () => {
    const user = await newUser();
    const turn = await streamedCall(user, "/api/apps", { prompt: "A notes app for my team [scenario:first-time]" });
    expect(turn.status).toBe(200);
    expect(names(turn.events).slice(0, 2)).toEqual(["app", "turn"]);
    const created = first(turn.events, "app") as { app: { id: string; name: string; previewUrl: string } };
    expect(created.app.name).toBe("A notes app for my team");
    expect(first(turn.events, "done")).toMatchObject({ status: "built" });
    expect((await visitAsOwner(user, created.app.id, created.app.previewUrl)).text).toBe("Notes are ready");
    expect((await user.call("GET", `/api/apps/${created.app.id}/chat`)).body.turns).toHaveLength(1);
  });

  it("refuses an empty message and another person's app", async () => {
    const { user, app } = await newApp("Mine");
    expect((await user.call("POST", `/api/apps/${app.id}/chat`, { message: "  " })).status).toBe(400);
    const stranger = await newUser();
    expect((await stranger.call("POST", `/api/apps/${app.id}/chat`, { message: "hi" })).status).toBe(404);
    expect((await stranger.call("GET", `/api/apps/${app.id}/chat`)).status).toBe(404);
  });
});
