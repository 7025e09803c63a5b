import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { CONNECTOR_RULES } from "../connections/connector-catalog";
import { judgeDestination } from "../egress/destination";
import type { ConnectorId } from "../../../connectors/types";

const STRIPE_AND_GOOGLE = {
  "src/index.ts": `import { Hono } from "hono";
import { stripe } from "kiln/stripe";
import { google } from "kiln/google";

const app = new Hono();
app.get("/", (c) => c.text("shop"));
app.get("/customers", async (c) => c.json(await stripe.customers.list({ limit: 1 })));
app.get("/events", async (c) => c.json(await google.calendar.events.list({ calendarId: "primary" })));
export default app;
`,
};
const PLAIN = { "src/index.ts": `export default { fetch: () => new Response("plain") };` };

interface ListedVersion {
  number: number;
  connectors: string[];
  permissions: { connectors: { id: string; label: string; hosts: string[] }[]; hosts: string[] };
}

describe("a version's permissions in the version list", () => {
  it("name each imported connector with the exact hosts the egress proxy lets that version reach", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "permissions", PLAIN);
    const second = await user.call("PUT", `/api/apps/${app.id}/source`, { files: STRIPE_AND_GOOGLE });
    expect(second.status).toBe(200);

    const listed = await user.call("GET", `/api/apps/${app.id}/versions`);
    expect(listed.status).toBe(200);
    const [v2, v1] = listed.body.versions as ListedVersion[];
    expect(v1).toMatchObject({ number: 1, permissions: { connectors: [], hosts: [] }, wasLive: false });
    expect(v2!.permissions).toEqual({
      connectors: [
        {
          id: "google",
          label: "Google",
          hosts: ["www.googleapis.com", "sheets.googleapis.com", "gmail.googleapis.com"],
        },
        { id: "stripe", label: "Stripe", hosts: ["api.stripe.com"] },
      ],
      hosts: ["api.stripe.com", "gmail.googleapis.com", "sheets.googleapis.com", "www.googleapis.com"],
    });

    // The list is the proxy's own verdict: each listed host is allowed for v2, Airtable's and any other host are not.
    const rules = (v2!.connectors as ConnectorId[]).map((id) => CONNECTOR_RULES[id]);
    for (const host of v2!.permissions.hosts)
      expect(judgeDestination(`https://${host}/v1/anything`, rules).allowed).toBe(true);
    for (const host of [...CONNECTOR_RULES.airtable.hosts, "oauth2.googleapis.com", "evil.example.com"]) {
      expect(judgeDestination(`https://${host}/`, rules).allowed).toBe(false);
    }
  });
});

describe("the version list", () => {
  it("says which versions have been live, the ones rollback accepts", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "was-live", PLAIN);
    await user.call("PUT", `/api/apps/${app.id}/source`, { files: STRIPE_AND_GOOGLE });
    const wasLive = async () =>
      (
        (await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions as { number: number; wasLive: boolean }[]
      ).map((v) => [v.number, v.wasLive]);
    expect(await wasLive()).toEqual([
      [2, false],
      [1, false],
    ]);
    // Never live: rollback refuses it.
    expect((await user.call("POST", `/api/apps/${app.id}/rollback`, { version: app.version })).status).toBe(409);
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version })).status).toBe(200);
    expect(await wasLive()).toEqual([
      [2, false],
      [1, true],
    ]);
  });
});
