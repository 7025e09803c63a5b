import { DataError } from "./result";

/**
 * Reads CSV as RFC 4180 writes it (what the Data tab's download and spreadsheets export): comma-separated fields,
 * records ending in CRLF or LF, fields in double quotes holding commas, line breaks and `""` for a quote. Lenient
 * where spreadsheets are (a lone quote inside an unquoted field is text; a UTF-8 byte order mark is skipped) and
 * strict where guessing would change data (an unclosed quote, or text after a closing one, is refused with its line).
 */

/** One record with the line of the file it starts on (1-based), so refusals can name it. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Most records one import reads (the heading row included). */
export const MAX_CSV_RECORDS = 5001;

/** Parses `text` into records; blank lines are skipped. Throws `DataError("invalid")` saying where the CSV is broken. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) {
      if (records.length === MAX_CSV_RECORDS)
        throw new DataError(
          "invalid",
          `The CSV has more than ${MAX_CSV_RECORDS - 1} rows; split it into smaller files and import them one by one.`,
        );
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const char = text[i];
    if (char === '"' && field === "") {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new DataError(
            "invalid",
            `The CSV has a quote on line ${start} that is never closed; check that field's quotes.`,
          );
        const inner = text[i];
        if (inner === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (inner === "\n") line++;
        field += inner;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r")
        throw new DataError(
          "invalid",
          `Line ${line} of the CSV has text right after a closing quote; put the whole field in quotes, with "" for a quote inside it.`,
        );
      if (next === ",") {
        fields.push(field);
        field = "";
        i++;
        if (i >= text.length) endRecord();
      }
      continue;
    }
    if (char === ",") {
      fields.push(field);
      field = "";
      i++;
      if (i >= text.length) endRecord();
      continue;
    }
    if (char === "\r" || char === "\n") {
      endRecord();
      i += char === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += char;
    i++;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}
