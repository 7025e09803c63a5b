// The template catalog the chat uses: picking by request, deterministic adaptation,
// and every adapted template building and deploying through the real API.
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { askApp } from "../../test/connector-app";
import { adaptTemplate, listTemplates, pickTemplate, templateFiles, UnknownTemplateError } from "./index";
import { deployFiles, pageText } from "../../test/templates";

const PICKS: [string, string][] = [
  ["a CRM for my bakery", "crm-airtable"],
  ["keep my client list and notes about each client in sync with Airtable", "crm-airtable"],
  ["track leads and follow-ups for my sales pipeline", "crm-airtable"],
  ["an online store to sell my pottery", "storefront-stripe"],
  ["a shop page with buy buttons for my merch", "storefront-stripe"],
  ["let people buy my ebooks with Stripe payment links", "storefront-stripe"],
  ["a booking page for my hair salon with a deposit", "booking-calendar-stripe"],
  ["let clients book an appointment from my Google Calendar", "booking-calendar-stripe"],
  ["schedule yoga lessons and take a deposit", "booking-calendar-stripe"],
  ["a contact form that emails me and saves to Airtable", "form-airtable-gmail"],
  ["a signup form for our volunteer day", "form-airtable-gmail"],
  ["collect feedback with a survey and notify me by Gmail", "form-airtable-gmail"],
  ["a daily report of my Stripe revenue in a Google Sheet", "revenue-digest"],
  ["every day put how much I made into a spreadsheet", "revenue-digest"],
  ["send yesterday's sales summary to a sheet", "revenue-digest"],
  ["track my books with title, author and rating", "tracker"],
  ["an inventory of the tools in my garage", "tracker"],
  ["a to-do list for the house move", "tracker"],
  ["something nice", "tracker"],
];

describe("template catalog", () => {
  it("lists the six templates with their connectors", () => {
    expect(listTemplates().map((t) => [t.id, t.connectors])).toEqual([
      ["booking-calendar-stripe", ["google", "stripe"]],
      ["crm-airtable", ["airtable"]],
      ["form-airtable-gmail", ["airtable", "google", "ai"]],
      ["revenue-digest", ["stripe", "google"]],
      ["storefront-stripe", ["stripe"]],
      ["tracker", []],
    ]);
    for (const t of listTemplates()) expect(t.title.length * t.description.length).toBeGreaterThan(0);
  });

  it.each(PICKS)("picks for %j: %s", (request, id) => {
    expect(pickTemplate(request).id).toBe(id);
    expect(pickTemplate(request)).toEqual(pickTemplate(request));
  });

  it("adapts titles, the tracked thing and its fields from the request, and says what it changed", () => {
    const crm = adaptTemplate("crm-airtable", "a CRM for my bakery");
    expect(crm.files["src/index.ts"]).toContain('const APP_TITLE = "Bakery CRM";');
    expect(crm.changes).toEqual(['Named the app "Bakery CRM".']);

    const books = adaptTemplate("tracker", "track my books with title, author and rating");
    expect(books.files["src/index.ts"]).toContain('const APP_TITLE = "Book tracker";');
    expect(books.files["src/index.ts"]).toContain('const ITEMS = "books";');
    expect(books.files["src/fields.ts"]).toContain('items: { title: "text", author: "text?", rating: "number?" }');
    expect(books.changes).toEqual([
      'Entries are called "books" instead of "items".',
      'Named the app "Book tracker".',
      "Each entry has the fields Title (text), Author (text), Rating (number).",
    ]);

    const plants = adaptTemplate("tracker", "a tracker for plants with watered on, done and height for my greenhouse");
    expect(plants.files["src/index.ts"]).toContain('const APP_TITLE = "Greenhouse tracker";');
    expect(plants.files["src/fields.ts"]).toContain(
      'items: { name: "text", watered_on: "text?", done: "boolean?", height: "number?" }',
    );

    const plain = adaptTemplate("storefront-stripe", "sell stuff");
    expect(plain.files).toEqual(templateFiles("storefront-stripe"));
    expect(plain.changes).toEqual(["Used the Storefront with Stripe template as it is."]);
    for (const id of listTemplates().map((t) => t.id))
      expect(JSON.stringify(templateFiles(id))).not.toMatch(/__[A-Z_]+__/);
    expect(() => adaptTemplate("nope", "x")).toThrow(UnknownTemplateError);
  });

  it("every adapted template builds, deploys and shows its new title", async () => {
    const user = await newUser();
    const requests: [string, string, string][] = [
      ["crm-airtable", "a CRM for my bakery", "Bakery CRM"],
      ["storefront-stripe", "an online store for my pottery studio", "Pottery Studio Shop"],
      ["booking-calendar-stripe", "a booking page for my salon", "Salon bookings"],
      ["form-airtable-gmail", "a signup form for the chess club", "Chess Club form"],
      ["revenue-digest", "a daily revenue digest for my agency", "Agency revenue digest"],
      ["tracker", "track my books with title, author and rating", "Book tracker"],
    ];
    for (const [id, request, title] of requests) {
      const adapted = adaptTemplate(id, request);
      expect(adapted.template.id).toBe(id);
      const app = await deployFiles(user, id, adapted.files);
      // No service is connected: each home page must still answer (the booking page says it is unavailable).
      const answer = await askApp(app.previewUrl);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(`<title>${title}</title>`);
    }
    const books = await deployFiles(
      user,
      "books",
      adaptTemplate("tracker", "track my books with title, author and rating").files,
    );
    const created = await askApp<Record<string, unknown>>(`${books.previewUrl}api/items`, {
      method: "POST",
      body: { title: "Dune", author: "Frank Herbert", rating: "5" },
    });
    expect(created.json).toMatchObject({ title: "Dune", author: "Frank Herbert", rating: 5 });
    const page = await pageText(books.previewUrl);
    expect(page).toContain("Add book");
    expect(page).toContain("<th>Rating</th>");
  });
});
