// An app environment's stored files (`env.FILES`), as the owner sees them: `/api/apps/:id/files?environment=`.

/** One stored file. */
export interface AppFileView {
  name: string;
  size: number;
  contentType: string;
  /** ISO-8601 time of the upload. */
  uploaded: string;
}

/** `GET /api/apps/:id/files?offset=&limit=`: one page of the environment's files by name, with usage against the quotas. */
export interface AppFilesPage {
  files: AppFileView[];
  usage: { bytes: number; files: number };
  limits: { maxFileBytes: number; maxTotalBytes: number; maxFiles: number };
  /** Where this page starts in the list by name. */
  offset: number;
  /** How many files are stored (uploads in flight not counted). */
  total: number;
}
