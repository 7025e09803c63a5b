// The tracker template, deployed through the real API (Kiln's strict build) and used as a visitor.
import { describe, expect, it } from "vitest";
import { newUser } from "../../worker/test/api-client";
import { askApp } from "../../worker/test/connector-app";
import { templateFiles } from "../../worker/src/templates";
import { deployFiles, pageText, postForm } from "../../worker/test/templates";

interface Item {
  id: number;
  title: string;
  status: string | null;
  due: string | null;
  done: boolean | null;
}

describe("tracker template", () => {
  it("builds as shipped and lists, creates, updates and deletes items over the API", async () => {
    const app = await deployFiles(await newUser(), "tracker", templateFiles("tracker"));
    const api = `${app.previewUrl}api/items`;
    expect((await askApp<Item[]>(api)).json).toEqual([]);

    const created = await askApp<Item>(api, { method: "POST", body: { title: "Water the plants", due: "2030-05-01" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: "Water the plants", due: "2030-05-01", done: false, status: null });

    const updated = await askApp<Item>(`${api}/${created.json.id}`, {
      method: "PATCH",
      body: { done: true, status: "weekly" },
    });
    expect(updated.json).toMatchObject({ title: "Water the plants", done: true, status: "weekly" });

    const refused = await askApp<{ error: string }>(api, { method: "POST", body: { status: "no title" } });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("Title is required.");
    expect(
      (await askApp<{ error: string }>(api, { method: "POST", body: { title: "x", due: "soon" } })).json.error,
    ).toContain("Due must be a date");

    expect((await askApp(`${api}/${created.json.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await askApp(`${api}/${created.json.id}`)).status).toBe(404);
    expect((await askApp<Item[]>(api)).json).toEqual([]);
  });

  it("shows a page whose form adds items and whose delete buttons remove them", async () => {
    const app = await deployFiles(await newUser(), "tracker", templateFiles("tracker"));
    const empty = await pageText(app.previewUrl);
    expect(empty).toContain("<h1>Tracker</h1>");
    expect(empty).toContain("No items yet");

    const added = await postForm(`${app.previewUrl}items`, { title: "Renew <passport>", done: "on" });
    expect(added.status).toBe(303);
    const listed = await pageText(app.previewUrl);
    expect(listed).toContain("Renew &lt;passport&gt;"); // escaped, never raw HTML
    expect(listed).toContain("All items (1)");

    const [item] = (await askApp<Item[]>(`${app.previewUrl}api/items`)).json;
    expect(item).toMatchObject({ title: "Renew <passport>", done: true });
    expect((await postForm(`${app.previewUrl}items/${item!.id}/delete`, {})).status).toBe(303);
    expect(await pageText(app.previewUrl)).toContain("No items yet");
  });
});
