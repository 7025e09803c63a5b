// The platform's records that every layer passes around: plain data, as D1 keeps them.

/** The signed-in person, as every authenticated route and feature sees them. */
export interface CurrentUser {
  id: string;
  email: string;
}

/** An app record as the platform keeps it in D1. */
export interface AppRecord {
  id: string;
  ownerId: string;
  name: string;
  slug: string;
  previewVersion: string | null;
  liveVersion: string | null;
  createdAt: string;
}
