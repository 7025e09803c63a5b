// Column names as people read them. The API words its refusals with these labels and the Data tab shows them as
// headers, so "unitPriceCents" reads "Unit price cents" in both places; the raw name stays what code and CSV use.

/** `created_at` → "Created at", `unitPriceCents` → "Unit price cents", `HTMLTitle` → "HTML title", `id` → "ID". */
export function columnLabel(name: string): string {
  if (name.toLowerCase() === "id") return "ID";
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])(\d)/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter((word) => word !== "");
  if (words.length === 0) return name;
  const shaped = words.map((word, index) => {
    if (word.length > 1 && word === word.toUpperCase()) return word === "ID" && index > 0 ? "ID" : word;
    if (word.toLowerCase() === "id") return "ID";
    return word.toLowerCase();
  });
  const first = shaped[0] ?? "";
  shaped[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return shaped.join(" ");
}

/** True when `heading` names the column `name`, by its name or its label, ignoring case and spacing (CSV headers). */
export function namesColumn(heading: string, name: string): boolean {
  const simple = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, "");
  const wanted = simple(heading.trim());
  return wanted !== "" && (wanted === simple(name) || wanted === simple(columnLabel(name)));
}
