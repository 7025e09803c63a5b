// A person using an app through its pages: read the forms on a page and fill them as a person would, by what each
// field is for (its name, label, placeholder and type), without knowing the app's code.

/** One field of a form, as the page declares it. */
export interface FormField {
  name: string;
  tag: "input" | "select" | "textarea";
  type: string;
  value: string;
  /** Words a person reads next to it: name, id, placeholder, aria-label, the nearest <label>. */
  words: string;
  options: string[];
  required: boolean;
}

/** A form on a page: where it goes and what it asks. */
export interface PageForm {
  action: string;
  method: "GET" | "POST";
  fields: FormField[];
  /** Its text (buttons, labels), to pick the right form on a page with several. */
  text: string;
}

const attribute = (tag: string, name: string): string | null => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? decode(match[1] ?? match[2] ?? match[3] ?? "") : null;
};

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Visible text of some HTML: tags out, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return decode(
    html
      .replace(/<script[\s\S]*?<\/script>/gi, " ")
      .replace(/<style[\s\S]*?<\/style>/gi, " ")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();
}

/** Every form of a page, its fields in order. */
export function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = `<form${match[1]}>`;
    const body = match[2] ?? "";
    const labels = new Map<string, string>();
    for (const label of body.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)) {
      const target = attribute(`<label${label[1]}>`, "for");
      if (target) labels.set(target, textOf(label[2] ?? ""));
    }
    const fields: FormField[] = [];
    for (const element of body.matchAll(/<(input|select|textarea)\b([^>]*)>(?:([\s\S]*?)<\/\1>)?/gi)) {
      const tag = (element[1] ?? "input").toLowerCase() as FormField["tag"];
      const open = `<${tag}${element[2]}>`;
      const name = attribute(open, "name");
      if (!name) continue;
      const type = (attribute(open, "type") ?? (tag === "input" ? "text" : tag)).toLowerCase();
      if (type === "submit" || type === "button" || type === "reset") continue;
      const id = attribute(open, "id") ?? "";
      // The label wrapping an input: the text just before it inside the same <label>.
      const before = body.slice(0, element.index);
      const wrapping = /<label\b[^>]*>((?:(?!<\/label>)[\s\S])*)$/i.exec(before)?.[1] ?? "";
      const options = [...(element[3] ?? "").matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map(
        (o) => attribute(`<option${o[1]}>`, "value") ?? textOf(o[2] ?? ""),
      );
      const words = [
        name,
        id,
        attribute(open, "placeholder"),
        attribute(open, "aria-label"),
        labels.get(id),
        textOf(wrapping),
      ]
        .filter(Boolean)
        .join(" ")
        .toLowerCase();
      fields.push({
        name,
        tag,
        type,
        value: tag === "textarea" ? decode(element[3] ?? "") : (attribute(open, "value") ?? options[0] ?? ""),
        words,
        options,
        required: /\srequired\b/i.test(open),
      });
    }
    const method = (attribute(open, "method") ?? "GET").toUpperCase() === "POST" ? "POST" : "GET";
    forms.push({ action: attribute(open, "action") ?? "", method, fields, text: textOf(body).toLowerCase() });
  }
  return forms;
}

/** The first form whose fields or text match every pattern: "the form with an email and an amount". */
export function findForm(html: string, ...patterns: RegExp[]): PageForm | null {
  return (
    formsOf(html).find((form) =>
      patterns.every((p) => p.test(form.text) || form.fields.some((f) => p.test(f.words)) || p.test(form.action)),
    ) ?? null
  );
}

/**
 * The body a person would send: each visible field filled from `answers` (the first pattern its words match), hidden
 * fields and fields with a value kept, other required ones given a plausible value by type.
 */
export function filledForm(form: PageForm, answers: readonly [RegExp, string][]): URLSearchParams {
  const body = new URLSearchParams();
  for (const field of form.fields) {
    // Nobody types into a hidden field: it is sent as the page wrote it.
    const answer = field.type === "hidden" ? undefined : answers.find(([pattern]) => pattern.test(field.words))?.[1];
    if (answer !== undefined) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (answer !== "") body.append(field.name, field.value || "on");
      } else
        body.append(
          field.name,
          field.tag === "select"
            ? (field.options.find((o) => o.toLowerCase() === answer.toLowerCase()) ?? answer)
            : answer,
        );
      continue;
    }
    if (field.type === "hidden" || (field.value !== "" && field.type !== "checkbox" && field.type !== "radio")) {
      body.append(field.name, field.value);
      continue;
    }
    if (!field.required) continue;
    body.append(field.name, plausible(field));
  }
  return body;
}

function plausible(field: FormField): string {
  if (field.tag === "select") return field.options.find((o) => o !== "") ?? "";
  switch (field.type) {
    case "email":
      return "someone@example.com";
    case "number":
      return "1";
    case "date":
      return new Date().toISOString().slice(0, 10);
    case "tel":
      return "+44 7700 900123";
    case "url":
      return "https://example.com";
    case "checkbox":
      return "on";
    default:
      return "Example";
  }
}
