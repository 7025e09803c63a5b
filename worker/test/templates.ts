// Helpers for template tests: deploy a template's files through the real API
// (type-check, bundle, smoke start) and talk to it as a visitor.
import { expect } from "vitest";
import type { TestUser } from "./api-client";
import { visit } from "./api-client";
import { appWithSource } from "./fixtures";
import { runMarker } from "./connector-app";

/** A deployed app: its id and preview URL (ending in "/"). */
export interface DeployedApp {
  id: string;
  previewUrl: string;
}

/** Uploads `files` as a new app of `user` (fails the test on any build error) and sets its `config`. */
export async function deployFiles(
  user: TestUser,
  name: string,
  files: Record<string, string>,
  config: Record<string, string> = {},
): Promise<DeployedApp> {
  const app = await appWithSource(user, `${name} ${runMarker("")}`, files);
  if (Object.keys(config).length > 0) {
    const saved = await user.call("PUT", `/api/apps/${app.id}/config`, { values: config });
    expect(saved.status).toBe(200);
  }
  return { id: app.id, previewUrl: app.previewUrl };
}

/** A form post to the app, as the page's forms send it; answers status, Location and text. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; location: string | null; text: string }> {
  const answer = await visit(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  return { status: answer.status, location: answer.headers.get("location"), text: answer.text };
}

/** The app's HTML page at `url`. */
export async function pageText(url: string): Promise<string> {
  const answer = await visit(url);
  expect(answer.status).toBe(200);
  return answer.text;
}
