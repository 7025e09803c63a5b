// Deterministic adaptation of a template to a request: its title, the tracker's
// thing and fields. Rules are in templates/README.md; no model is involved.
import type { TemplateSource } from "../../generated/templates.js";
import { filledFiles, summaryOf } from "./catalog";
import type { TemplateSummary } from "../core/api-shapes/templates";
import { listedFields, ownerName, plural, titleCase, trackedThing } from "./request-words";
import { renderFieldsFile, trackerFields } from "./tracker-fields";

/** A template's files made for one request, and what was changed, in plain words. */
export interface AdaptedTemplate {
  template: TemplateSummary;
  files: Record<string, string>;
  changes: string[];
}

/** Placeholder values and change notes for `request`. */
function placeholderValues(
  source: TemplateSource,
  request: string,
): { values: Record<string, string>; changes: string[] } {
  const values: Record<string, string> = {};
  const changes: string[] = [];
  const thing = source.id === "tracker" ? trackedThing(request) : null;
  if (thing !== null) {
    values.ITEM = thing;
    values.ITEMS = plural(thing);
    values.ITEM_LABEL = titleCase(thing);
    values.ITEMS_LABEL = titleCase(plural(thing));
    changes.push(`Entries are called "${plural(thing)}" instead of "${source.defaults.ITEMS ?? "items"}".`);
  }
  const owner = ownerName(request);
  const title =
    owner !== null
      ? `${titleCase(owner)} ${source.titleSuffix}`
      : thing !== null
        ? `${titleCase(thing)} ${source.titleSuffix}`
        : null;
  if (title !== null) {
    values.APP_TITLE = title;
    changes.push(`Named the app "${title}".`);
  }
  return { values, changes };
}

/** `source` adapted to `request`: placeholders filled, and for the tracker the fields the request lists. */
export function adaptSource(source: TemplateSource, request: string): AdaptedTemplate {
  const { values, changes } = placeholderValues(source, request);
  const files = filledFiles(source, values);
  if (source.id === "tracker") {
    const names = listedFields(request);
    if (names.length > 0) {
      const fields = trackerFields(names);
      files["src/fields.ts"] = renderFieldsFile(fields);
      changes.push(
        `Each entry has the fields ${fields.map((f) => `${f.label} (${f.kind === "boolean" ? "yes/no" : f.kind})`).join(", ")}.`,
      );
    }
  }
  if (changes.length === 0) changes.push(`Used the ${source.title} template as it is.`);
  return { template: summaryOf(source), files, changes };
}
