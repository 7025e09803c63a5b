// A retried automation run repeats its writes. Google takes no idempotency key, so without Kiln a retry appends
// the sheet row and sends the email again; the egress proxy answers such a repeat from the first attempt instead.
// Real runs (the dispatcher's retries), real egress proxy, the loopback Google fake as the upstream.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fakeRequests } from "../../../connectors/testing/fake-requests";
import { newUser } from "../../test/api-client";
import { appRows, automationApp, publishedApp, setNextSlot, settled, tickAt } from "../../test/automations";
import { appWithSource } from "../../test/fixtures";
import { PLATFORM_CLIENT, connectGoogle } from "../../test/connections";
import { askApp, auditedCalls, runMarker } from "../../test/connector-app";
import { IDEMPOTENCY_HEADER } from "../core/headers";

// A write's text as Google reads it: its JSON, and an email's decoded message.
function writtenText(body: string): string {
  const raw = /"raw":"([^"]+)"/.exec(body)?.[1];
  return raw ? `${body}\n${atob(raw.replace(/-/g, "+").replace(/_/g, "/"))}` : body;
}

const googleWrites = async (marker: string) =>
  (await fakeRequests(env.GOOGLE_API_BASE)).filter(
    (request) => request.method !== "GET" && writtenText(request.body).includes(marker),
  );

describe("writes a retried run already made, to a service without idempotency keys", () => {
  it("are answered from the first attempt: one sheet row and one email however many attempts; a changed write is sent", async () => {
    const user = await newUser();
    await connectGoogle(user, PLATFORM_CLIENT, {});
    const marker = runMarker("replay");
    const app = await publishedApp(
      user,
      automationApp(
        `{ digest: { cron: "0 * * * *", async run(run, env: Env) {
          const sheet = await google.sheets.spreadsheets.create({ requestBody: { properties: { title: "Digest ${marker}" } } });
          const id = sheet.spreadsheetId ?? "";
          await google.sheets.spreadsheets.values.append({ spreadsheetId: id, range: "A:B", valueInputOption: "RAW", requestBody: { values: [["${marker}", "42"]] } });
          const sent = await google.gmail.send({ to: "owner@example.com", subject: "Digest ${marker}", text: "42 orders" });
          // Differs on every attempt: sent every time.
          await google.sheets.spreadsheets.values.append({ spreadsheetId: id, range: "C:C", valueInputOption: "RAW", requestBody: { values: [["${marker} attempt " + run.attempt]] } });
          await env.DB.insert("runs", { automation: id + " " + sent.id, trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt });
          if (run.attempt < 3) throw new Error("the report service was busy");
          return { sheet: id, email: sent.id };
        } } }`,
        `import { google } from "kiln/google";`,
      ),
    );
    await setNextSlot(app.id, "digest", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    const [run] = await settled(user, app.id, 30_000);
    expect(run).toMatchObject({ status: "succeeded", attempt: 3 });

    // Every attempt got the same sheet and the same sent email back.
    const rows = await appRows(user, app.id);
    expect(rows.map((row) => row.attempt)).toEqual([1, 2, 3]);
    expect(new Set(rows.map((row) => row.automation)).size).toBe(1);

    // What reached Google: one spreadsheet, one row, one email; the changing row once per attempt.
    const writes = await googleWrites(marker);
    const paths = writes.map((request) =>
      decodeURIComponent(new URL(request.url, "http://x").pathname).replace(/spreadsheets\/[^/:]+/, "spreadsheets/…"),
    );
    expect(paths).toEqual([
      "/v4/spreadsheets",
      "/v4/spreadsheets/…/values/A:B:append",
      "/gmail/v1/users/me/messages/send",
      "/v4/spreadsheets/…/values/C:C:append",
      "/v4/spreadsheets/…/values/C:C:append",
      "/v4/spreadsheets/…/values/C:C:append",
    ]);
    // The audit says which calls were answered by Kiln: attempts 2 and 3 replayed the first three writes.
    const outcomes = (await auditedCalls(user, app.id)).filter((c) => c.method !== "GET").map((c) => c.outcome);
    expect(outcomes).toEqual([
      ...["sent", "sent", "sent", "sent"],
      ...["replayed", "replayed", "replayed", "sent"],
      ...["replayed", "replayed", "replayed", "sent"],
    ]);
  });

  it("belong to their app: another app sending the same write key and body reaches Google", async () => {
    const user = await newUser();
    await connectGoogle(user, PLATFORM_CLIENT, {});
    const marker = runMarker("scoped");
    // An app that sets the run's write header itself, as a hostile app could, with a key another app's run used.
    const source = {
      "src/index.ts": `import { rawEmail } from "kiln/google";
export default { async fetch(request: Request) {
  const url = new URL(request.url);
  if (url.pathname !== "/send") return new Response("ready");
  const key = url.searchParams.get("key") ?? "";
  const response = await fetch("https://gmail.googleapis.com/gmail/v1/users/me/messages/send", {
    method: "POST",
    headers: { "content-type": "application/json", ${JSON.stringify(IDEMPOTENCY_HEADER)}: key },
    body: JSON.stringify({ raw: rawEmail({ to: "a@example.com", subject: "${marker}", text: "hello" }) }),
  });
  return new Response(String(response.status) + " " + (response.headers.get("x-kiln-replayed") ?? "sent"));
} };
`,
    };
    const first = await appWithSource(user, `replay a ${marker}`, source);
    const second = await appWithSource(user, `replay b ${marker}`, source);
    const key = `run-${marker}:1`;
    expect((await askApp(`${first.previewUrl}send?key=${key}`)).text).toBe("200 sent");
    expect((await askApp(`${first.previewUrl}send?key=${key}`)).text).toBe("200 1");
    expect((await askApp(`${second.previewUrl}send?key=${key}`)).text).toBe("200 sent");
    expect(await googleWrites(marker)).toHaveLength(2);
  });
});
