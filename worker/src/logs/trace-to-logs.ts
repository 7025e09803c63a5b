import type { Environment } from "../core/env";
import { isMarkLine } from "./mark-lines";
import type { NewLogEntry } from "./log-store";
import type { LogLevel } from "../core/api-shapes/logs";
import { INVOKE_HEADER, REQUEST_ID_HEADER } from "../core/headers";

/** Most lines kept from one request; the rest are summarised by one marker line. */
export const MAX_LINES_PER_REQUEST = 100;
/** Longest message kept; longer ones are cut with a marker. */
export const MAX_MESSAGE_CHARS = 4_000;

/** Uncaught errors kept per request (they are never crowded out by console lines). */
const MAX_EXCEPTIONS = 10;

const LEVELS = new Set<string>(["debug", "info", "log", "warn", "error"]);

/** Which app version produced a trace. */
export interface TraceSource {
  appId: string;
  environment: Environment;
  version: string;
}

/**
 * Turns the tail events of app requests into bounded log lines: console
 * output and uncaught exceptions, attributed to the request id Kiln sent.
 */
export function traceToLogs(source: TraceSource, events: TraceItem[]): NewLogEntry[] {
  const entries: NewLogEntry[] = [];
  for (const event of events) {
    const requestId = requestIdOf(event);
    const lines: { level: LogLevel; message: string; timestamp: number }[] = [];
    for (const log of event.logs) {
      if (Array.isArray(log.message) && isMarkLine(log.message[0])) continue;
      lines.push({
        level: LEVELS.has(log.level) ? (log.level as LogLevel) : "log",
        message: formatMessage(log.message),
        timestamp: log.timestamp,
      });
    }
    // Why a request failed matters more than what it printed: errors are always kept.
    const errors = event.exceptions.slice(0, MAX_EXCEPTIONS).map((exception) => ({
      level: "error" as const,
      message: `Uncaught ${exception.name}: ${exception.message}${exception.stack ? `\n${exception.stack}` : ""}`,
      timestamp: exception.timestamp,
    }));
    const room = MAX_LINES_PER_REQUEST - errors.length;
    const kept = lines.length > room ? lines.slice(0, room - 1) : lines;
    for (const line of kept) {
      entries.push({
        ...base(source, requestId),
        level: line.level,
        message: clip(line.message),
        timestamp: new Date(line.timestamp).toISOString(),
      });
    }
    if (kept.length < lines.length) {
      const dropped = lines.length - kept.length;
      const partial = event.truncated ? "at least " : "";
      entries.push({
        ...base(source, requestId),
        level: "warn",
        message: `… ${partial}${dropped} more log lines from this request were dropped (at most ${MAX_LINES_PER_REQUEST} are kept per request).`,
        timestamp: new Date(lines[lines.length - 1]!.timestamp).toISOString(),
      });
    }
    for (const line of errors) {
      entries.push({
        ...base(source, requestId),
        level: line.level,
        message: clip(line.message),
        timestamp: new Date(line.timestamp).toISOString(),
      });
    }
  }
  return entries;
}

function base(source: TraceSource, requestId: string | null) {
  return { appId: source.appId, environment: source.environment, version: source.version, requestId };
}

/** The request id Kiln sent with the request a trace belongs to. */
export function requestIdOf(event: TraceItem): string | null {
  const info = event.event;
  if (info && "request" in info) {
    const id = (info as TraceItemFetchEventInfo).request.headers[REQUEST_ID_HEADER];
    return typeof id === "string" ? id : null;
  }
  return null;
}

/** Whether a traced request was an event from Kiln (an automation run, a Stripe event), not a visit. */
export function isKilnEvent(event: TraceItem): boolean {
  const info = event.event;
  return Boolean(info && "request" in info && (info as TraceItemFetchEventInfo).request.headers[INVOKE_HEADER]);
}

function formatMessage(parts: unknown): string {
  const list = Array.isArray(parts) ? parts : [parts];
  return list.map((part) => (typeof part === "string" ? part : safeJson(part))).join(" ");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function clip(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… [cut: ${message.length - MAX_MESSAGE_CHARS} more characters]`;
}
