// A loopback OpenAI-compatible chat-completions server for the chat tests (Node).
// It replays recorded answers (scenarios.ts) and records every request it gets,
// so tests can check what Kiln sent: the context, the current files, the diagnostics.
// Control: GET /__scripted/requests → ScriptedRequest[]; DELETE /__scripted/requests clears.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demoObject, demoSubject, demoText } from "../../src/app-ai/demo-answers.ts";
import { SCRIPTED_MODEL_KEY, type ScriptedRequest, scenarioOf, scenarios, textOf } from "./scenarios.ts";

/**
 * Answers a real model gave: `recorded/<scenario>.<step>.txt`, each written by a fresh model that saw only what Kiln
 * sends (its system prompt and the person's message, captured from a chat turn), replayed verbatim.
 */
function recordedScenarios(): Record<string, string[]> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "recorded");
  const recorded: Record<string, string[]> = {};
  for (const file of readdirSync(dir).sort()) {
    const match = /^([a-z-]+)\.(\d+)\.txt$/.exec(file);
    if (!match) continue;
    const answers = recorded[match[1]!] ?? [];
    answers[Number(match[2])] = readFileSync(path.join(dir, file), "utf8");
    recorded[match[1]!] = answers;
  }
  return recorded;
}

const recorded = recordedScenarios();

/** The running server and the variables that point Kiln at it. */
export interface ScriptedModel {
  url: string;
  vars: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the scripted model on a free loopback port. */
export async function startScriptedModel(options: { port?: number } = {}): Promise<ScriptedModel> {
  const received: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res, received).catch((error: unknown) =>
      send(res, 500, { error: { message: String(error), type: "server_error", code: null } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    vars: {
      KILN_MODEL_PROVIDER: "openai-compatible",
      KILN_MODEL_BASE_URL: `${url}/v1`,
      KILN_MODEL: "kiln-scripted",
      KILN_MODEL_API_KEY: SCRIPTED_MODEL_KEY,
      KILN_REPAIR_ATTEMPTS: "2",
      // An owner's own AI key (the AI connection) reaches this server too (worker/src/app-ai tests).
      AI_API_BASE: `${url}/v1`,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, received: ScriptedRequest[]): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/__scripted/requests" && req.method === "GET") return send(res, 200, received);
  if (path === "/__scripted/requests" && req.method === "DELETE") {
    received.length = 0;
    return send(res, 200, { ok: true });
  }
  // The check an owner's own AI key gets when it is connected (it doubles as OpenAI's model list).
  if (path === "/v1/models" && req.method === "GET") {
    if (req.headers.authorization !== `Bearer ${SCRIPTED_MODEL_KEY}`)
      return send(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error" } });
    return send(res, 200, { object: "list", data: [{ id: "kiln-scripted", object: "model" }] });
  }
  if (path !== "/v1/chat/completions" || req.method !== "POST")
    return send(res, 404, {
      error: { message: `Unknown path ${path}`, type: "invalid_request_error", code: "unknown_url" },
    });
  const authorization = req.headers.authorization ?? null;
  if (authorization !== `Bearer ${SCRIPTED_MODEL_KEY}`) {
    return send(res, 401, {
      error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" },
    });
  }
  const body = JSON.parse(await readBody(req)) as {
    model: string;
    messages: { role: string; content: unknown }[];
    stream?: boolean;
    response_format?: { type: string; json_schema?: { schema?: unknown } };
  };
  const messages = body.messages.map((m) => ({ role: m.role, content: textOf(m.content) }));
  const selected = scenarioOf(messages);
  const answers = selected ? (scenarios[selected.name] ?? recorded[selected.name]) : undefined;
  // An app's kiln/ai call with no scenario (a template's test) gets the demo model's answer: the same as with no model.
  const answer = selected && answers ? answers[selected.step] : selected ? undefined : unscriptedAnswer(body, messages);
  // `[framing:<n>]` anywhere: n more prompt tokens, as a provider counts the tool or JSON-mode text it adds itself.
  const framing = Number(/\[framing:(\d+)\]/.exec(messages.map((m) => m.content).join("\n"))?.[1] ?? 0);
  const prompt_tokens = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4) + framing;
  const completion_tokens = answer ? Math.ceil(answer.length / 4) : 0;
  const entry: ScriptedRequest = {
    scenario: selected?.name ?? null,
    step: selected?.step ?? 0,
    model: body.model,
    authorization,
    system: messages
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n"),
    messages: messages.filter((m) => m.role !== "system"),
    usage: { prompt_tokens, completion_tokens },
  };
  received.push(entry);
  if (answer === undefined) {
    if (selected && process.env.KILN_SCRIPTED_PENDING_DIR)
      writePending(process.env.KILN_SCRIPTED_PENDING_DIR, selected, messages);
    return send(res, 400, {
      error: {
        message: `No recorded answer for scenario ${selected?.name ?? "(none)"} step ${selected?.step ?? 0}.`,
        type: "invalid_request_error",
        code: null,
      },
    });
  }
  // `[delay:<ms>]` in the person's newest message: a slow model (for turns cancelled or left mid-call); a caller that hangs
  // up (Kiln aborting the call) ends the wait.
  const newest = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  const delay = Number(/\[delay:(\d+)\]/.exec(newest)?.[1] ?? 0);
  if (delay > 0 && !(await waited(req, delay))) {
    entry.aborted = true;
    return;
  }
  // `[pace:<ms>]`: the pause between streamed chunks (a model that writes slowly enough to watch).
  const pace = Number(/\[pace:(\d+)\]/.exec(newest)?.[1] ?? STREAM_PAUSE_MS);
  if (body.stream)
    return streamAnswer(res, `chatcmpl-${received.length}`, body.model, answer, pace, {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
    });
  send(res, 200, {
    id: `chatcmpl-${received.length}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  });
}

/**
 * Recording mode (KILN_SCRIPTED_PENDING_DIR set): a call with no recorded answer is written out as
 * `<scenario>.<step>.json` (the system prompt and messages, scenario markers removed) for a real model to answer.
 */
function writePending(
  dir: string,
  selected: { name: string; step: number },
  messages: readonly { role: string; content: string }[],
): void {
  mkdirSync(dir, { recursive: true });
  const unmarked = messages.map((m) => ({ ...m, content: m.content.replace(/\s*\[scenario:[a-z-]+\]/g, "") }));
  writeFileSync(path.join(dir, `${selected.name}.${selected.step}.json`), JSON.stringify(unmarked, null, 2));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Waits `ms`; false when the caller hung up first. */
function waited(req: IncomingMessage, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    req.socket.once("close", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** Chunks of a streamed answer, and the pause between them: the chat shows the answer grow as a real model's does. */
const STREAM_CHUNK = 240;
const STREAM_PAUSE_MS = 15;

/** The answer as OpenAI's streamed chat completion: `chat.completion.chunk` deltas, the usage, then `[DONE]`. */
async function streamAnswer(
  res: ServerResponse,
  id: string,
  model: string,
  answer: string,
  pause: number,
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number },
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`,
    );
  chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  for (let at = 0; at < answer.length; at += STREAM_CHUNK) {
    if (res.destroyed) return;
    chunk([{ index: 0, delta: { content: answer.slice(at, at + STREAM_CHUNK) }, finish_reason: null }]);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  chunk([{ index: 0, delta: {}, finish_reason: "stop" }]);
  chunk([], { usage });
  res.end("data: [DONE]\n\n");
}

/** The demo model's answer to a call that names no scenario: its text, or an object of the requested JSON Schema. */
function unscriptedAnswer(
  body: { response_format?: { type: string; json_schema?: { schema?: unknown } } },
  messages: readonly { role: string; content: string }[],
): string {
  const prompt = { messages: messages.filter((m) => m.role !== "system") };
  const schema = body.response_format?.json_schema?.schema;
  return schema === undefined ? demoText(prompt) : JSON.stringify(demoObject(schema, demoSubject(prompt)));
}
