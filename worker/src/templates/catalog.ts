// The templates Kiln ships (templates/<id>/, packed into worker/generated/templates.js
// by `npm run seed`), with their placeholders filled by default values.
import { templateSources, type TemplateSource } from "../../generated/templates.js";
import type { TemplateSummary } from "../core/api-shapes/templates";

/** Asked for a template id Kiln does not have. */
export class UnknownTemplateError extends Error {
  readonly name = "UnknownTemplateError";
  constructor(readonly templateId: string) {
    super(`There is no template "${templateId}". Known templates: ${templateSources.map((t) => t.id).join(", ")}.`);
  }
}

/** Every template, in a fixed order. */
export function allSources(): readonly TemplateSource[] {
  return templateSources;
}

/** One template's stored form, or UnknownTemplateError. */
export function sourceOf(id: string): TemplateSource {
  const found = templateSources.find((t) => t.id === id);
  if (found === undefined) throw new UnknownTemplateError(id);
  return found;
}

/** The summary the chat shows for a template. */
export function summaryOf(source: TemplateSource): TemplateSummary {
  return {
    id: source.id,
    title: source.title,
    description: source.description,
    connectors: [...source.connectors],
    tables: [...source.tables],
    defaultName: source.defaults.APP_TITLE ?? source.title,
  };
}

/** Every `__NAME__` placeholder in `text` replaced by `values.NAME` (unknown names stay). */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/__([A-Z][A-Z_]*[A-Z])__/g, (whole, name: string) => values[name] ?? whole);
}

/** Files with every placeholder filled from `values`, over the template's defaults. */
export function filledFiles(
  source: TemplateSource,
  values: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const all = { ...source.defaults, ...values };
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(source.files)) files[path] = fillPlaceholders(text, all);
  return files;
}
