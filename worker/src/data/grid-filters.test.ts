import { describe, expect, it } from "vitest";
import { failure, freshStore, value } from "../../test/data-stores";
import { escapeLike } from "./grid-filters";

const TABLES = { products: { name: "text", sku: "text?", price: "integer", inStock: "boolean", tags: "json?" } };

async function shop() {
  const store = freshStore("grid");
  value(await store.applySchema(TABLES, { allowDestructive: false }));
  const rows = [
    { name: "Blue mug", sku: "MUG-1", price: 1200, inStock: true },
    { name: "Red mug", sku: "MUG-2", price: 1300, inStock: false },
    { name: "Teapot", sku: "50%_OFF", price: 4000, inStock: true, tags: ["sale"] },
    { name: "Spoon", price: 300, inStock: true },
  ];
  for (const row of rows) value(await store.insert("products", row));
  return store;
}

const names = (page: { rows: Record<string, unknown>[] }) => page.rows.map((row) => row.name);

describe("the Data tab's search and filters", () => {
  it("searches the text columns, case-insensitively, and counts the matches and the table", async () => {
    const store = await shop();
    const page = value(await store.listRows("products", { search: "MUG" }));
    expect(names(page)).toEqual(["Blue mug", "Red mug"]);
    expect(page).toMatchObject({ total: 2, tableTotal: 4 });
    expect(names(value(await store.listRows("products", { search: "50%_" })))).toEqual(["Teapot"]);
    expect(value(await store.listRows("products", { search: "%" })).total).toBe(1);
    expect(value(await store.listRows("products", { search: "_" })).total).toBe(1);
    expect(value(await store.listRows("products", { search: "" })).total).toBe(4);
  });

  it("filters by equals, contains and empty, typed by the column, combined with the search and paging", async () => {
    const store = await shop();
    const filter = (column: string, op: "equals" | "contains" | "empty", v = "") => ({ column, op, value: v });
    expect(names(value(await store.listRows("products", { filters: [filter("inStock", "equals", "yes")] })))).toEqual([
      "Blue mug",
      "Teapot",
      "Spoon",
    ]);
    expect(names(value(await store.listRows("products", { filters: [filter("price", "equals", "300")] })))).toEqual([
      "Spoon",
    ]);
    expect(names(value(await store.listRows("products", { filters: [filter("price", "contains", "00")] })))).toEqual([
      "Blue mug",
      "Red mug",
      "Teapot",
      "Spoon",
    ]);
    expect(names(value(await store.listRows("products", { filters: [filter("sku", "empty")] })))).toEqual(["Spoon"]);
    expect(names(value(await store.listRows("products", { filters: [filter("name", "equals", "teapot")] })))).toEqual(
      [],
    );
    const combined = value(
      await store.listRows("products", {
        search: "mug",
        filters: [filter("inStock", "equals", "true")],
        limit: 1,
        offset: 0,
        orderBy: "price",
        order: "desc",
      }),
    );
    expect(combined).toMatchObject({ total: 1, tableTotal: 4 });
    expect(names(combined)).toEqual(["Blue mug"]);
    // A `where` as list() takes it still narrows the rows, together with the search.
    const where = { where: { inStock: false }, search: "mug" } as Parameters<typeof store.listRows>[1];
    expect(names(value(await store.listRows("products", where)))).toEqual(["Red mug"]);
  });

  it("refuses a column the schema does not have, so no name reaches the SQL unchecked", async () => {
    const store = await shop();
    const injected = failure(
      await store.listRows("products", { filters: [{ column: 'name" OR 1=1 --', op: "equals", value: "x" }] }),
    );
    expect(injected.code).toBe("invalid");
    expect(injected.message).toMatch(/has no column 'name" OR 1=1 --'/);
    expect(
      failure(await store.listRows("products", { filters: [{ column: "secret", op: "equals", value: "x" }] })).message,
    ).toMatch(/its columns are id, created_at, updated_at, name/);
    expect(
      failure(await store.listRows("products", { filters: [{ column: "inStock", op: "contains", value: "t" }] }))
        .message,
    ).toMatch(/filter it with "equals"/);
    expect(
      failure(await store.listRows("products", { filters: [{ column: "price", op: "equals", value: "abc" }] })).message,
    ).toMatch(/Can't filter Price by "abc"/);
    // A search is a parameter, never SQL: quotes and keywords just find nothing.
    expect(value(await store.listRows("products", { search: "' OR 1=1 --" })).total).toBe(0);
    expect(value(await store.count("products"))).toBe(4);
  });

  it("escapes LIKE's wildcards", () => {
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
  });
});
