import { describe, expect, it } from "vitest";
import { callApi, newUser, visitAsOwner } from "../../test/api-client";
import { type StreamedEvent, streamedCall } from "../../test/scripted-model/client";

const names = (events: StreamedEvent[]) => events.map((e) => e.event);
const first = (events: StreamedEvent[], name: string) => events.find((e) => e.event === name)?.data;

describe("the template gallery", () => {
  it("lists every template with what it uses and a preview picture, without signing in", async () => {
    const listed = await callApi("GET", "/api/templates");
    expect(listed.status).toBe(200);
    const ids = listed.body.templates.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(["tracker", "storefront-stripe", "revenue-digest", "crm-airtable"]));
    const digest = listed.body.templates.find((t: { id: string }) => t.id === "revenue-digest");
    expect(digest).toMatchObject({
      connectors: ["stripe", "google"],
      tables: ["digests", "settings"],
      defaultName: "Revenue digest",
      preview: "/templates/revenue-digest.jpg",
    });
    expect(digest.description).toMatch(/08:00 UTC/);
    // The catalog carries no source code.
    expect(JSON.stringify(listed.body)).not.toContain("import ");
  });

  it("creates an app from a template as it is, streamed, without asking the configured model", async () => {
    const user = await newUser();
    const turn = await streamedCall(user, "/api/apps", { template: "tracker" });
    expect(turn.status).toBe(200);
    expect(names(turn.events).slice(0, 2)).toEqual(["app", "turn"]);
    expect(names(turn.events)).not.toContain("template-mode");
    const created = first(turn.events, "app") as { app: { id: string; name: string; previewUrl: string } };
    expect(created.app.name).toBe("Tracker");
    // The test pool has a model configured: a "model" turn would have asked it.
    expect(first(turn.events, "turn")).toMatchObject({ mode: "template", model: null });
    expect(first(turn.events, "plan")).toMatchObject({ text: expect.stringContaining("template") });
    expect(first(turn.events, "done")).toMatchObject({ status: "built" });
    expect((await visitAsOwner(user, created.app.id, created.app.previewUrl)).status).toBe(200);
    const turns = (await user.call("GET", `/api/apps/${created.app.id}/chat`)).body.turns;
    expect(turns).toHaveLength(1);
    expect(turns[0].message).toMatch(/^Start from the ".+" template\.$/);
  });

  it("names the app as asked, and refuses an unknown template in words before creating anything", async () => {
    const user = await newUser();
    const named = await streamedCall(user, "/api/apps", { template: "tracker", name: "Plant log" });
    expect((first(named.events, "app") as { app: { name: string } }).app.name).toBe("Plant log");
    const unknown = await user.call("POST", "/api/apps", { template: "spaceship" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no template "spaceship".*tracker/);
    const both = await user.call("POST", "/api/apps", { template: "tracker", prompt: "a shop" });
    expect(both.status).toBe(400);
    expect((await user.call("GET", "/api/apps")).body.apps).toHaveLength(1);
  });
});
