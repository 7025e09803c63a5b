import { describe, expect, it } from "vitest";
import { readDataView, rowsQuery, rowsSummary } from "./data-view";

const view = (query: string) => readDataView(new URL(`http://kiln.test/apps/a/data?${query}`));

describe("the Data tab's URL", () => {
  it("reads search, filter, paging and the open cell, and builds the API's query from them", () => {
    const read = view(
      "table=products&q=mug&fcol=inStock&fop=equals&fval=yes&size=100&offset=200&sort=name&order=desc&cell=7:name",
    );
    expect(read).toMatchObject({
      table: "products",
      q: "mug",
      filter: { column: "inStock", op: "equals", value: "yes" },
      size: 100,
      offset: 200,
      cell: { rowId: 7, column: "name" },
    });
    expect(rowsQuery(read).toString()).toBe(
      "env=preview&limit=100&offset=200&order=desc&orderBy=name&q=mug&filter=inStock%3Aequals%3Ayes",
    );
  });

  it("falls back to defaults for what it can't read", () => {
    const read = view("size=7&offset=-4&fcol=name&fop=drop&cell=1:x;--&env=prod");
    expect(read).toMatchObject({ env: "preview", size: 50, offset: 0, filter: null, cell: null });
    expect(view("fcol=name&fop=contains&fval=").filter).toBeNull();
    expect(view("fcol=note&fop=empty").filter).toEqual({ column: "note", op: "empty", value: "" });
  });

  it("says which rows are shown, of how many", () => {
    expect(rowsSummary(50, 50, 1234, 1234)).toBe("Rows 51–100 of 1,234");
    expect(rowsSummary(0, 2, 2, 1234)).toBe("Rows 1–2 of 2 matching (1,234 in the table)");
    expect(rowsSummary(0, 0, 0, 5)).toBe("No rows matching (5 in the table)");
  });
});
