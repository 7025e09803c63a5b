import type { FileBucket, StoredFile } from "./file-bucket";
import { uploadIdOf } from "./file-scope";

/** The index as a read needs it: which object is a file's current one (data/file-index.ts, in the scope's database). */
export interface FileObjectIndex {
  fileObject(name: string): Promise<string | null>;
}

/** A file read as the index has it now, or why there is none: never stored or deleted, or replaced since. */
export type CurrentFile = { file: StoredFile; upload: string } | { file: null; gone: "deleted" | "replaced" };

/**
 * Reads a file's current object. A put of the same name may commit, and delete the object just named by the index,
 * between the two reads; so a miss in the bucket reads the index again and, when it names another object, that one.
 * With `upload` (a signed link's), only that upload is the file: a newer one answers `replaced`, not its bytes.
 */
export async function readCurrentFile(
  bucket: FileBucket,
  index: FileObjectIndex,
  name: string,
  upload?: string,
): Promise<CurrentFile> {
  const first = await index.fileObject(name);
  const read = await readObject(bucket, first, upload);
  if (read.file !== null || first === null || read.gone === "replaced") return read;
  const second = await index.fileObject(name);
  return second === first ? read : readObject(bucket, second, upload);
}

async function readObject(bucket: FileBucket, objectKey: string | null, upload?: string): Promise<CurrentFile> {
  if (objectKey === null) return { file: null, gone: "deleted" };
  if (upload !== undefined && uploadIdOf(objectKey) !== upload) return { file: null, gone: "replaced" };
  const file = await bucket.get(objectKey);
  return file ? { file, upload: uploadIdOf(objectKey) } : { file: null, gone: "deleted" };
}
