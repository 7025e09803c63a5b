import { describe, expect, it } from "vitest";
import { MAX_CSV_RECORDS, parseCsv } from "./csv-parse";

const fields = (text: string) => parseCsv(text).map((record) => record.fields);

describe("CSV parsing (RFC 4180)", () => {
  it("reads plain records with CRLF or LF line ends and no final newline", () => {
    expect(fields("a,b\r\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fields("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks, and names each record's first line", () => {
    const records = parseCsv('name,note\r\n"Smith, Jo","say ""hi""\r\nsecond line"\r\nx,y\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ["name", "note"],
      ["Smith, Jo", 'say "hi"\r\nsecond line'],
      ["x", "y"],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("keeps empty fields, quoted empties and trailing commas; skips blank lines and a byte order mark", () => {
    expect(fields('\uFEFFa,b,c\n,"",\n\n1,,3\n')).toEqual([
      ["a", "b", "c"],
      ["", "", ""],
      ["1", "", "3"],
    ]);
  });

  it("keeps a lone quote inside an unquoted field as text", () => {
    expect(fields('size\n12" pizza\n')).toEqual([["size"], ['12" pizza']]);
  });

  it("refuses an unclosed quote and text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(/quote on line 2 that is never closed/);
    expect(() => parseCsv('a,b\n"x"y,1')).toThrow(/Line 2 .*after a closing quote/);
  });

  it("refuses more records than an import takes", () => {
    expect(() => parseCsv("n\n".repeat(MAX_CSV_RECORDS + 1))).toThrow(/more than 5000 rows/);
    expect(parseCsv("n\n".repeat(MAX_CSV_RECORDS))).toHaveLength(MAX_CSV_RECORDS);
  });
});
