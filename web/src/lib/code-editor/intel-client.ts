// The browser's side of `POST /api/apps/:id/code/…`: the editor asks Kiln's TypeScript about the text being typed.
// Same origin with the session cookie, like the chat stream (the API checks the Origin of every write).
import type {
  CodeBufferRequest,
  CodeCompletions,
  CodeDiagnostic,
  CodeEdit,
  CodeHover,
  CodePositionRequest,
} from "$shapes";

/** What the editor knows besides the open file: the version it was loaded from and the other unsaved files. */
export interface BufferContext {
  version: string | null;
  edits: Record<string, string | null>;
}

/** Asks Kiln about one app's code; every answer is null when Kiln could not be asked (offline, signed out, refused). */
export class CodeIntelClient {
  constructor(
    private readonly appId: string,
    private readonly context: () => BufferContext,
  ) {}

  /** Names that fit at `position` (members after a `.`). */
  completions(path: string, text: string, position: number, signal?: AbortSignal): Promise<CodeCompletions | null> {
    return this.ask<CodeCompletions>("completions", { ...this.buffer(path, text), position }, signal);
  }

  /** The type and documentation of the symbol at `position`. */
  async hover(path: string, text: string, position: number, signal?: AbortSignal): Promise<CodeHover | null> {
    const answer = await this.ask<{ hover: CodeHover | null }>(
      "hover",
      { ...this.buffer(path, text), position },
      signal,
    );
    return answer?.hover ?? null;
  }

  /** The problems a build would report in `text`; null (not "none") when Kiln could not say. */
  async diagnostics(path: string, text: string, signal?: AbortSignal): Promise<CodeDiagnostic[] | null> {
    const answer = await this.ask<{ diagnostics: CodeDiagnostic[] }>("diagnostics", this.buffer(path, text), signal);
    return answer?.diagnostics ?? null;
  }

  /** The edits that format `text` in Kiln's style; null when Kiln could not say. */
  async format(path: string, text: string, signal?: AbortSignal): Promise<CodeEdit[] | null> {
    const answer = await this.ask<{ edits: CodeEdit[] }>("format", this.buffer(path, text), signal);
    return answer?.edits ?? null;
  }

  private buffer(path: string, text: string): CodeBufferRequest {
    const { version, edits } = this.context();
    const others = Object.fromEntries(Object.entries(edits).filter(([file]) => file !== path));
    return { version, path, text, edits: others };
  }

  private async ask<T>(
    route: string,
    body: CodeBufferRequest | CodePositionRequest,
    signal?: AbortSignal,
  ): Promise<T | null> {
    try {
      const response = await fetch(`/api/apps/${encodeURIComponent(this.appId)}/code/${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok) return null;
      return (await response.json()) as T;
    } catch {
      // Aborted (the text moved on) or offline: the editor keeps working without Kiln's answers.
      return null;
    }
  }
}
