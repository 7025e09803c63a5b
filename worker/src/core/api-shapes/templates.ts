// `GET /api/templates`: the gallery of starter apps.
import type { ConnectorId } from "./connections";

/** A template as the chat shows and picks it. */
export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  connectors: ConnectorId[];
  /** The tables its code declares. */
  tables: string[];
  /** The name an app made from it gets. */
  defaultName: string;
}

/** A starter app in the gallery (`GET /api/templates` → `{ templates }`). */
export interface Template extends TemplateSummary {
  /** Path of its screenshot, served by the web UI. */
  preview: string;
}
