// The form template, deployed through the real API: each submission reaches the
// Airtable fake and the Google fake's Gmail through Kiln's egress proxy.
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../connectors/airtable/fake/credentials";
import { GOOGLE_FAKE_USER } from "../../connectors/google/fake/credentials";
import { newUser, ownerCookie } from "../../worker/test/api-client";
import { askApp, runMarker } from "../../worker/test/connector-app";
import { templateFiles } from "../../worker/src/templates";
import { airtableRows, freshAirtableBase } from "../../worker/test/template-airtable";
import { connectGoogle, sentEmails } from "../../worker/test/template-google";
import { deployFiles, pageText, postForm } from "../../worker/test/templates";

interface Submission {
  id: number;
  name: string;
  airtable_id: string | null;
  notified: boolean;
  problem: string | null;
}

describe("form-airtable-gmail template", () => {
  it("saves a submission to the configured Airtable table and emails the owner about it", async () => {
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
      subject: "Contact us: new message from Ada Lovelace",
      replyTo: { address: "ada@example.com" },
      from: { address: GOOGLE_FAKE_USER.email },
    });
    expect(mail[0]!.text).toContain("Do you cater weddings?");

    expect((await askApp(`${app.previewUrl}api/submissions`)).status).toBe(401);
    const asOwner = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    const stored = (await askApp<Submission[]>(`${app.previewUrl}api/submissions`, { headers: asOwner })).json;
    expect(stored).toEqual([
      expect.objectContaining({ name: "Ada Lovelace", airtable_id: rows[0]!.id, notified: true, problem: null }),
    ]);

    const invalid = await postForm(`${app.previewUrl}submit`, { name: "Bob", email: "not an email", message: "hi" });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("Please give an email address we can answer.");
    expect(invalid.text).toContain('value="Bob"');
    expect(await airtableRows(baseId, "Submissions")).toHaveLength(1);
  });

  it("keeps the submission and notes what to set up when a service is not configured or connected", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "form", templateFiles("form-airtable-gmail"), {
      SUBMISSIONS_BASE: "appNotConnected01",
    });
    const answer = await askApp<Submission>(`${app.previewUrl}api/submissions`, {
      method: "POST",
      body: { name: "Grace", email: "grace@example.com", message: "Hello" },
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ name: "Grace", airtable_id: null, notified: false });
    expect(answer.json.problem).toContain("Airtable is not connected");
    expect(answer.json.problem).toContain("set NOTIFY_EMAIL");
  });
});
