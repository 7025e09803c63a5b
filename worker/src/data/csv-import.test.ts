import { describe, expect, it } from "vitest";
import { failure, freshStore, value } from "../../test/data-stores";

const TABLES = {
  products: { name: "text", unitPriceCents: "integer", inStock: { type: "boolean", default: true }, note: "text?" },
};

async function shop() {
  const store = freshStore("import");
  value(await store.applySchema(TABLES, { allowDestructive: false }));
  value(await store.insert("products", { name: "Mug", unitPriceCents: 1200 }));
  value(await store.insert("products", { name: "Cup", unitPriceCents: 800 }));
  return store;
}

const CSV = [
  "ID,Name,Unit price cents,In stock,Colour",
  "1,Mug,1500,yes,blue",
  "2,Cup,800,true,",
  ",Teapot,4000,,",
  ',"Plate, large",900,no,white',
  ",,100,,",
  "9,Ghost,1,yes,",
  ",Spoon,abc,,",
].join("\r\n");

describe("CSV import", () => {
  it("previews adds, updates, unchanged and refused rows (with reasons) without writing", async () => {
    const store = await shop();
    const preview = value(await store.importCsv("products", CSV, false));
    expect(preview).toMatchObject({ applied: false, add: 2, update: 1, unchanged: 1, alreadyImported: 0 });
    expect(preview.headings.map((h) => h.column)).toEqual(["id", "name", "unitPriceCents", "inStock", null]);
    expect(preview.ignored).toEqual(["\"Colour\": no column of 'products'"]);
    expect(preview.refused).toEqual([
      { line: 6, reason: "Name is required: it can't be empty." },
      { line: 7, reason: "'products' has no row with ID 9 to update; leave ID empty to add it as a new row." },
      { line: 8, reason: 'Unit price cents needs a whole number, like 42; "abc" isn\'t one.' },
    ]);
    expect(preview.changes[0]).toMatchObject({
      kind: "update",
      id: 1,
      values: { unitPriceCents: 1500 },
      before: { unitPriceCents: 1200 },
    });
    expect(preview.changes[1]).toMatchObject({ kind: "add", values: { name: "Teapot", unitPriceCents: 4000 } });
    expect(value(await store.count("products"))).toBe(2);
    // Applying a file with refused rows changes nothing.
    expect(failure(await store.importCsv("products", CSV, true)).message).toMatch(
      /^3 rows of the CSV can't be imported/,
    );
    expect(value(await store.count("products"))).toBe(2);
  });

  it("applies all at once, and the same file confirmed again writes nothing twice", async () => {
    const store = await shop();
    const good = CSV.split("\r\n").slice(0, 5).join("\r\n");
    const applied = value(await store.importCsv("products", good, true));
    expect(applied).toMatchObject({ applied: true, add: 2, update: 1, unchanged: 1, refused: [] });
    expect(value(await store.count("products"))).toBe(4);
    expect(value(await store.get("products", 1))?.unitPriceCents).toBe(1500);
    const plate = value(await store.list("products", { where: { name: "Plate, large" } }));
    expect(plate).toMatchObject([{ unitPriceCents: 900, inStock: false, note: null }]);

    const again = value(await store.importCsv("products", good, true));
    expect(again).toMatchObject({ add: 0, update: 0, unchanged: 2, alreadyImported: 2 });
    expect(value(await store.count("products"))).toBe(4);
    // Deleting an imported row and confirming the file again does not bring it back (the key is remembered).
    value(await store.delete("products", Number(plate[0]?.id)));
    expect(value(await store.importCsv("products", good, false))).toMatchObject({ add: 0, alreadyImported: 2 });
  });

  it("turns the download's formula guard back into text, and refuses files it cannot read", async () => {
    const store = await shop();
    const applied = value(await store.importCsv("products", "name,unitPriceCents\n'=1+1,5\n", true));
    expect(applied.add).toBe(1);
    expect(value(await store.list("products", { where: { unitPriceCents: 5 } }))[0]?.name).toBe("=1+1");
    expect(failure(await store.importCsv("products", "", false)).message).toMatch(/The CSV is empty/);
    expect(failure(await store.importCsv("products", "colour,size\nred,2\n", false)).message).toMatch(
      /None of the CSV's headings names a column/,
    );
    expect(failure(await store.importCsv("products", "name,Name\na,b\n", false)).message).toMatch(/Two headings/);
    expect(failure(await store.importCsv("products", 'name\n"open', false)).message).toMatch(/never closed/);
    expect(failure(await store.importCsv("products", "x".repeat(2 * 1024 * 1024 + 1), false)).message).toMatch(
      /too large/,
    );
    expect(failure(await store.importCsv("missing", "name\na\n", false)).code).toBe("not_found");
  });
});
