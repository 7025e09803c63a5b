// The template catalog the chat's template mode uses: list, pick, adapt, read.
import { allSources, filledFiles, sourceOf, summaryOf } from "./catalog";
import type { TemplateSummary } from "../core/api-shapes/templates";
import { adaptSource, type AdaptedTemplate } from "./adapt-template";
import { bestTemplate } from "./pick-template";

export type { TemplateSummary } from "../core/api-shapes/templates";
export type { AdaptedTemplate } from "./adapt-template";
export { UnknownTemplateError } from "./catalog";

/** The template used when no other one fits a request. */
export const FALLBACK_TEMPLATE_ID = "tracker";

/** Every template Kiln ships, in a fixed order. */
export function listTemplates(): TemplateSummary[] {
  return allSources().map(summaryOf);
}

/** The template closest to `request` by its keywords (deterministic); the tracker when none fits. */
export function pickTemplate(request: string): TemplateSummary {
  return summaryOf(bestTemplate(allSources(), request, sourceOf(FALLBACK_TEMPLATE_ID)));
}

/** Template `id` adapted to `request` (title, names, fields); throws UnknownTemplateError for an unknown id. */
export function adaptTemplate(id: string, request: string): AdaptedTemplate {
  return adaptSource(sourceOf(id), request);
}

/** Template `id`'s files with its default names, ready to upload as they are. */
export function templateFiles(id: string): Record<string, string> {
  return filledFiles(sourceOf(id));
}
