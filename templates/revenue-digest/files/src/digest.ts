// The digest: paid Stripe invoices of the 24 hours before `now`, totalled per currency, appended as rows to a Google
// Sheet: CONFIG.SPREADSHEET_ID, else the owner's spreadsheet named CONFIG.SPREADSHEET_NAME (found in Drive), else one
// the app makes once.
import type { AppEnv } from "kiln";
import { google } from "kiln/google";
import { stripe } from "kiln/stripe";
import type { tables } from "./tables";

type Env = AppEnv<typeof tables>;

/** The tab the digest appends to; CONFIG.SHEET_NAME overrides it. */
const DEFAULT_SHEET = "Digest";
/** The title of the spreadsheet the app makes when given neither SPREADSHEET_ID nor SPREADSHEET_NAME. */
const DEFAULT_NAME = "Stripe revenue digest";
const HEADER = ["Day", "Currency", "Payments", "Total"];

/** One currency's line of a digest. */
export type CurrencyTotal = {
  currency: string;
  payments: number;
  totalCents: number;
};

/** What a run found and wrote (a type, not an interface, so it is JSON an automation may return). */
export type DigestResult = {
  day: string;
  from: string;
  to: string;
  totals: CurrencyTotal[];
  /** The invoices counted, for checking a total against Stripe. */
  invoices: { id: string; amount: number; currency: string }[];
  spreadsheetId: string;
  spreadsheetUrl: string | null;
};

async function appendRows(spreadsheetId: string, sheet: string, rows: (string | number)[][]): Promise<void> {
  // USER_ENTERED: numbers and days are read as if typed into the sheet.
  await google.sheets.spreadsheets.values.append({ spreadsheetId, range: `${sheet}!A:D`, valueInputOption: "USER_ENTERED", requestBody: { values: rows } });
}

/** A new spreadsheet called `name` with a `sheet` tab and the header row. */
async function make(name: string, sheet: string): Promise<{ id: string; url: string }> {
  const made = await google.sheets.spreadsheets.create({ requestBody: { properties: { title: name }, sheets: [{ properties: { title: sheet } }] } });
  if (!made.spreadsheetId) throw new Error("Google Sheets did not return the new spreadsheet's id.");
  await appendRows(made.spreadsheetId, sheet, [HEADER]);
  return { id: made.spreadsheetId, url: made.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${made.spreadsheetId}/edit` };
}

/** The owner's spreadsheet called `name`, found in Drive, with a `sheet` tab (added if missing); made if there is none. */
async function findOrMake(name: string, sheet: string): Promise<{ id: string; url: string }> {
  const quoted = name.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
  const { files } = await google.drive.files.list({ q: `name = '${quoted}' and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false`, fields: "files(id, webViewLink)", pageSize: 1 });
  const found = files?.[0];
  if (!found?.id) return make(name, sheet);
  const { sheets } = await google.sheets.spreadsheets.get({ spreadsheetId: found.id, fields: "sheets.properties.title" });
  if (!sheets?.some((s) => s.properties?.title === sheet)) {
    await google.sheets.spreadsheets.batchUpdate({ spreadsheetId: found.id, requestBody: { requests: [{ addSheet: { properties: { title: sheet } } }] } });
    await appendRows(found.id, sheet, [HEADER]);
  }
  return { id: found.id, url: found.webViewLink ?? `https://docs.google.com/spreadsheets/d/${found.id}/edit` };
}

async function spreadsheet(env: Env): Promise<{ id: string; url: string | null; sheet: string }> {
  const sheet = env.CONFIG.SHEET_NAME || DEFAULT_SHEET;
  if (env.CONFIG.SPREADSHEET_ID) return { id: env.CONFIG.SPREADSHEET_ID, url: null, sheet };
  const [known] = await env.DB.list("settings", { limit: 1 });
  if (known !== undefined) return { id: known.spreadsheet_id, url: known.url, sheet };
  const { id, url } = env.CONFIG.SPREADSHEET_NAME ? await findOrMake(env.CONFIG.SPREADSHEET_NAME, sheet) : await make(DEFAULT_NAME, sheet);
  await env.DB.insert("settings", { spreadsheet_id: id, url });
  return { id, url, sheet };
}

/**
 * Runs the digest for the 24 hours before `now` and records it. The daily
 * automation (index.ts) calls it with its slot's time and its run's idempotencyKey
 * as `runKey`, so a retried run records its rows once; POST /run with the clock.
 */
export async function runDigest(env: Env, now: Date = new Date(), runKey?: string): Promise<DigestResult> {
  const to = Math.floor(now.getTime() / 1000);
  const from = to - 86_400;
  const invoices: DigestResult["invoices"] = [];
  // Newest first: stop at the first invoice older than the window.
  for await (const invoice of stripe.invoices.list({ status: "paid", limit: 100 })) {
    if (invoice.created < from) break;
    if (invoice.created <= to && invoice.total > 0) invoices.push({ id: invoice.id, amount: invoice.total, currency: invoice.currency });
  }
  const byCurrency = new Map<string, CurrencyTotal>();
  for (const invoice of invoices) {
    const line = byCurrency.get(invoice.currency) ?? { currency: invoice.currency, payments: 0, totalCents: 0 };
    line.payments += 1;
    line.totalCents += invoice.amount;
    byCurrency.set(invoice.currency, line);
  }
  const totals = [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  const day = new Date(from * 1000).toISOString().slice(0, 10);
  const target = await spreadsheet(env);
  const rows = (totals.length === 0 ? [{ currency: "-", payments: 0, totalCents: 0 }] : totals).map((t) => [day, t.currency.toUpperCase(), t.payments, (t.totalCents / 100).toFixed(2)]);
  await appendRows(target.id, target.sheet, rows);
  for (const t of totals) await env.DB.insert("digests", { day, currency: t.currency, payments: t.payments, total_cents: t.totalCents, spreadsheet_id: target.id }, runKey ? { key: `${runKey}:${t.currency}` } : undefined);
  console.log(`revenue digest for ${day}: ${invoices.length} paid invoices, ${rows.length} rows appended`);
  return { day, from: new Date(from * 1000).toISOString(), to: now.toISOString(), totals, invoices, spreadsheetId: target.id, spreadsheetUrl: target.url };
}
