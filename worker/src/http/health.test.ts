import { describe, expect, it } from "vitest";
import { callApi } from "../../test/api-client";

describe("GET /api/health", () => {
  it("answers without authentication", async () => {
    const res = await callApi("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, service: "kiln" });
  });

  it("serves the web UI, not the API, for other platform paths", async () => {
    const res = await callApi("GET", "/");
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.text).toContain("Kiln");
  });
});
