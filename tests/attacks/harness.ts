// Helpers for the attack tests: a real Kiln started as `npm start` starts it
// (scripts/local-server.mjs → supervisor → two workerd processes), an owner
// talking to its JSON API, visitors talking to app hosts, and probes that keep
// asking while an attack runs. Node does not resolve *.localhost, so every
// request goes to 127.0.0.1 with the Host header of its target.
import http from "node:http";
import * as localServer from "../../scripts/local-server.mjs";
import { runnerIndex } from "../../worker/src/placement/runner-index.ts";

/** What the supervisor reports each time it restarts the runner (scripts/supervisor.mjs). */
export interface RunnerEvent {
  reason: "time_budget" | "memory_budget" | "crash";
  /** Epoch ms of the kill (or of noticing the exit). */
  at: number;
  /** Which runner process it was. */
  runner: number;
  detail?: string;
}

/** The part of startKiln()'s result the tests use (scripts/ is untyped JS). */
export interface Kiln {
  url: string;
  port: number;
  /** Runner 0's port; `runnerPorts[k]` is runner k's. */
  runnerPort: number;
  runnerPorts: number[];
  /** Every runner restart so far, in order (the supervisor runs in this process). */
  events: RunnerEvent[];
  /** Whether the control plane reaches runner `index` (default 0) now (a restarted runner answers itself a moment earlier). */
  runnerReachable(index?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export const startKiln = localServer.startKiln as unknown as (options: {
  port: number;
  persistTo: string;
  logFile?: string;
  watchdog?: { memoryCeilingMb?: number };
  /** How many runner processes (default: one per core). */
  runners?: number;
}) => Promise<Kiln>;

/** Which of `runners` runner processes serves `app` (the front door's placement). */
export const runnerOf = (app: { slug: string }, runners: number): number => runnerIndex(app.slug, runners);

/** A free loopback port (the supervisor's helper). */
export const freePort = localServer.freePort as unknown as () => Promise<number>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An answer; status 0 when the connection failed or `timeoutMs` passed first. */
export interface Reply {
  status: number;
  text: string;
  /** The body parsed as JSON; null when it is not JSON. */
  json: unknown;
  headers: http.IncomingHttpHeaders;
  /** Epoch ms when the request was sent and when it was answered (or given up). */
  started: number;
  ended: number;
  error?: string;
}

export interface RequestOptions {
  method?: string;
  host?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as an HTML form (application/x-www-form-urlencoded) instead of a JSON body. */
  form?: Record<string, string>;
  timeoutMs?: number;
}

/** One HTTP request to 127.0.0.1:`port`; never rejects (failures are status 0). */
export function send(
  port: number,
  { method = "GET", host, path = "/", headers = {}, body, form, timeoutMs = 15_000 }: RequestOptions = {},
): Promise<Reply> {
  return new Promise((resolve) => {
    const payload = form ? new URLSearchParams(form).toString() : body === undefined ? undefined : JSON.stringify(body);
    const contentType = form ? "application/x-www-form-urlencoded" : "application/json";
    const started = Date.now();
    let settled = false;
    const finish = (reply: Omit<Reply, "started" | "ended">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...reply, started, ended: Date.now() });
    };
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers: {
          host: host ?? `localhost:${port}`,
          ...(payload ? { "content-type": contentType } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => finish({ status: 0, text: "", json: null, headers: {}, error: String(error) }));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {}
          finish({ status: res.statusCode ?? 0, text, json, headers: res.headers });
        });
      },
    );
    const timer = setTimeout(() => {
      finish({ status: 0, text: "", json: null, headers: {}, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) => finish({ status: 0, text: "", json: null, headers: {}, error: String(error) }));
    if (payload) req.write(payload);
    req.end();
  });
}

export type Files = Record<string, string>;

/** An app as the tests track it. */
export interface TestApp {
  id: string;
  slug: string;
  /** The version the last upload stored (and deployed to preview). */
  version: string;
}

export interface Incident {
  id: number;
  environment: "preview" | "live";
  version: string;
  requestId: string | null;
  reason: RunnerEvent["reason"];
  message: string;
  createdAt: string;
}

export interface LogLine {
  id: number;
  level: string;
  message: string;
  requestId: string | null;
  version: string | null;
  environment: string;
}

/** A signed-up user with an API token, driving Kiln through its JSON API like a script would. */
export class Owner {
  private constructor(
    readonly port: number,
    readonly token: string,
  ) {}

  static async signUp(port: number, label: string): Promise<Owner> {
    const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const signup = await send(port, {
      method: "POST",
      path: "/api/auth/signup",
      body: { email, password: "attack tests password" },
    });
    if (signup.status !== 201 && signup.status !== 200)
      throw new Error(`sign-up failed: ${signup.status} ${signup.text}`);
    const cookie = String(signup.headers["set-cookie"]).split(";")[0]!;
    const token = await send(port, {
      method: "POST",
      path: "/api/tokens",
      headers: { cookie },
      body: { name: "attack tests" },
    });
    const created = token.json as { token?: string } | null;
    if (!created?.token) throw new Error(`token failed: ${token.status} ${token.text}`);
    return new Owner(port, created.token);
  }

  api(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Reply> {
    return send(this.port, { method, path, body, headers: { authorization: `Bearer ${this.token}` }, timeoutMs });
  }

  /** Creates and uploads an app; its preview is opened to anyone unless `preview: "default"` (owner only). */
  async createApp(name: string, files: Files, options: { preview?: "public" | "default" } = {}): Promise<TestApp> {
    const app = await this.#create(name, options.preview ?? "public");
    await this.upload(app, files);
    return app;
  }

  /** Like createApp, for an app served by runner `runner` of `runners`: tries names until its slug is placed there. */
  async createAppOn(runner: number, runners: number, name: string, files: Files): Promise<TestApp> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const app = await this.#create(attempt === 0 ? name : `${name} ${attempt}`, "public");
      if (runnerOf(app, runners) !== runner) continue;
      await this.upload(app, files);
      return app;
    }
    throw new Error(`no name like "${name}" is placed on runner ${runner}`);
  }

  async #create(name: string, preview: "public" | "default"): Promise<TestApp> {
    const created = await this.api("POST", "/api/apps", { name });
    if (created.status !== 201) throw new Error(`creating ${name} failed: ${created.status} ${created.text}`);
    const { id, slug } = created.json as { id: string; slug: string };
    if (preview === "default") return { id, slug, version: "" };
    // Attacks come from anyone on the internet: the preview is opened to them (Kiln keeps it to the owner by default).
    const opened = await this.api("PUT", `/api/apps/${id}/access/preview`, { rule: "public" });
    if (opened.status !== 200) throw new Error(`opening ${name}'s preview failed: ${opened.status} ${opened.text}`);
    return { id, slug, version: "" };
  }

  /** The cookie of an owner's session on one environment of their app, through the workspace's one-time link. */
  async ownerCookie(app: TestApp, environment: "live" | "preview"): Promise<string> {
    const link = await this.api("POST", `/api/apps/${app.id}/visit`, { environment });
    if (link.status !== 200) throw new Error(`owner link failed: ${link.status} ${link.text}`);
    const url = new URL((link.json as { url: string }).url);
    const entered = await visit(this.port, app, environment, `${url.pathname}${url.search}`);
    if (entered.status !== 303) throw new Error(`the owner link was refused: ${entered.status} ${entered.text}`);
    return String(entered.headers["set-cookie"]).split(";")[0]!;
  }

  /** Uploads a new version (deployed to preview); updates `app.version`. */
  async upload(app: TestApp, files: Files): Promise<string> {
    const uploaded = await this.api("PUT", `/api/apps/${app.id}/source`, { files }, 60_000);
    if (uploaded.status !== 200) throw new Error(`upload to ${app.slug} failed: ${uploaded.status} ${uploaded.text}`);
    app.version = (uploaded.json as { version: string }).version;
    return app.version;
  }

  async publish(app: TestApp, version = app.version): Promise<void> {
    const published = await this.api("POST", `/api/apps/${app.id}/publish`, { version });
    if (published.status !== 200)
      throw new Error(`publishing ${app.slug}@${version} failed: ${published.status} ${published.text}`);
  }

  async incidents(
    app: TestApp,
  ): Promise<{ incidents: Incident[]; quarantines: { version: string; reason: string; message: string }[] }> {
    const reply = await this.api("GET", `/api/apps/${app.id}/incidents`);
    if (reply.status !== 200) throw new Error(`incidents of ${app.slug}: ${reply.status} ${reply.text}`);
    return reply.json as { incidents: Incident[]; quarantines: { version: string; reason: string; message: string }[] };
  }

  async logs(app: TestApp, query: { requestId?: string; limit?: number } = {}): Promise<LogLine[]> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 500) });
    if (query.requestId) params.set("requestId", query.requestId);
    const reply = await this.api("GET", `/api/apps/${app.id}/logs?${params}`);
    if (reply.status !== 200) throw new Error(`logs of ${app.slug}: ${reply.status} ${reply.text}`);
    return (reply.json as { logs: LogLine[] }).logs;
  }

  /** Polls until `find` returns something, or gives up after `timeoutMs` (returns undefined). */
  async waitFor<T>(find: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 200): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) return undefined;
      await sleep(everyMs);
    }
  }
}

/** A visitor's request to an app host (`<slug>.localhost` or `<slug>--preview.localhost`). */
export function visit(
  port: number,
  app: TestApp,
  environment: "live" | "preview",
  path = "/",
  options: Omit<RequestOptions, "host" | "path"> = {},
): Promise<Reply> {
  const host = environment === "live" ? `${app.slug}.localhost:${port}` : `${app.slug}--preview.localhost:${port}`;
  return send(port, { ...options, host, path });
}

/** One probe request: when it was sent and answered, and whether the answer was the healthy one. */
export interface Sample {
  started: number;
  ended: number;
  ok: boolean;
  status: number;
  /** For failures: the page title or error, to say what went wrong. */
  why?: string;
}

/** Asks `ask` again and again (each with its own timeout) until stopped; keeps every sample. */
export class Probe {
  readonly samples: Sample[] = [];
  #running = true;
  readonly #done: Promise<void>;

  constructor(
    readonly label: string,
    ask: () => Promise<Reply>,
    isOk: (reply: Reply) => boolean,
    everyMs = 50,
  ) {
    this.#done = (async () => {
      while (this.#running) {
        const reply = await ask();
        const ok = isOk(reply);
        const why = ok
          ? undefined
          : (reply.error ?? /<title>([^<]*)<\/title>/.exec(reply.text)?.[1] ?? reply.text.slice(0, 80));
        this.samples.push({ started: reply.started, ended: reply.ended, ok, status: reply.status, why });
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<Sample[]> {
    this.#running = false;
    await this.#done;
    return this.samples;
  }
}

/** The longest stretch within [from, until] with no successful answer (ms). */
export function longestOutage(samples: Sample[], from: number, until: number): number {
  const oks = samples.filter((s) => s.ok && s.ended >= from && s.ended <= until).map((s) => s.ended);
  let previous = from;
  let longest = 0;
  for (const at of [...oks, until]) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return longest;
}

/** When the first successful request sent at or after `after` was answered; undefined if none. */
export function firstSuccessAfter(samples: Sample[], after: number): number | undefined {
  return samples.find((s) => s.ok && s.started >= after)?.ended;
}

/**
 * Waits until the last runner restart is at least `quietMs` in the past and
 * `check` answers 200. The control plane matches a lost request to the
 * supervisor's reports by time (and decides the culprit once per 2 s), so an
 * attack that starts right after another one could be credited with the
 * previous kill; the tests that are not about that wait here first.
 */
export async function settleAfterRestarts(
  kiln: Kiln,
  check: () => Promise<Reply>,
  quietMs = 2_500,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const quietFor = Date.now() - (kiln.events.at(-1)?.at ?? 0);
    if (quietFor >= quietMs && (await check()).status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`Kiln did not settle within ${timeoutMs} ms after the last runner restart`);
    await sleep(Math.max(100, quietMs - quietFor));
  }
}
