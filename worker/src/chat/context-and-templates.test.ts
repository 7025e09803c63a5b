import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { noModelEnv } from "../../test/no-model-env";
import { newUser, visit } from "../../test/api-client";
import { findOwnedApp } from "../apps/app-repository";
import { connectorCatalogs, seedDeclarations } from "../compiler/seed";
import { appRunnerFor } from "../isolates/app-runner-for";
import { pickTemplate } from "../templates";
import { runChatTurn } from "./chat-turn";
import { newTurnId } from "./chat-store";
import { templateModeMessage } from "./template-turn";
import { readersContract } from "./code-mode-context";
import { countTokens } from "./token-count";
import type { TurnEvent } from "../core/api-shapes/chat";

const declaration = (path: string) => seedDeclarations.get(`node_modules/kiln/${path}`)!;

describe("GET /api/apps/:id/context", () => {
  it("returns the contract, the connectors' declarations, a template excerpt and the rules, with a real token count", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Context" })).body as { id: string };
    const context = await user.call("GET", `/api/apps/${app.id}/context?connectors=stripe,airtable,google`);
    expect(context.status).toBe(200);
    const text = context.body.text as string;
    expect(context.body.connectors).toEqual(["airtable", "google", "stripe"]);
    // The contract as declared, less the unexported helpers that compute row types.
    expect(text).toContain(readersContract(declaration("index.d.ts")).trim());
    expect(declaration("index.d.ts")).toContain("type RequiredKeys<T>");
    expect(text).not.toContain("type RequiredKeys<T>");
    // Each connector by its brief (how to import it and its conventions); its own declarations are a lookup away.
    for (const id of ["stripe", "airtable", "google"] as const) {
      expect(text).toContain(`## Connector: module "kiln/${id}"`);
      expect(text).toContain(connectorCatalogs[id]!.brief!);
      expect(text).toContain(`from "kiln/${id}";`);
    }
    expect(text).not.toContain("export declare const stripe: StripeApi;");
    expect(text).toContain("No secrets anywhere");
    expect(text).toContain("## Example from the");
    expect(text).toContain('<file path="src/index.ts">');
    // The excerpt imports no file of the template it does not show.
    expect(/<file path="src\/index.ts">[\s\S]*?<\/file>/.exec(text)?.[0]).not.toMatch(/from "\.\.?\//);
    expect(context.body.tokens).toBe(countTokens(text));
    expect(context.body.tokenizer).toBe("o200k_base");
    // A real tokenizer, not characters / 4: code tokenizes denser than that estimate.
    expect(context.body.tokens).not.toBe(Math.ceil(text.length / 4));
    // Each connector's whole API is an index here; its declarations are looked up (api-lookup.test.ts).
    expect(text).toMatch(/^stripe\.checkout: sessions$/m);
    expect(text).toMatch(/^google\.sheets: /m);
    expect(text).toMatch(/^airtable: /m);
    expect(text).toContain("## Looking up an API");
    expect(text).not.toContain("interface ChargeListParams");
    // The owner's "now" (UTC without a browser's zone).
    expect(text).toMatch(/Now: \w+day \d{4}-\d{2}-\d{2} \d{2}:\d{2} in UTC/);
    // The budget for an app using every connector, before what its model looks up. It was 6,244 tokens with the
    // cut-down declarations (50 operations); with briefs and the index of 765 operations it is about 3,150 (bench:
    // context tokens, where the target of 4,000 counts the lookups too).
    expect(context.body.tokens).toBeLessThanOrEqual(3300);
  });

  it("includes only the connectors an app's request hints at, and the template closest to it", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Plain" })).body as { id: string };
    const plain = await user.call(
      "GET",
      `/api/apps/${app.id}/context?message=${encodeURIComponent("a list to keep track of my books")}`,
    );
    expect(plain.body.connectors).toEqual([]);
    expect(plain.body.template).toBe("tracker");
    expect(plain.body.text).not.toContain('module "kiln/stripe"');
    const paid = await user.call(
      "GET",
      `/api/apps/${app.id}/context?message=${encodeURIComponent("take payments with Stripe")}`,
    );
    expect(paid.body.connectors).toContain("stripe");
    expect(paid.body.tokens).toBeGreaterThan(plain.body.tokens);
    expect((await user.call("GET", `/api/apps/${app.id}/context?connectors=paypal`)).status).toBe(400);
  });
});

describe("template mode (no model configured)", () => {
  it("picks and adapts the closest template, deploys it as the turn's version and says it is template mode", async () => {
    const user = await newUser();
    const created = (await user.call("POST", "/api/apps", { name: "Template" })).body as {
      id: string;
      previewUrl: string;
    };
    const app = (await findOwnedApp(env.DB, user.id, created.id))!;
    const noModel = noModelEnv;
    const request = "I want to keep track of my vinyl records";
    const events: TurnEvent[] = [];
    const status = await runChatTurn({
      env: noModel,
      runner: appRunnerFor(noModel, "any-app"),
      turnId: newTurnId(),
      signal: new AbortController().signal,
      app,
      userId: user.id,
      message: request,
      emit: async (e) => void events.push(e),
    });

    expect(status).toBe("built");
    expect(events.map((e) => e.type)).toEqual([
      "turn",
      "template-mode",
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
    expect(events[0]).toMatchObject({ mode: "template", model: null });
    expect(events[1]).toEqual({ type: "template-mode", message: templateModeMessage });
    expect(templateModeMessage).toContain("KILN_MODEL_PROVIDER");
    const template = pickTemplate(request);
    expect(events.find((e) => e.type === "plan")).toMatchObject({
      text: expect.stringContaining(`"${template.title}" template`),
    });
    const preview = events.find((e) => e.type === "preview");
    if (preview?.type !== "preview") throw new Error("no preview event");
    expect((await visit(created.previewUrl)).status).toBe(200);

    const history = await user.call("GET", `/api/apps/${created.id}/chat`);
    expect(history.body.turns[0]).toMatchObject({
      mode: "template",
      status: "built",
      version: preview.version,
      usage: { input: 0, output: 0 },
    });
    expect((await user.call("GET", `/api/apps/${created.id}`)).body.previewVersion).toBe(preview.version);
  });

  // One sentence a person might type per template: template mode must build each from the chat alone.
  it.each([
    ["crm-airtable", "a CRM for my bakery that syncs contacts with Airtable"],
    ["storefront-stripe", "an online shop for my candles with Stripe payment links"],
    ["booking-calendar-stripe", "a booking page for my yoga classes on Google Calendar with a Stripe deposit"],
    ["form-airtable-gmail", "a contact form that saves to Airtable and emails me with Gmail"],
    ["revenue-digest", "a daily digest of my Stripe revenue in a Google Sheet"],
    ["tracker", "track my books with title, author and rating"],
  ])("builds %s from a sentence, with no model and no connection", async (id, sentence) => {
    expect(pickTemplate(sentence).id).toBe(id);
    const user = await newUser();
    const created = (await user.call("POST", "/api/apps", { name: id })).body as { id: string; previewUrl: string };
    const app = (await findOwnedApp(env.DB, user.id, created.id))!;
    const noModel = noModelEnv;
    const events: TurnEvent[] = [];
    const status = await runChatTurn({
      env: noModel,
      runner: appRunnerFor(noModel, "any-app"),
      turnId: newTurnId(),
      signal: new AbortController().signal,
      app,
      userId: user.id,
      message: sentence,
      emit: async (e) => void events.push(e),
    });
    expect(status, JSON.stringify(events.filter((e) => e.type === "check" || e.type === "failed"))).toBe("built");
    expect((await visit(created.previewUrl)).status).toBe(200);
  });
});
