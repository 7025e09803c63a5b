import { describe, expect, it } from "vitest";
import { csvField, csvFileName, csvRecord, csvRows } from "./csv";

describe("CSV encoding", () => {
  it("quotes fields with quotes, commas and line breaks (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvRecord(["a", 1, true])).toBe("a,1,true\r\n");
  });

  it("writes null as an empty field and objects as JSON", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField({ tags: ["x", "y"] })).toBe('"{""tags"":[""x"",""y""]}"');
    expect(csvField([1, 2])).toBe('"[1,2]"');
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField(-5)).toBe("-5");
    expect(csvField("a=b")).toBe("a=b");
  });

  it("lays rows out in column order", () => {
    expect(
      csvRows(
        ["id", "text", "pinned"],
        [
          { id: 1, text: "hi", pinned: null },
          { id: 2, text: "x, y" },
        ],
      ),
    ).toBe('1,hi,\r\n2,"x, y",\r\n');
  });

  it("makes download names safe", () => {
    expect(csvFileName("my-shop", "orders", "live")).toBe("my-shop-orders-live.csv");
    expect(csvFileName("a/b", "../etc", "pre view")).toBe("a-b-etc-pre-view.csv");
    expect(csvFileName("", "")).toBe("export.csv");
  });
});
