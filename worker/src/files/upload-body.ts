import { FileError } from "./file-error";
import { fileTooLarge } from "./file-limits";

/** An upload measured before anything is stored: the quota check needs its size up front. */
export interface UploadBody {
  body: ReadableStream<Uint8Array> | ArrayBuffer;
  size: number;
  /** The type the value itself carries (a File from a form, a string), if any. */
  type: string | undefined;
}

const encoder = new TextEncoder();

/**
 * Turns what an app passed to `put` into bytes of a known size, refusing anything over `maxBytes` before it is
 * stored: a File or Blob (a form's upload) keeps streaming; a stream of unknown length is read up to the limit.
 */
export async function uploadBody(value: unknown, maxBytes: number): Promise<UploadBody> {
  if (typeof value === "string") {
    const bytes = encoder.encode(value);
    return checked({ body: copy(bytes), size: bytes.byteLength, type: "text/plain; charset=utf-8" }, maxBytes);
  }
  if (value instanceof ArrayBuffer) return checked({ body: value, size: value.byteLength, type: undefined }, maxBytes);
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return checked({ body: copy(bytes), size: bytes.byteLength, type: undefined }, maxBytes);
  }
  if (value instanceof Blob) {
    if (value.size > maxBytes) throw fileTooLarge(value.size);
    return { body: value.stream(), size: value.size, type: value.type || undefined };
  }
  if (value instanceof ReadableStream) return readAll(value as ReadableStream<Uint8Array>, maxBytes);
  throw new FileError(
    "invalid_name",
    "put() takes a File or Blob (from c.req.formData()), a string, an ArrayBuffer, a Uint8Array or a ReadableStream.",
  );
}

function checked(upload: UploadBody, maxBytes: number): UploadBody {
  if (upload.size > maxBytes) throw fileTooLarge(upload.size);
  return upload;
}

function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<UploadBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw fileTooLarge(null);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return { body: joined.buffer, size, type: undefined };
}
