// Reads a server-sent-events body as it arrives. The chat stream is a POST, which
// EventSource cannot send, so the browser reads the fetch body itself.

/** One event: the SSE `event:` name, its `data:` lines joined, and its `id:` (a chat turn's: its place). */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Splits complete events off `buffer`; returns them and the unfinished rest. */
export function takeEvents(buffer: string): { events: SseMessage[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, "\n");
  const blocks = normalized.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: SseMessage[] = [];
  for (const block of blocks) {
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join("\n"), ...(id === undefined ? {} : { id }) });
  }
  return { events, rest };
}

/** Yields each event of `body` as soon as its blank line arrives. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const { events, rest } = takeEvents(buffer + decoder.decode(value, { stream: true }));
    buffer = rest;
    yield* events;
  }
  // A stream cut off mid-event still hands over what arrived whole.
  yield* takeEvents(`${buffer}\n\n`).events;
}
