import type { FileQuota, FileRefusal } from "../data/file-index";
import { FileError } from "./file-error";

/**
 * What one app environment may store (docs/app-contract.md, Budgets): a file as large as the largest response an
 * app may send, so whatever is stored can be served; totals that fit a small business's documents and photos.
 */
export const FILE_QUOTA: FileQuota = {
  maxFileBytes: 25 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxFiles: 10_000,
};

/** Longest a signed link may live (a week), and how long it lives when the app does not say. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;
export const DEFAULT_LINK_SECONDS = 3600;

/** The words an app (and its visitor) gets when an upload does not fit, naming the limit and what to do. */
export function quotaError(refusal: FileRefusal, size: number, quota: FileQuota = FILE_QUOTA): FileError {
  if (refusal.refused === "file_too_large") return fileTooLarge(size, quota);
  if (refusal.refused === "total_too_large")
    return new FileError(
      "quota",
      `There is no room for this file: this app stores ${megabytes(refusal.usage.bytes)} of its ${megabytes(quota.maxTotalBytes)}. Delete files it no longer needs first.`,
    );
  return new FileError(
    "quota",
    `This app already stores ${refusal.usage.files.toLocaleString("en")} files, the most it can keep. Delete files it no longer needs first.`,
  );
}

/** The words for a single file over the per-file limit (`size` null: a stream that ran past it). */
export function fileTooLarge(size: number | null, quota: FileQuota = FILE_QUOTA): FileError {
  const what = size === null ? "larger than that" : megabytes(size);
  return new FileError(
    "too_large",
    `This file is ${what}: files can be at most ${megabytes(quota.maxFileBytes)}. Try a smaller or compressed file.`,
  );
}

function megabytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} GB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}
