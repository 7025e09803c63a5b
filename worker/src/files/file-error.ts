/** Why a file operation of an app failed; the message says, in plain words, what to do about it. */
export type FileErrorKind = "invalid_name" | "too_large" | "quota" | "unavailable" | "invalid_link" | "not_found";

/**
 * Thrown by `env.FILES` and the file routes. Across the app's RPC boundary only the message survives, so every
 * message is written for the person who will read it in the app's logs or on its page.
 */
export class FileError extends Error {
  override readonly name = "FileError";
  constructor(
    readonly kind: FileErrorKind,
    message: string,
  ) {
    super(message);
  }
}
