import { describe, expect, it } from "vitest";
import { columnLabel, namesColumn } from "./column-label";

describe("column labels", () => {
  it("reads snake_case, camelCase and acronyms as words", () => {
    expect(columnLabel("created_at")).toBe("Created at");
    expect(columnLabel("unitPriceCents")).toBe("Unit price cents");
    expect(columnLabel("title")).toBe("Title");
    expect(columnLabel("id")).toBe("ID");
    expect(columnLabel("customer_id")).toBe("Customer ID");
    expect(columnLabel("HTMLTitle")).toBe("HTML title");
    expect(columnLabel("line2")).toBe("Line 2");
    expect(columnLabel("Price")).toBe("Price");
  });

  it("matches CSV headings by name or label, ignoring case and spacing", () => {
    expect(namesColumn("unitPriceCents", "unitPriceCents")).toBe(true);
    expect(namesColumn(" Unit price cents ", "unitPriceCents")).toBe(true);
    expect(namesColumn("created at", "created_at")).toBe(true);
    expect(namesColumn("price", "unitPriceCents")).toBe(false);
    expect(namesColumn("", "title")).toBe(false);
  });
});
