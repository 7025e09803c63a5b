// Progressive disclosure of the Stripe API: the context carries its index, the model asks for declarations with
// <lookup>, and Kiln answers them from the same generated declarations the type-checker reads.
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { type StreamedEvent, scriptedRequests, streamedCall } from "../../test/scripted-model/client";
import { connectorCatalogs } from "../compiler/seed";
import { apiIndex, lookUpDeclarations } from "./api-lookup";

const all = (events: StreamedEvent[], name: string) => events.filter((e) => e.event === name).map((e) => e.data);

describe("the Stripe API catalog", () => {
  const stripe = connectorCatalogs.stripe!;

  it("indexes every v1 resource, nested namespaces included, far beyond the old hand-written subset", () => {
    const index = apiIndex(stripe);
    expect(index).toMatch(/^stripe: .*\bbalanceTransactions\b.*\bcharges\b/m);
    expect(index).toMatch(/^stripe\.checkout: sessions$/m);
    expect(index).not.toContain("v2");
    expect(Object.keys(stripe.methods).length).toBeGreaterThan(400);
    expect(stripe.resources["stripe.paymentIntents"]?.methods).toEqual(
      expect.arrayContaining(["list", "create", "capture"]),
    );
  });

  it("answers a method with its signature, parameters and result, a resource with its methods, a type by name", () => {
    const method = lookUpDeclarations({ stripe }, ["stripe.charges.list"]);
    expect(method.found).toEqual(["stripe.charges.list"]);
    expect(method.text).toContain("list(params?: ChargeListParams, options?: RequestOptions): ApiListPromise<Charge>;");
    expect(method.text).toMatch(
      /interface ChargeListParams extends PaginationParams \{ created\?: RangeQueryParam \| number;/,
    );
    expect(method.text).toContain("interface PaginationParams {");
    expect(method.text).toMatch(/interface Charge \{ id: string;.* amount_refunded: number;/);

    // A nested namespace's types are named as apps write them.
    const session = lookUpDeclarations({ stripe }, ["stripe.checkout.sessions.list"]);
    expect(session.text).toContain("// Checkout.SessionListParams");
    expect(session.text).toMatch(
      /\/\/ Checkout\.Session\ninterface Session \{ id: string;.*payment_link: string \| PaymentLink \| null;/,
    );

    const resource = lookUpDeclarations({ stripe }, ["stripe.refunds"]);
    expect(resource.text).toMatch(/\/\/ stripe\.refunds\n\{\n {2}list\(/);
    expect(resource.text).toContain("create(params?: RefundCreateParams");
    expect(resource.text).toMatch(/interface Refund \{ id: string;/);

    const type = lookUpDeclarations({ stripe }, ["Charge.Outcome"]);
    expect(type.text).toMatch(/\/\/ Charge\.Outcome\ninterface Outcome \{/);
  });

  it("answers a connector's own module, one of its exports, and a folded namespace; gives each type once per turn", () => {
    const { google } = connectorCatalogs;
    const module = lookUpDeclarations({ stripe, google }, ["kiln/stripe"]);
    expect(module.found).toEqual(["kiln/stripe"]);
    expect(module.text).toContain("// kiln/stripe\n");
    expect(module.text).toContain("export interface StripeEvent {");
    expect(module.text).toContain("export declare class StripeError extends Error");
    // Lines that only wire the declaration files together are not the model's business.
    expect(module.text).not.toContain('from "./api/client"');
    const email = lookUpDeclarations({ stripe, google }, ["EmailMessage"]);
    expect(email.text).toMatch(/export interface EmailMessage \{ to: string \| string\[\];/);
    expect(email.text).not.toContain("GoogleApiError");

    // A product of its own is one word in the index; looking it up lists its resources.
    expect(apiIndex(stripe)).toMatch(/^more \(look one up to list it\): .*\bstripe\.issuing\b/m);
    expect(apiIndex(stripe)).not.toMatch(/^stripe\.issuing: /m);
    const issuing = lookUpDeclarations({ stripe }, ["stripe.issuing"]);
    expect(issuing.found).toEqual(["stripe.issuing"]);
    expect(issuing.text).toMatch(/^stripe\.issuing: authorizations cards cardholders/m);

    // A list's object asked again, in the same answer or the next lookup of the turn, is named, not repeated.
    const shown = new Set<string>();
    const first = lookUpDeclarations({ stripe }, ["stripe.charges.list", "Charge"], shown);
    expect(first.text.match(/interface Charge \{/g)).toHaveLength(1);
    expect(first.text).toContain("// Charge: given above");
    const second = lookUpDeclarations({ stripe }, ["stripe.refunds.create", "stripe.charges.retrieve"], shown);
    expect(second.text).toMatch(/interface Refund \{/);
    expect(second.text).not.toMatch(/interface Charge \{/);
  });

  it("names what does not exist, with the nearest real name, and bounds one answer", () => {
    const answer = lookUpDeclarations({ stripe }, ["stripe.charge.list", "stripe.nothing"]);
    expect(answer.found).toEqual([]);
    expect(answer.unknown).toEqual(["stripe.charge.list", "stripe.nothing"]);
    expect(answer.text).toContain("stripe.charge.list (did you mean");
    expect(answer.text).toContain("None of those keys is in the API.");
    const many = lookUpDeclarations({ stripe }, Object.keys(stripe.resources).slice(0, 20));
    expect(many.found).toHaveLength(12);
    expect(many.text).toContain("Left out (ask again):");
    expect(many.text.length).toBeLessThan(26_000);
  });
});

describe("a chat turn that looks up the API before writing", () => {
  it("sends the declarations the model asked for, then builds on the first attempt against the full types", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Charges" })).body as { id: string };
    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Show my recent Stripe charges [scenario:lookup-charges] ${app.id}`,
    });
    expect(all(turn.events, "lookup")).toEqual([
      {
        attempt: 1,
        keys: ["stripe.charges.list", "stripe.nothing.here"],
        found: ["stripe.charges.list"],
        unknown: ["stripe.nothing.here"],
      },
    ]);
    expect(all(turn.events, "check")).toEqual([expect.objectContaining({ ok: true, attempt: 1 })]);
    expect(all(turn.events, "done")).toEqual([expect.objectContaining({ status: "built" })]);

    const requests = (await scriptedRequests("lookup-charges")).filter((r) =>
      r.messages.some((m) => m.content.includes(app.id)),
    );
    expect(requests).toHaveLength(2);
    // The first call's context holds the index and how to look up, not the declarations themselves.
    expect(requests[0]!.system).toMatch(/^stripe: .*\bcharges\b/m);
    expect(requests[0]!.system).toContain("## Looking up an API");
    expect(requests[0]!.system).not.toContain("interface ChargeListParams");
    const answer = requests[1]!.messages.at(-1)!.content;
    expect(answer).toContain("interface ChargeListParams extends PaginationParams");
    expect(answer).toContain("Not found: stripe.nothing.here");
  });

  it("answers two lookups per turn; a third costs an attempt", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Lookups" })).body as { id: string };
    const turn = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Charges please [scenario:lookup-forever] ${app.id}`,
    });
    expect(all(turn.events, "lookup").map((e) => e.attempt)).toEqual([1, 1, 1]);
    expect(all(turn.events, "check")).toEqual([expect.objectContaining({ ok: true, attempt: 2 })]);
    const requests = (await scriptedRequests("lookup-forever")).filter((r) =>
      r.messages.some((m) => m.content.includes(app.id)),
    );
    expect(requests[2]!.messages.at(-1)!.content).toContain("That was the last lookup");
  });
});
