// Chooses the template closest to a request by its keywords: deterministic, no model.
import type { TemplateSource } from "../../generated/templates.js";

/** Lower-case words of `text`, with punctuation as spaces, padded so phrases match on word boundaries. */
export function normalized(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()} `;
}

/** How many of the template's keywords (whole words or phrases) the request contains; its id and title count too. */
export function keywordScore(source: TemplateSource, request: string): number {
  const words = normalized(request);
  let score = 0;
  for (const keyword of source.keywords) {
    const phrase = normalized(keyword);
    if (phrase.trim() !== "" && words.includes(phrase)) score += phrase.trim().includes(" ") ? 2 : 1;
  }
  return score;
}

/** The best-scoring template (ties: the first in catalog order); with no keyword matched, `fallback`. */
export function bestTemplate(
  sources: readonly TemplateSource[],
  request: string,
  fallback: TemplateSource,
): TemplateSource {
  let best = fallback;
  let bestScore = 0;
  for (const source of sources) {
    const score = keywordScore(source, request);
    if (score > bestScore) {
      best = source;
      bestScore = score;
    }
  }
  return best;
}
