// A rate card as analysts bring it: the JSON the sidebar exports, or CSV from a spreadsheet
// (comma-, semicolon- or tab-separated, numbers in the card's own decimal convention). The card is
// read, merged into the current table and validated here, so every message names the card's line.
import Papa from "papaparse";
import { nameKey, plainText, showInvisible } from "../text/names";
import { completeModelRow, MODEL_FIELDS, newModelDefaults, providerKlingModel } from "./card-models";
import { FIELD_LABELS } from "./fields";
import { normalizeName } from "./lookup";
import { type RowPlace, validateRateTable } from "./schema";
import { MAX_CARD_BYTES, type RateTable } from "./types";

export type CardParse = { ok: true; candidate: RateTable; format: "json" | "csv" } | { ok: false; problems: string[] };

export type CsvSection = "pricing" | "models" | "rates" | "packages" | "providers";
type Row = Record<string, unknown>;

interface SectionSpec {
  /** Its fields, in the order a header lists them. */
  fields: readonly string[];
  numbers: readonly string[];
  /** What one row is called in a message: "the rate", "the package". */
  what: string;
  /** A header without a "section" column is this section's when it has these fields. */
  recognizedBy?: readonly string[];
  /** The row of the table a card row updates: same key, same row. Compared by nameKey, so names in any script stay apart. */
  key(row: Row): string;
  /** Names in the row that point at other rows (a rate's model) as the table spells them. */
  resolve?(row: Row, table: RateTable): void;
  /** A new row as the table holds it, with what the card leaves out (a model's defaults). */
  create?(row: Row): Row;
}

const text = (row: Row, field: string) => nameKey(String(row[field] ?? ""));

/**
 * Every CSV section in one place: its columns, its row key, how its references are read.
 * Sections are merged in this order, so a section can refer to rows an earlier one added.
 */
export const CARD_SECTIONS: Record<CsvSection, SectionSpec> = {
  pricing: {
    fields: ["currency", "defaultUnitPriceUsd", "defaultPackage", "source", "asOf"],
    numbers: ["defaultUnitPriceUsd"],
    what: "pricing",
    key: () => "pricing",
    resolve(row, table) {
      const name = row.defaultPackage;
      const pkg = typeof name === "string" ? table.packages.find((p) => normalizeName(p.name) === normalizeName(name)) : undefined;
      if (pkg) row.defaultPackage = pkg.name;
    },
  },
  // Before rates: a card's rate rows may be for a model it adds.
  models: {
    fields: MODEL_FIELDS,
    numbers: [],
    what: "model",
    recognizedBy: ["id"],
    key: (row) => text(row, "id"),
    create: newModelDefaults,
  },
  packages: {
    fields: ["name", "priceUsd", "units", "validityDays", "concurrency", "purchaseLimit", "source", "asOf"],
    numbers: ["priceUsd", "units", "validityDays", "concurrency", "purchaseLimit"],
    what: "package",
    recognizedBy: ["priceUsd"],
    key: (row) => text(row, "name"),
  },
  rates: {
    fields: ["model", "quality", "audio", "input", "per", "seconds", "units", "source", "asOf"],
    numbers: ["seconds", "units"],
    what: "rate",
    recognizedBy: ["model", "units"],
    key: (row) => ["model", "quality", "audio", "input", "per", "seconds"].map((f) => text(row, f)).join("|"),
    resolve(row, table) {
      const model = modelId(table, row.model);
      if (model) row.model = model;
      const quality = qualityId(table, row.quality, model);
      if (quality) row.quality = quality;
    },
  },
  // Keyed by the Kling model a row is compared with too: fal.ai's Kling 2.6 at 1080p is not its Kling 3.0 at 1080p.
  providers: {
    fields: ["provider", "model", "klingModel", "quality", "usdPerSecond", "note", "source", "asOf"],
    numbers: ["usdPerSecond"],
    what: "provider",
    recognizedBy: ["usdPerSecond"],
    key: (row) => `${text(row, "provider")}|${text(row, "klingModel")}|${text(row, "quality")}`,
    resolve(row, table) {
      row.klingModel = modelId(table, row.klingModel) ?? providerKlingModel(row, table.models);
      const quality = qualityId(table, row.quality);
      if (quality) row.quality = quality;
    },
  },
};
const CSV_SECTIONS = Object.keys(CARD_SECTIONS) as CsvSection[];

/** The model id a card's text names (id, name or short name, any case or spacing), if any. */
function modelId(table: RateTable, name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const key = normalizeName(name);
  return table.models.find((m) => [m.id, m.name, ...m.aliases].some((n) => normalizeName(n) === key))?.id;
}

function qualityId(table: RateTable, name: unknown, model?: string): string | undefined {
  if (typeof name !== "string") return undefined;
  const key = normalizeName(name);
  const own = Object.entries(table.models.find((m) => m.id === model)?.qualityAliases ?? {}).find(([alias]) => normalizeName(alias) === key);
  return own?.[1] ?? table.qualities.find((q) => [q.id, ...q.aliases].some((n) => normalizeName(n) === key))?.id;
}

// A header may use the field's name (priceUsd) or the sidebar's words (Price ($)); case and spacing do not matter.
const headerKey = (name: string) => name.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
const EXTRA_NAMES: Record<string, string[]> = {
  priceUsd: ["price", "price usd"], validityDays: ["validity", "valid days", "validity (days)"], defaultUnitPriceUsd: ["default unit price"],
  usdPerSecond: ["usd/s", "$ per second"], purchaseLimit: ["limit"], asOf: ["as of date", "date"], seconds: ["clip length", "clip seconds"],
  per: ["billed per"],
};
const HEADER_FIELDS = new Map<string, string>();
for (const field of new Set(CSV_SECTIONS.flatMap((s) => CARD_SECTIONS[s].fields))) {
  for (const name of [field, FIELD_LABELS[field] ?? field, ...(EXTRA_NAMES[field] ?? [])]) HEADER_FIELDS.set(headerKey(name), field);
}
HEADER_FIELDS.set("section", "section");
const label = (field: string) => FIELD_LABELS[field] ?? field;

const EXPECTED_HEADER =
  'expected a header row such as "model,quality,units" (rates), "name,price,units,valid days,concurrency" (packages), ' +
  '"provider,model,quality,USD per second" (providers), "id,name,billing,lengths,qualities" (models), or a "section" column naming each row\'s kind';

/**
 * JSON must be a whole table (the export format). CSV rows (rates, packages, providers, pricing;
 * named by a "section" column or told apart by the header) update the row of `current` with the
 * same key or are added; nothing is removed. Rows without source or asOf are marked as imported
 * `today`. The result is validated: a card that is not a valid table is refused, line by line.
 */
export function parseRateCard(text: string, current: RateTable, today: string): CardParse {
  if (text.length > MAX_CARD_BYTES) return { ok: false, problems: [`the rate card is ${Math.round(text.length / 1024)} KB; at most ${MAX_CARD_BYTES / 1024} KB is read`] };
  const body = text.replace(/^\uFEFF/, "");
  const trimmed = body.trim();
  if (!trimmed) return { ok: false, problems: ["the rate card is empty: paste the JSON the sidebar exports, or CSV with a header row"] };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return parseJson(body);
  return parseCsv(body, current, today);
}

function validated(candidate: unknown, format: "json" | "csv", place: RowPlace): CardParse {
  const checked = validateRateTable(candidate, place);
  return checked.ok ? { ok: true, candidate: checked.table, format } : { ok: false, problems: checked.problems };
}

// ---- JSON ----

function parseJson(body: string): CardParse {
  let candidate: unknown;
  try {
    candidate = JSON.parse(body);
  } catch (error) {
    // V8 names the position, Firefox the line; the message itself is the parser's and not shown.
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(body, Number(at[1])) : /line (\d+)/.exec(message)?.[1];
    const where = line ? ` at line ${line}` : "";
    return { ok: false, problems: [`the rate card is not valid JSON${where}: look there for a missing comma, quote or bracket`] };
  }
  if (candidate === null || typeof candidate !== "object" || Array.isArray(candidate)) {
    return { ok: false, problems: ["the JSON is not a rate table: it must be one object, as Export writes it"] };
  }
  const lines = jsonRowLines(body);
  return validated(candidate, "json", (section, index) => {
    const line = lines.get(index === undefined ? section : `${section}/${index}`);
    return line === undefined ? undefined : `line ${line}`;
  });
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where each row of the table starts in JSON text: "rates/0" -> its line; "pricing" -> its line. */
function jsonRowLines(body: string): Map<string, number> {
  const found = new Map<string, number>();
  // Containers open at the current point: for an object, the key whose value is being read.
  const stack: { array: boolean; key?: string; index: number }[] = [];
  let line = 1;
  let lastString = "";
  const startValue = () => {
    const top = stack[stack.length - 1];
    if (stack.length === 1 && top && !top.array && top.key !== undefined) found.set(top.key, line);
    if (stack.length === 2 && top?.array && stack[0]!.key !== undefined) found.set(`${stack[0]!.key}/${top.index}`, line);
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\n") line++;
    else if (ch === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === "\\" ? 2 : 1;
      lastString = body.slice(i + 1, j);
      const top = stack[stack.length - 1];
      if (top && !top.array && top.key === undefined) top.key = lastString; // a key: its value follows
      else startValue();
      i = j;
    } else if (ch === "{" || ch === "[") {
      startValue();
      stack.push({ array: ch === "[", index: 0 });
    } else if (ch === "}" || ch === "]") {
      stack.pop();
    } else if (ch === ",") {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) top.key = undefined;
    } else if (!/[\s:]/.test(ch)) {
      startValue(); // a number, true, false or null
      while (i + 1 < body.length && !/[\s,\]}]/.test(body[i + 1]!)) i++;
    }
  }
  return found;
}

// ---- CSV ----

type Delimiter = "," | ";" | "\t";
const DELIMITERS: Delimiter[] = [",", ";", "\t"];
const DELIMITER_NAMES: Record<Delimiter, string> = { ",": "commas", ";": "semicolons", "\t": "tabs" };

/** The delimiter under which the first line reads as the most known column names. */
function detectDelimiter(firstLine: string, only?: Delimiter): { delimiter: Delimiter; names: string[] } | undefined {
  let best: { delimiter: Delimiter; names: string[]; known: number } | undefined;
  for (const delimiter of only ? [only] : DELIMITERS) {
    const names = (Papa.parse<string[]>(firstLine, { delimiter }).data[0] ?? []).map((n) => n.trim());
    const known = names.filter((n) => HEADER_FIELDS.has(headerKey(n))).length;
    if (known > 0 && (!best || known > best.known)) best = { delimiter, names, known };
  }
  return best;
}

function parseCsv(text: string, current: RateTable, today: string): CardParse {
  // Excel may start a CSV with a "sep=;" line naming the delimiter; it is no row.
  const sep = /^\s*"?sep=([,;\t])"?[^\S\n]*(?=\r?\n)/i.exec(text);
  const body = sep ? text.replace(/^[^\n]*/, "") : text;
  const firstLineStart = body.search(/\S/);
  const firstLine = body.slice(firstLineStart).split(/\r?\n/, 1)[0]!;
  const detected = detectDelimiter(firstLine, sep?.[1] as Delimiter | undefined);
  const headerLine = lineAt(body, firstLineStart);
  if (!detected) return { ok: false, problems: [`this is not a rate card: ${EXPECTED_HEADER}; line ${headerLine} is "${showInvisible(firstLine.slice(0, 80))}"`] };
  const { delimiter } = detected;

  // Each row with the line it starts on, as the analyst sees the file.
  const rows: { line: number; cells: string[] }[] = [];
  const problems: string[] = [];
  let cursor = 0;
  Papa.parse<string[]>(body, {
    delimiter, skipEmptyLines: "greedy",
    step(result) {
      let start = cursor;
      while (start < body.length && /\s/.test(body[start]!) && body[start] !== delimiter) start++;
      const line = lineAt(body, start);
      cursor = result.meta.cursor;
      if (result.errors.length) problems.push(`line ${line}: a quoted value is not closed or has a stray quote; put quotes around the whole value and double any quote inside it ("")`);
      rows.push({ line, cells: result.data });
    },
  });
  if (problems.length) return { ok: false, problems };
  const [header, ...lines] = rows;
  if (!header) return { ok: false, problems: [`this is not a rate card: ${EXPECTED_HEADER}`] };

  const fields = header.cells.map((n) => HEADER_FIELDS.get(headerKey(n.trim())));
  const columnOf = new Map<string, number>();
  header.cells.forEach((name, column) => {
    const field = fields[column];
    if (!field) {
      if (name.trim()) problems.push(`line ${header.line}, column ${column + 1} "${showInvisible(name.trim())}": not a column of a rate card; the columns are ${columnList()}`);
      return;
    }
    const first = columnOf.get(field);
    if (first !== undefined) problems.push(`line ${header.line}: the column "${label(field)}" appears twice (columns ${first + 1} and ${column + 1}); give each column once`);
    else columnOf.set(field, column);
  });
  const sectionColumn = columnOf.get("section");
  const headerFields = new Set(fields.filter((f): f is string => f !== undefined));
  const fixed = sectionColumn === undefined ? CSV_SECTIONS.find((s) => CARD_SECTIONS[s].recognizedBy?.every((f) => headerFields.has(f))) : undefined;
  if (sectionColumn === undefined && !fixed) {
    problems.push(`this is not a rate card: ${EXPECTED_HEADER}; line ${header.line} has ${header.cells.map((c) => `"${showInvisible(c.trim())}"`).join(", ")}`);
  }
  if (problems.length) return { ok: false, problems };
  if (!lines.length) return { ok: false, problems: [`the card has a header row (line ${header.line}) but no rows under it`] };

  // Read every cell as text first: the decimal convention is the card's, decided from all its numbers.
  const read: { line: number; section: CsvSection; raw: Record<string, string> }[] = [];
  for (const { line, cells } of lines) {
    if (cells.length > header.cells.length && cells.slice(header.cells.length).some((c) => c.trim())) {
      problems.push(delimiter === ","
        ? `line ${line} has ${cells.length} values but the header has ${header.cells.length}; ${DECIMAL_COMMA_HINT}`
        : `line ${line} has ${cells.length} values but the header has ${header.cells.length}; the card separates its columns with ${DELIMITER_NAMES[delimiter]}`);
      continue;
    }
    const rawSection = sectionColumn !== undefined ? (cells[sectionColumn] ?? "").trim() : fixed!;
    const section = CSV_SECTIONS.find((s) => headerKey(s) === headerKey(rawSection));
    if (!section) {
      problems.push(`line ${line}, section: "${showInvisible(rawSection)}" is not one of ${CSV_SECTIONS.join(", ")}`);
      continue;
    }
    const raw: Record<string, string> = {};
    cells.forEach((cell, column) => {
      const field = fields[column];
      const value = plainText(cell).trim();
      if (field === "section" || value === "") return;
      if (!field) return void problems.push(`line ${line}: a value in column ${column + 1}, which has no header`);
      if (!CARD_SECTIONS[section].fields.includes(field)) {
        return void problems.push(`line ${line}, ${label(field)}: not a column of ${section} rows; they have ${CARD_SECTIONS[section].fields.map(label).join(", ")}`);
      }
      raw[field] = value;
    });
    read.push({ line, section, raw });
  }
  if (problems.length) return { ok: false, problems };

  const numberCells = read.flatMap(({ line, section, raw }) => CARD_SECTIONS[section].numbers.filter((f) => raw[f] !== undefined).map((f) => ({ line, value: raw[f]! })));
  const convention = decimalConvention(delimiter, numberCells);
  if (typeof convention === "object") return { ok: false, problems: [convention.problem] };

  const found: Partial<Record<CsvSection, { line: number; row: Row }[]>> = {};
  for (const { line, section, raw } of read) {
    const row: Row = {};
    for (const [field, value] of Object.entries(raw)) {
      if (!CARD_SECTIONS[section].numbers.includes(field)) {
        row[field] = value;
        continue;
      }
      const number = readCardNumber(value, delimiter, convention);
      if (typeof number === "string") problems.push(`line ${line}, ${label(field)}: ${number}`);
      else row[field] = number;
    }
    (found[section] ??= []).push({ line, row: completeRow(section, row, today) });
  }
  if (problems.length) return { ok: false, problems };

  const candidate: RateTable = JSON.parse(JSON.stringify(current));
  const lineOf = new Map<string, number>();
  for (const section of CSV_SECTIONS) {
    const spec = CARD_SECTIONS[section];
    const sectionRows = found[section];
    if (!sectionRows) continue;
    if (section === "pricing") {
      if (sectionRows.length > 1) return { ok: false, problems: [`lines ${sectionRows.map((r) => r.line).join(", ")} are all pricing rows; give one`] };
      const { line, row } = sectionRows[0]!;
      candidate.pricing = { ...current.pricing, ...row };
      lineOf.set("pricing", line);
      continue;
    }
    // A row updates the row with the same key and keeps the fields the CSV leaves out; a new key adds a row.
    const rows = candidate[section] as unknown as Row[];
    const at = new Map(rows.map((row, i) => [spec.key(row), i]));
    const seen = new Map<string, number>();
    for (const { line, row } of sectionRows) {
      spec.resolve?.(row, candidate);
      const key = spec.key(row);
      const first = seen.get(key);
      if (first !== undefined) problems.push(`line ${line}: repeats the ${spec.what} of line ${first}`);
      seen.set(key, line);
      const i = at.get(key);
      if (i === undefined) at.set(key, rows.push(spec.create ? spec.create(row) : row) - 1);
      else rows[i] = { ...rows[i], ...row };
      lineOf.set(`${section}/${at.get(key)}`, line);
    }
  }
  if (found.pricing) CARD_SECTIONS.pricing.resolve!(candidate.pricing as unknown as Row, candidate);
  if (problems.length) return { ok: false, problems };
  return validated(candidate, "csv", (section, index) => {
    const line = lineOf.get(index === undefined ? section : `${section}/${index}`);
    return line === undefined ? undefined : `line ${line}`;
  });
}

const columnList = () => [...new Set(CSV_SECTIONS.flatMap((s) => CARD_SECTIONS[s].fields))].map(label).join(", ") + ", section";

// A CSV leaves out what a spreadsheet user would not type: the defaults a rate row implies.
function completeRow(section: CsvSection, row: Row, today: string): Row {
  if (section === "pricing") return row;
  if (section === "models") return { ...completeModelRow(row), source: row.source ?? "Imported rate card (CSV)", asOf: row.asOf ?? today };
  const done: Row = { ...row };
  if (section === "rates") {
    done.audio ??= "none";
    done.input ??= "plain";
    done.per ??= done.seconds === undefined ? "second" : "clip";
  }
  if (section === "packages") done.purchaseLimit ??= null;
  if (section === "providers") done.note ??= "";
  done.source ??= "Imported rate card (CSV)";
  done.asOf ??= today;
  return done;
}

// ---- numbers in the card's convention ----

type Convention = "point" | "comma" | "unknown";

const DECIMAL_COMMA_HINT = "a decimal comma? this card separates its columns with commas, so write decimals with a point (0.85) and no thousands separator, or save the card with semicolons between columns";

const PLAIN = /^-?\d+$/;
/** A decimal written with `d`, optionally grouped in thousands with `g`. */
const written = (d: string, g: string) => new RegExp(`^-?(\\d+|\\d{1,3}(${g === "." ? "\\." : g}\\d{3})+)(${d === "." ? "\\." : d}\\d+)?$`);
const GROUPED = { ",": /^-?\d{1,3}(,\d{3})+$/, ".": /^-?\d{1,3}(\.\d{3})+$/ };

/** Which decimal mark the card's numbers use, or why it cannot tell. */
function decimalConvention(delimiter: Delimiter, cells: { line: number; value: string }[]): Convention | { problem: string } {
  if (delimiter === ",") return "point";
  let comma: { line: number; value: string } | undefined;
  let point: { line: number; value: string } | undefined;
  for (const cell of cells) {
    const v = cell.value;
    // "0,85" or "1.234,5" can only be a decimal comma; "1,234" could be either, so it decides nothing.
    if (!GROUPED[","].test(v) && (/^-?\d+,\d+$/.test(v) || /^-?\d{1,3}(\.\d{3})+,\d+$/.test(v))) comma ??= cell;
    if (!GROUPED["."].test(v) && (/^-?\d+\.\d+$/.test(v) || /^-?\d{1,3}(,\d{3})+\.\d+$/.test(v))) point ??= cell;
  }
  if (comma && point) {
    return {
      problem: `the card separates its columns with ${DELIMITER_NAMES[delimiter]} and mixes decimal commas (line ${comma.line}: ${comma.value}) ` +
        `with decimal points (line ${point.line}: ${point.value}); write every number the same way`,
    };
  }
  return comma ? "comma" : point ? "point" : "unknown";
}

const POINT_DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number cell in the card's convention, or what is wrong with it. Never a reading that could be another. */
function readCardNumber(value: string, delimiter: Delimiter, convention: Convention): number | string {
  const v = value;
  if (PLAIN.test(v)) return Number(v);
  if (delimiter === ",") {
    // A comma cannot be a decimal mark here, and a quoted "0,85" gets the same hint as an unquoted one.
    if (POINT_DECIMAL.test(v)) return Number(v);
    if (/^-?[\d.,]+$/.test(v) && v.includes(",")) return `"${v}": ${DECIMAL_COMMA_HINT}`;
  } else if (convention === "comma") {
    if (written(",", ".").test(v)) return Number(v.replace(/\./g, "").replace(",", "."));
  } else if (convention === "point") {
    if (POINT_DECIMAL.test(v) || written(".", ",").test(v)) return Number(v.replace(/,/g, ""));
  } else if (GROUPED[","].test(v) || GROUPED["."].test(v)) {
    const [a, b] = [Number(v.replace(/[.,]/g, "")), Number(v.replace(/[.,]/, "."))].sort((x, y) => x - y);
    return `"${v}" could be ${a} or ${b}: no other number in the card shows whether it writes decimals with a comma or a point; write it without a thousands separator`;
  } else if (POINT_DECIMAL.test(v)) return Number(v);
  return `"${showInvisible(value)}" is not a number`;
}
