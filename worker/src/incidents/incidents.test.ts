import { describe, expect, it } from "vitest";
import { callApi, newUser, visit } from "../../test/api-client";
import { appWithSource, notesApp } from "../../test/fixtures";

const report = (body: Record<string, unknown>, secret = "test-internal-secret") =>
  callApi("POST", "/api/internal/incidents", body, { "x-kiln-internal-secret": secret });

describe("incidents and quarantine", () => {
  it("records a runner incident as a failed request, and pauses the version after the second within ten minutes", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "runaway", notesApp());
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    const incident = {
      appId: app.id,
      environment: "live",
      version: app.version,
      requestId: "req_one",
      reason: "time_budget",
      detail: "no answer within 10 s",
    };

    const first = await report(incident);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ quarantined: false });
    expect((await visit(app.liveUrl)).status).toBe(200);
    const logs = await user.call("GET", `/api/apps/${app.id}/logs?requestId=req_one`);
    expect(logs.body.logs[0].message).toMatch(
      /^Request failed: This request kept the app runner busy past its time budget.*no answer within 10 s/,
    );

    const second = await report({ ...incident, requestId: "req_two", reason: "memory_budget" });
    expect(second.body).toEqual({ quarantined: true });
    const paused = await visit(app.liveUrl);
    expect(paused.status).toBe(503);
    expect(paused.text).toContain("is paused");
    expect((await visit(app.previewUrl)).status).toBe(503);

    const seen = await user.call("GET", `/api/apps/${app.id}/incidents`);
    expect(seen.body.incidents.map((i: { reason: string }) => i.reason)).toEqual(["memory_budget", "time_budget"]);
    expect(seen.body.quarantines[0].message).toMatch(/brought the app runner down 2 times within 10 minutes/);
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.quarantines).toHaveLength(1);

    const resumed = await user.call("POST", `/api/apps/${app.id}/resume`, {});
    expect(resumed.body).toEqual({ released: 1 });
    expect((await visit(app.liveUrl)).status).toBe(200);
  });

  it("a new version is served while the old one stays paused, and publishing lifts the pause", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "paused", notesApp("v1"));
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    for (const requestId of ["a", "b"])
      await report({ appId: app.id, environment: "live", version: app.version, requestId, reason: "crash" });
    expect((await visit(app.liveUrl)).status).toBe(503);
    const v2 = await user.call("PUT", `/api/apps/${app.id}/source`, { files: notesApp("v2") });
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: v2.body.version });
    expect((await visit(app.liveUrl)).text).toBe("v2 from notes");
    await user.call("POST", `/api/apps/${app.id}/publish`, { version: app.version });
    expect((await visit(app.liveUrl)).text).toBe("v1 from notes");
  });

  it("the internal route does not exist without the supervisor's secret", async () => {
    const body = { appId: "app_x", environment: "live", version: "v", reason: "crash" };
    expect((await report(body, "wrong")).status).toBe(404);
    expect((await callApi("POST", "/api/internal/incidents", body)).status).toBe(404);
  });

  it("the runner's health as this process sees it: only for the supervisor, and said plainly with no runner", async () => {
    const health = (secret: string) =>
      callApi("GET", "/api/internal/runner-health", undefined, { "x-kiln-internal-secret": secret });
    expect((await health("wrong")).status).toBe(404);
    const answer = await health("test-internal-secret");
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toBe("App code runs in this process: there is no runner.");
  });
});
