// Going back: any earlier version can become the preview again, and the last chat turn can be undone (the preview
// returns to what it ran before that turn). Real workerd, real builds, the scripted model for the turns.
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { streamedCall } from "../../test/scripted-model/client";

const saying = (words: string) => ({
  "src/index.ts": `export default { fetch: () => new Response(${JSON.stringify(words)}) };\n`,
});

describe("restoring a version to preview", () => {
  it("makes an earlier version the preview again, through the same checks; an unknown one is a 404", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "Restore", saying("one"));
    const v2 = await user.call("PUT", `/api/apps/${app.id}/source`, { files: saying("two") });
    expect((await visit(app.previewUrl)).text).toBe("two");

    const restored = await user.call("POST", `/api/apps/${app.id}/restore`, { version: app.version });
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(app.version);
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBe(app.version);
    expect((await visit(app.previewUrl)).text).toBe("one");
    const versions = (await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions as { version: string }[];
    expect(versions.map((v) => v.version).sort()).toEqual([app.version, v2.body.version].sort());

    const unknown = await user.call("POST", `/api/apps/${app.id}/restore`, { version: "0123456789abcdef" });
    expect(unknown.status).toBe(404);
  });
});

describe("undoing the last chat turn", () => {
  it("returns the preview to the version before it; only the last turn, once, and never past the first version", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Undo" })).body as { id: string; previewUrl: string };
    const first = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Notes [scenario:first-time] ${app.id}`,
    });
    const firstTurn = first.events.find((e) => e.event === "turn")!.data.turnId as string;
    // The first turn made the first version: there is nothing before it.
    const tooFar = await user.call("POST", `/api/apps/${app.id}/chat/turns/${firstTurn}/undo`);
    expect(tooFar.status).toBe(409);
    expect(tooFar.body.error.message).toContain("first version");
    const v1 = (await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion as string;

    const second = await streamedCall(user, `/api/apps/${app.id}/chat`, {
      message: `Say welcome instead [scenario:edit-greeting] ${app.id}`,
    });
    const secondTurn = second.events.find((e) => e.event === "turn")!.data.turnId as string;
    expect((await visit(app.previewUrl)).text).toContain("Welcome to your notes");
    expect((await user.call("POST", `/api/apps/${app.id}/chat/turns/${firstTurn}/undo`)).status).toBe(409);

    const undone = await user.call("POST", `/api/apps/${app.id}/chat/turns/${secondTurn}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.version).toBe(v1);
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBe(v1);
    expect((await visit(app.previewUrl)).text).not.toContain("Welcome to your notes");
    // Its version is no longer the preview: a second undo has nothing to do.
    const again = await user.call("POST", `/api/apps/${app.id}/chat/turns/${secondTurn}/undo`);
    expect(again.status).toBe(409);
  });
});
