import { describe, expect, it } from "vitest";
import { build, load } from "../../test/builds";
import { traceToLogs } from "../logs/trace-to-logs";
import { MARK_PREFIX } from "../logs/mark-lines";
import { withRequestMarks } from "./request-marks";

// An app that replaces console.log as soon as it loads, hoping to read what the platform prints.
const snoopingApp = {
  "src/index.ts": `const seen: string[] = [];
const original = console.log;
console.log = (...args: unknown[]) => {
  seen.push(args.map(String).join(" "));
  original(...args);
};
export default {
  async fetch(request: Request) {
    if (new URL(request.url).pathname === "/seen") return Response.json(seen);
    console.log("handled", new URL(request.url).pathname);
    return new Response("hello");
  },
};
`,
};

describe("request marks", () => {
  it("keeps the app working (fetch and its KilnMeta entrypoint) and keeps the secret out of its reach", async () => {
    const worker = load(
      withRequestMarks(await build(snoopingApp), "s3cret-mark", { appId: "app_1", environment: "live", version: "v1" }),
    );
    const headers = { "x-kiln-request-id": "req_marked" };
    const first = await worker.getEntrypoint().fetch("http://app/", { headers });
    expect(await first.text()).toBe("hello");
    const seen = (await (await worker.getEntrypoint().fetch("http://app/seen", { headers })).json()) as string[];
    expect(seen).toContain("handled /");
    expect(JSON.stringify(seen)).not.toContain("s3cret-mark");
    const meta = worker.getEntrypoint("KilnMeta") as unknown as { describe(): Promise<{ tables: unknown }> };
    expect(await meta.describe()).toEqual({
      tables: null,
      checks: null,
      automations: null,
      roles: null,
      access: null,
      setup: null,
      tools: null,
    });
  });

  it("never lets a mark, real or forged, into the app's logs", () => {
    const trace = {
      logs: [
        { level: "log", message: [`${MARK_PREFIX}s3cret-mark enter req_1`], timestamp: 1 },
        { level: "log", message: [`${MARK_PREFIX}forged exit req_1`], timestamp: 2 },
        { level: "log", message: ["a real line"], timestamp: 3 },
      ],
      exceptions: [],
      truncated: false,
      event: { request: { headers: { "x-kiln-request-id": "req_1" } } },
    } as unknown as TraceItem;
    const entries = traceToLogs({ appId: "app_1", environment: "live", version: "v1" }, [trace]);
    expect(entries.map((e) => e.message)).toEqual(["a real line"]);
  });
});
