import { describe, expect, it } from "vitest";
import { emptyField, fieldText, readRowForm, valueField } from "./row-form";
import type { Column } from "$shapes";

const columns: Column[] = [
  { name: "title", type: "text", optional: false, default: null },
  { name: "qty", type: "integer", optional: false, default: null },
  { name: "price", type: "number", optional: true, default: null },
  { name: "done", type: "boolean", optional: false, default: null },
  { name: "tags", type: "json", optional: true, default: null },
  { name: "due", type: "datetime", optional: true, default: null },
  { name: "status", type: "text", optional: false, default: "new" },
];

const reader = (fields: Record<string, string>) => (name: string) => fields[name] ?? null;

describe("row form", () => {
  it("types each column's value", () => {
    const form = reader({
      [valueField("title")]: "  Milk ",
      [valueField("qty")]: " 3 ",
      [valueField("price")]: "1.5",
      [valueField("done")]: "true",
      [valueField("tags")]: '["a"]',
      [valueField("due")]: "2026-01-02T03:04:05Z",
      [valueField("status")]: "open",
    });
    expect(readRowForm(columns, form, "update")).toEqual({
      values: {
        title: "  Milk ",
        qty: 3,
        price: 1.5,
        done: true,
        tags: ["a"],
        due: "2026-01-02T03:04:05Z",
        status: "open",
      },
      problems: [],
    });
  });

  it("clears optional columns, leaves blanks with defaults out of inserts, and reads unticked boxes as false", () => {
    const form = reader({
      [valueField("title")]: "x",
      [valueField("qty")]: "1",
      [emptyField("tags")]: "on",
      [valueField("tags")]: "[1]",
    });
    expect(readRowForm(columns, form, "insert").values).toEqual({ title: "x", qty: 1, done: false, tags: null });
    expect(readRowForm(columns, form, "update").values).toEqual({
      title: "x",
      qty: 1,
      price: null,
      done: false,
      tags: null,
      due: null,
      status: "",
    });
  });

  it("explains values that do not fit, naming the column", () => {
    const form = reader({ [valueField("qty")]: "2.5", [valueField("price")]: "cheap", [valueField("tags")]: "{oops" });
    const { problems } = readRowForm(columns, form, "update");
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(`'qty' needs a whole number; "2.5" is not one.`);
    expect(problems[1]).toMatch(/^'price' needs a number/);
    expect(problems[2]).toMatch(/^'tags' needs JSON data/);
    expect(readRowForm(columns, reader({}), "update").problems).toEqual(["'qty' needs a whole number."]);
  });

  it("shows stored values as input text", () => {
    expect(fieldText("json", { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(fieldText("text", null)).toBe("");
    expect(fieldText("integer", 7)).toBe("7");
  });
});
