// "Create it for me": the resources a setup item names, made in the owner's connected service with the owner's
// credential, from the control plane (never from app code). The same upstream overrides as the egress proxy apply.
import type { ConnectorId } from "../../../connectors/types";
import { CONNECTOR_RULES, redactSecrets, upstreamUrl } from "../connections";
import { ConnectionUnavailableError, credentialForOwner } from "../connections/access-tokens";
import { upstreamErrorMessage } from "../connections/credential-check";
import type { AirtableFieldKind, SetupItem } from "../core/api-shapes/setup";
import { ApiError } from "../core/errors";
import type { Env } from "../core/env";

const CALL_TIMEOUT_MS = 15_000;

/** One call to a connected service as the app's owner; a refusal is an ApiError saying what the service said. */
async function ownerCall<T>(
  env: Env,
  ownerId: string,
  connector: ConnectorId,
  request: { method: "GET" | "POST"; host: string; path: string; body?: unknown },
): Promise<T> {
  const rule = CONNECTOR_RULES[connector];
  let token: string;
  try {
    ({ token } = await credentialForOwner(env, ownerId, connector));
  } catch (error) {
    if (error instanceof ConnectionUnavailableError) throw new ApiError(409, "conflict", error.message);
    throw error;
  }
  const headers = new Headers({ accept: "application/json", ...rule.fixedHeaders });
  headers.set(rule.inject.header, `${rule.inject.scheme} ${token}`);
  if (request.body !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await fetch(upstreamUrl(env, rule, request.host, request.path), {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: "manual",
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch {
    throw new ApiError(502, "upstream_failed", `Kiln could not reach ${rule.label}; try again in a moment.`);
  }
  if (!response.ok) {
    const said = redactSecrets(await upstreamErrorMessage(response), [token]);
    throw new ApiError(502, "upstream_failed", `${rule.label} refused: ${said || `it answered ${response.status}`}.`);
  }
  return (await response.json()) as T;
}

/**
 * Finds the owner's spreadsheet named `title` (the newest, through Drive), or makes it with `headers` as its first
 * row; answers its id. An owner who said "my sheet called Expenses 2026" means the one they have.
 */
export async function findOrCreateGoogleSheet(
  env: Env,
  ownerId: string,
  item: Extract<SetupItem, { type: "google_sheet" }>,
): Promise<string> {
  const q = `name = '${item.title.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}' and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false`;
  const found = await ownerCall<{ files?: { id: string }[] }>(env, ownerId, "google", {
    method: "GET",
    host: "www.googleapis.com",
    path: `/drive/v3/files?${new URLSearchParams({ q, orderBy: "modifiedTime desc", pageSize: "1", fields: "files(id)" })}`,
  });
  const existing = found.files?.[0]?.id;
  if (existing) return existing;
  const sheet = await ownerCall<{ spreadsheetId: string }>(env, ownerId, "google", {
    method: "POST",
    host: "sheets.googleapis.com",
    path: "/v4/spreadsheets",
    body: { properties: { title: item.title } },
  });
  if (item.headers.length > 0) {
    const id = encodeURIComponent(sheet.spreadsheetId);
    await ownerCall(env, ownerId, "google", {
      method: "POST",
      host: "sheets.googleapis.com",
      path: `/v4/spreadsheets/${id}/values/${encodeURIComponent("A1")}:append?valueInputOption=RAW`,
      body: { values: [item.headers] },
    });
  }
  return sheet.spreadsheetId;
}

/** The owner's Airtable bases, to pick where a table goes. */
export async function airtableBases(env: Env, ownerId: string): Promise<{ id: string; name: string }[]> {
  const answer = await ownerCall<{ bases: { id: string; name: string }[] }>(env, ownerId, "airtable", {
    method: "GET",
    host: "api.airtable.com",
    path: "/v0/meta/bases",
  });
  return answer.bases.map(({ id, name }) => ({ id, name }));
}

/**
 * Finds table `name` in the base (adding any declared field it lacks, so the app's writes fit), or creates it with
 * the declared fields; answers its id. Fields the owner already has are left as they are.
 */
export async function findOrCreateAirtableTable(
  env: Env,
  ownerId: string,
  baseId: string,
  item: Extract<SetupItem, { type: "airtable_table" }>,
): Promise<string> {
  if (!/^app[A-Za-z0-9]{14}$/.test(baseId))
    throw new ApiError(400, "bad_request", `"${baseId}" is not an Airtable base id (app…); pick one of your bases.`);
  const base = encodeURIComponent(baseId);
  const existing = await ownerCall<{ tables: { id: string; name: string; fields?: { name: string }[] }[] }>(
    env,
    ownerId,
    "airtable",
    {
      method: "GET",
      host: "api.airtable.com",
      path: `/v0/meta/bases/${base}/tables`,
    },
  );
  const found = existing.tables.find((t) => t.name.toLowerCase() === item.name.toLowerCase());
  if (found) {
    const has = new Set((found.fields ?? []).map((f) => f.name.toLowerCase()));
    for (const [name, kind] of Object.entries(item.fields)) {
      if (has.has(name.toLowerCase())) continue;
      await ownerCall(env, ownerId, "airtable", {
        method: "POST",
        host: "api.airtable.com",
        path: `/v0/meta/bases/${base}/tables/${encodeURIComponent(found.id)}/fields`,
        body: { name, type: kind, ...fieldOptions(kind) },
      });
    }
    return found.id;
  }
  const created = await ownerCall<{ id: string }>(env, ownerId, "airtable", {
    method: "POST",
    host: "api.airtable.com",
    path: `/v0/meta/bases/${base}/tables`,
    body: {
      name: item.name,
      fields: Object.entries(item.fields).map(([name, kind]) => ({ name, type: kind, ...fieldOptions(kind) })),
    },
  });
  return created.id;
}

// Airtable refuses these field types without options; these are its own defaults in the UI.
function fieldOptions(kind: AirtableFieldKind): { options?: Record<string, unknown> } {
  switch (kind) {
    case "number":
      return { options: { precision: 0 } };
    case "currency":
      return { options: { precision: 2, symbol: "$" } };
    case "date":
      return { options: { dateFormat: { name: "iso" } } };
    case "dateTime":
      return { options: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "utc" } };
    case "checkbox":
      return { options: { icon: "check", color: "greenBright" } };
    default:
      return {};
  }
}
