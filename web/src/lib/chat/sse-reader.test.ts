import { describe, expect, it } from "vitest";
import { readSse, takeEvents } from "./sse-reader";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out = [];
  for await (const message of readSse(streamOf(chunks))) out.push(message);
  return out;
}

describe("readSse", () => {
  it("reassembles events split anywhere across chunks", async () => {
    const text = 'event: plan\ndata: {"text":"a plan"}\n\nevent: done\ndata: {"status":"built"}\n\n';
    const whole = await collect([text]);
    expect(whole).toEqual([
      { event: "plan", data: '{"text":"a plan"}' },
      { event: "done", data: '{"status":"built"}' },
    ]);
    for (let cut = 1; cut < text.length; cut++)
      expect(await collect([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it("joins multi-line data, ignores comments, reads CRLF, and keeps a last event with no blank line", async () => {
    expect(await collect([": keep-alive\r\nevent: x\r\ndata: one\r\ndata: two\r\n\r\n", "data: tail"])).toEqual([
      { event: "x", data: "one\ntwo" },
      { event: "message", data: "tail" },
    ]);
  });

  it("reads each event's id (a turn's place), and none for a live-only event", async () => {
    expect(
      await collect([
        'id: 7\nevent: plan\ndata: {}\n\nevent: writing\ndata: {"characters":40}\n\nid: 8\nevent: done\ndata: {}\n\n',
      ]),
    ).toEqual([
      { event: "plan", data: "{}", id: "7" },
      { event: "writing", data: '{"characters":40}' },
      { event: "done", data: "{}", id: "8" },
    ]);
  });

  it("leaves an unfinished event in the buffer", () => {
    expect(takeEvents("event: a\ndata: 1\n\nevent: b\ndata: 2")).toEqual({
      events: [{ event: "a", data: "1" }],
      rest: "event: b\ndata: 2",
    });
  });
});
