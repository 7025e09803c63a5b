// The form template, deployed through the real API: each submission is sorted by kiln/ai and reaches the
// Airtable fake and the Google fake's Gmail, all through Kiln's egress proxy. The test pool's model (the scripted
// one) answers unscripted AI calls as the demo model does (demo-answers.ts), so the category is deterministic.
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../connectors/airtable/fake/credentials";
import { GOOGLE_FAKE_USER } from "../../connectors/google/fake/credentials";
import { newUser, ownerCookie } from "../../worker/test/api-client";
import { askApp, auditedCalls, runMarker } from "../../worker/test/connector-app";
import { templateFiles } from "../../worker/src/templates";
import { airtableRows, freshAirtableBase } from "../../worker/test/template-airtable";
import { connectGoogle, sentEmails } from "../../worker/test/template-google";
import { deployFiles, pageText, postForm } from "../../worker/test/templates";

interface Submission {
  id: number;
  name: string;
  category: string | null;
  airtable_id: string | null;
  notified: boolean;
  problem: string | null;
}

describe("form-airtable-gmail template", () => {
  it("sorts a submission with AI, saves it to the configured Airtable table and emails the owner about it", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    await connectGoogle(user);
    const baseId = await freshAirtableBase("Submissions", ["Name", "Email", "Message"]);
    const owner = `${runMarker("owner")}@example.com`;
    const app = await deployFiles(user, "form", templateFiles("form-airtable-gmail"), {
      SUBMISSIONS_BASE: baseId,
      NOTIFY_EMAIL: owner,
    });

    const blank = await pageText(app.previewUrl);
    expect(blank).toContain("<h1>Contact us</h1>");
    expect(blank).toContain('name="message"');

    const sent = await postForm(`${app.previewUrl}submit`, {
      name: "Ada Lovelace",
      email: "ada@example.com",
      message: "Do you cater weddings?",
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain("Thank you! Your message was sent.");

    const rows = await airtableRows(baseId, "Submissions");
    expect(rows.map((r) => r.fields)).toEqual([
      { Name: "Ada Lovelace", Email: "ada@example.com", Message: "Do you cater weddings?" },
    ]);
    const mail = (await sentEmails()).filter((m) => m.to.some((t) => t.address === owner));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      subject: "Contact us: new question from Ada Lovelace",
      replyTo: { address: "ada@example.com" },
      from: { address: GOOGLE_FAKE_USER.email },
    });
    expect(mail[0]!.text).toContain("Do you cater weddings?");

    expect((await askApp(`${app.previewUrl}api/submissions`)).status).toBe(401);
    const asOwner = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    const stored = (await askApp<Submission[]>(`${app.previewUrl}api/submissions`, { headers: asOwner })).json;
    expect(stored).toEqual([
      expect.objectContaining({
        name: "Ada Lovelace",
        category: "question",
        airtable_id: rows[0]!.id,
        notified: true,
        problem: null,
      }),
    ]);
    const inCategory = async (category: string) =>
      (await askApp<Submission[]>(`${app.previewUrl}api/submissions?category=${category}`, { headers: asOwner })).json;
    expect((await inCategory("question")).map((s) => s.name)).toEqual(["Ada Lovelace"]);
    expect(await inCategory("complaint")).toEqual([]);
    // The AI call went to ai.kiln through the egress proxy, before the Airtable row and the email.
    const calls = await auditedCalls(user, app.id);
    expect(calls.map((call) => call.connector)).toEqual(["ai", "airtable", "google"]);
    expect(calls[0]).toMatchObject({ host: "ai.kiln", path: "/v1/generate", outcome: "sent", status: 200 });
    const budget = (await user.call("GET", `/api/apps/${app.id}/ai-budget`)).body.budget;
    expect(budget.used.calls).toBe(1);
    expect(budget.used.totalTokens).toBeGreaterThan(0);

    const invalid = await postForm(`${app.previewUrl}submit`, { name: "Bob", email: "not an email", message: "hi" });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("Please give an email address we can answer.");
    expect(invalid.text).toContain('value="Bob"');
    expect(await airtableRows(baseId, "Submissions")).toHaveLength(1);
  });

  it("keeps the submission and notes what to set up when a service is not configured or connected; AI needs neither", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "form", templateFiles("form-airtable-gmail"), {
      SUBMISSIONS_BASE: "appNotConnected01",
    });
    const answer = await askApp<Submission>(`${app.previewUrl}api/submissions`, {
      method: "POST",
      body: { name: "Grace", email: "grace@example.com", message: "A complaint: my order arrived broken." },
    });
    expect(answer.status).toBe(201);
    // The category the message names (the demo model's deterministic pick; "Hello" would be the first, "question").
    expect(answer.json).toMatchObject({ name: "Grace", category: "complaint", airtable_id: null, notified: false });
    expect(answer.json.problem).not.toContain("AI:");
    expect(answer.json.problem).toContain("Airtable is not connected");
    expect(answer.json.problem).toContain("set NOTIFY_EMAIL");
  });
});
