/** A CSV error names the input and where in it the record starts. */
export class CsvError extends Error {}

/**
 * RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, newlines and `""`. Returns
 * the records with the line each starts on. LF and CRLF both end a record; a lone CR in a quoted field
 * is kept. An unterminated quoted field is an error naming its line.
 */
export function parseCsv(text: string, source: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atFieldStart = true;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    atFieldStart = true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (atFieldStart && c === '"') {
      const start = line;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvError(`${source}, line ${start}: quoted field never ends`);
        const chunk = text.slice(i, q);
        for (let k = chunk.indexOf("\n"); k >= 0; k = chunk.indexOf("\n", k + 1)) line++;
        field += chunk;
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (c === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
      i++;
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      endRecord();
      i += c === "\r" ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

/** Records as objects keyed by the header row; the named columns must be present. */
export function csvObjects(text: string, source: string, required: string[]): { line: number; row: Record<string, string> }[] {
  const [header, ...rest] = parseCsv(text, source);
  if (!header) throw new CsvError(`${source}: empty`);
  const names = header.fields.map((f) => f.trim());
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length) throw new CsvError(`${source}, line 1: no column ${missing.map((m) => `"${m}"`).join(", ")} (columns: ${names.join(", ")})`);
  return rest.map(({ line, fields }) => ({ line, row: Object.fromEntries(names.map((n, k) => [n, fields[k] ?? ""])) }));
}
