// The loopback HTTP plumbing shared by the fakes of Airtable and Google:
// parse, record, answer. The Stripe fake has its own (form bodies, idempotency).
// Run by Node (type stripping), so erasable TypeScript only.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedRequest } from "../types.ts";

/** A request as the fake's routes see it. */
export interface FakeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** What a route answers. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A JSON answer. */
export function json(status: number, value: unknown): FakeResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(value) };
}

/** A listening fake: its base URL and how to stop it. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1. Every request except the `/__fake/` control
 * routes is recorded; `GET /__fake/requests` returns the log, `DELETE` clears it.
 */
export async function listen(
  handle: (request: FakeRequest) => FakeResponse,
  options: { port?: number; serverError: (error: unknown) => FakeResponse },
): Promise<Listening> {
  const port = options.port ?? 0;
  const log: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const request: FakeRequest = {
        method: incoming.method ?? "GET",
        url: new URL(incoming.url ?? "/", "http://fake.invalid"),
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      let response: FakeResponse;
      if (request.url.pathname === "/__fake/requests") {
        if (request.method === "DELETE") log.length = 0;
        response = request.method === "DELETE" ? { status: 204 } : json(200, log);
      } else {
        if (!request.url.pathname.startsWith("/__fake/")) {
          log.push({ method: request.method, url: incoming.url ?? "/", headers, body: request.body });
        }
        try {
          response = handle(request);
        } catch (error) {
          response = options.serverError(error);
        }
      }
      outgoing.writeHead(response.status, response.headers ?? {});
      outgoing.end(response.body ?? "");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.unref();
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** An HTML page (Google's sign-in pages answer errors this way). */
export function html(status: number, page: string): FakeResponse {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body: page };
}

/** Fields of an `application/x-www-form-urlencoded` body, or null for another content type. */
export function formBody(request: FakeRequest): URLSearchParams | null {
  if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return null;
  return new URLSearchParams(request.body);
}
