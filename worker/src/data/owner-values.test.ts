import { describe, expect, it } from "vitest";
import { failure, freshStore, value } from "../../test/data-stores";

const TABLES = {
  products: {
    name: "text",
    unitPriceCents: "integer",
    inStock: { type: "boolean", default: true },
    note: "text?",
    launch_date: "datetime?",
    status: { type: "text", optional: false, default: "draft" },
  },
};

async function shop() {
  const store = freshStore("owner");
  value(await store.applySchema(TABLES, { allowDestructive: false }));
  return store;
}

describe("the owner's writes", () => {
  it("refuse an empty or blank value for a required column, in words with the column's label", async () => {
    const store = await shop();
    for (const name of ["", "   ", null]) {
      const refused = failure(await store.ownerWrite("products", null, { name, unitPriceCents: 5 }, "json"));
      expect(refused).toMatchObject({ code: "invalid", message: "Name is required: it can't be empty." });
    }
    const missing = failure(await store.ownerWrite("products", null, { name: "Mug" }, "json"));
    expect(missing.message).toBe("Unit price cents is required: it can't be empty.");
    const row = value(await store.ownerWrite("products", null, { name: "Mug", unitPriceCents: 1200 }, "json"));
    expect(row).toMatchObject({ name: "Mug", inStock: true, status: "draft", note: null });
    const edit = failure(await store.ownerWrite("products", Number(row?.id), { name: " " }, "text"));
    expect(edit.message).toBe("Name is required: it can't be empty.");
    const defaulted = failure(await store.ownerWrite("products", Number(row?.id), { status: "" }, "text"));
    expect(defaulted.message).toBe("Status is required: it can't be empty.");
    expect(value(await store.get("products", Number(row?.id)))?.name).toBe("Mug");
  });

  it("the app's own writes keep the SDK's rules: an empty string is text", async () => {
    const store = await shop();
    expect(value(await store.insert("products", { name: "", unitPriceCents: 1 }))).toMatchObject({ name: "" });
  });

  it("convert text as typed and refuse what does not read as the column's type", async () => {
    const store = await shop();
    const row = value(
      await store.ownerWrite(
        "products",
        null,
        { name: " Cup ", unitPriceCents: " 450 ", inStock: "no", note: "", launch_date: "2026-11-21" },
        "text",
      ),
    );
    expect(row).toMatchObject({
      name: " Cup ",
      unitPriceCents: 450,
      inStock: false,
      note: null,
      launch_date: "2026-11-21",
    });
    const price = failure(await store.ownerWrite("products", Number(row?.id), { unitPriceCents: "4.50" }, "text"));
    expect(price.message).toBe('Unit price cents needs a whole number, like 42; "4.50" isn\'t one.');
    const typed = failure(await store.ownerWrite("products", Number(row?.id), { unitPriceCents: "450" }, "json"));
    expect(typed.message).toMatch(/^Unit price cents needs a whole number/);
    const date = failure(await store.ownerWrite("products", Number(row?.id), { launch_date: "next tuesday" }, "text"));
    expect(date.message).toMatch(/^Launch date needs a date and time/);
    const several = failure(await store.ownerWrite("products", null, { name: "", unitPriceCents: "x" }, "text"));
    expect(several.message).toMatch(/Name is required: it can't be empty\. Unit price cents needs a whole number/);
    expect(several.details?.problems).toHaveLength(2);
    expect(
      failure(await store.ownerWrite("products", null, { id: 4, name: "a", unitPriceCents: 1 }, "json")).message,
    ).toBe("ID is set by Kiln; leave it out.");
  });
});
