// Reading a loopback fake's request log from tests (inside workerd or Node).
import type { RecordedRequest } from "../types";

/**
 * Every request the fake at `base` received since it was last cleared
 * (`GET /__fake/requests`), oldest first; with `pathPrefix`, only those whose
 * path and query start with it.
 */
export async function fakeRequests(base: string | undefined, pathPrefix = ""): Promise<RecordedRequest[]> {
  if (!base) throw new Error("the fake's base URL is not set in the test bindings: did the fakes start?");
  const all = (await (await fetch(`${base}/__fake/requests`)).json()) as RecordedRequest[];
  return all.filter((request) => request.url.startsWith(pathPrefix));
}
