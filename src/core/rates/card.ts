// A rate card as analysts bring it: the JSON the sidebar exports, or CSV from a spreadsheet.
// This only turns text into a candidate table; validateRateTable decides whether it is one.
import Papa from "papaparse";
import { completeModelRow, MODEL_FIELDS, newModelDefaults, providerKlingModel } from "./card-models";
import { MAX_CARD_BYTES, type ModelRow, type RateTable } from "./types";

export type CardParse = { ok: true; candidate: unknown; format: "json" | "csv" } | { ok: false; problems: string[] };

type CsvSection = "pricing" | "models" | "rates" | "packages" | "providers";

const FIELDS: Record<CsvSection, readonly string[]> = {
  pricing: ["currency", "defaultUnitPriceUsd", "defaultPackage", "source", "asOf"],
  models: MODEL_FIELDS, // before rates: a card's rate rows may be for a model it adds
  rates: ["model", "quality", "audio", "input", "per", "seconds", "units", "source", "asOf"],
  packages: ["name", "priceUsd", "units", "validityDays", "concurrency", "purchaseLimit", "source", "asOf"],
  providers: ["provider", "model", "klingModel", "quality", "usdPerSecond", "note", "source", "asOf"],
};
const NUMBERS = new Set(["defaultUnitPriceUsd", "seconds", "units", "priceUsd", "validityDays", "concurrency", "purchaseLimit", "usdPerSecond"]);
const CSV_SECTIONS = Object.keys(FIELDS) as CsvSection[];

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * JSON must be a whole table (the export format). CSV rows (rates, packages, providers, pricing;
 * named by a "section" column or told apart by the header) update the row of `current` with the
 * same key or are added; nothing is removed. Rows without source or asOf are marked as imported `today`.
 */
export function parseRateCard(text: string, current: RateTable, today: string): CardParse {
  if (text.length > MAX_CARD_BYTES) return { ok: false, problems: [`the rate card is ${Math.round(text.length / 1024)} KB; at most ${MAX_CARD_BYTES / 1024} KB is read`] };
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) return { ok: false, problems: ["the rate card is empty: paste the JSON the sidebar exports, or CSV with a header row"] };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const candidate: unknown = JSON.parse(trimmed);
      if (candidate === null || typeof candidate !== "object" || Array.isArray(candidate)) {
        return { ok: false, problems: ["the JSON is not a rate table: it must be one object, as Export writes it"] };
      }
      return { ok: true, candidate, format: "json" };
    } catch (error) {
      return { ok: false, problems: [`the rate card is not valid JSON: ${(error as Error).message}`] };
    }
  }
  return parseCsv(trimmed, current, today);
}

function parseCsv(text: string, current: RateTable, today: string): CardParse {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const problems = parsed.errors.slice(0, 10).map((e) => `CSV line ${(e.row ?? 0) + 1}: ${e.message}`);
  if (problems.length) return { ok: false, problems };
  const [header = [], ...rows] = parsed.data;
  const names = header.map((h) => h.trim());
  const sectionColumn = names.findIndex((n) => squash(n) === "section");
  const fixed = sectionColumn < 0 ? sectionFromHeader(names) : undefined;
  if (sectionColumn < 0 && !fixed) {
    return {
      ok: false,
      problems: [`the CSV header (${names.join(", ")}) must have a "section" column, or the fields of one section: rates (model, quality, units, ...), packages (name, priceUsd, units, ...) or providers (provider, quality, usdPerSecond, ...)`],
    };
  }
  if (!rows.length) return { ok: false, problems: ["the CSV has a header row but no rows"] };

  const found: Partial<Record<CsvSection, { line: number; row: Record<string, unknown> }[]>> = {};
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length > names.length) {
      return void problems.push(`CSV line ${line} has ${cells.length} cells but the header has ${names.length}; a decimal comma (0,6)? write 0.6 or quote the value`);
    }
    const rawSection = sectionColumn >= 0 ? (cells[sectionColumn] ?? "").trim() : fixed!;
    const section = CSV_SECTIONS.find((s) => squash(s) === squash(rawSection));
    if (!section) return void problems.push(`CSV line ${line}, section: "${rawSection}" is not one of ${CSV_SECTIONS.join(", ")}`);
    const row: Record<string, unknown> = {};
    names.forEach((name, column) => {
      if (column === sectionColumn) return;
      const value = (cells[column] ?? "").trim();
      const field = FIELDS[section].find((f) => squash(f) === squash(name));
      if (!field) {
        if (value) problems.push(`CSV line ${line}, ${name}: not a field of ${section}; the fields are ${FIELDS[section].join(", ")}`);
        return;
      }
      if (value === "") return;
      row[field] = NUMBERS.has(field) && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(value) ? Number(value) : value;
    });
    (found[section] ??= []).push({ line, row: completeRow(section, row, today) });
  });
  if (problems.length) return { ok: false, problems };

  const candidate: Record<string, unknown> = JSON.parse(JSON.stringify(current));
  for (const section of CSV_SECTIONS) {
    const sectionRows = found[section];
    if (!sectionRows) continue;
    if (section === "pricing") {
      if (sectionRows.length > 1) return { ok: false, problems: [`the CSV has ${sectionRows.length} pricing rows; give one`] };
      candidate.pricing = { ...current.pricing, ...sectionRows[0]!.row };
      continue;
    }
    // A row updates the row with the same key and keeps the fields the CSV leaves out; a new key adds a row.
    const rows = candidate[section] as Record<string, unknown>[];
    const at = new Map(rows.map((row, i) => [rowKey(section, row), i]));
    const seen = new Map<string, number>();
    for (const { line, row } of sectionRows) {
      if (section === "providers") row.klingModel = providerKlingModel(row, candidate.models as ModelRow[]);
      const key = rowKey(section, row);
      const first = seen.get(key);
      if (first !== undefined) problems.push(`CSV line ${line}: repeats the ${{ models: "model", rates: "rate", packages: "package", providers: "provider" }[section]} of line ${first}`);
      seen.set(key, line);
      const i = at.get(key);
      if (i === undefined) at.set(key, rows.push(section === "models" ? newModelDefaults(row) : row) - 1);
      else rows[i] = { ...rows[i], ...row };
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, candidate, format: "csv" };
}

function rowKey(section: CsvSection, row: Record<string, unknown>): string {
  const text = (field: string) => squash(String(row[field] ?? ""));
  if (section === "packages") return text("name");
  if (section === "models") return text("id");
  if (section === "providers") return `${text("provider")}|${String(row.klingModel ?? "kling-v3")}|${text("quality")}`;
  return ["model", "quality", "audio", "input", "per", "seconds"].map(text).join("|");
}

function sectionFromHeader(names: string[]): CsvSection | undefined {
  const has = (field: string) => names.some((n) => squash(n) === squash(field));
  if (has("usdPerSecond")) return "providers";
  if (has("billing") || has("lengths")) return "models";
  if (has("priceUsd")) return "packages";
  if (has("model") && has("units")) return "rates";
  return undefined;
}

// A CSV leaves out what a spreadsheet user would not type: the defaults a rate row implies.
function completeRow(section: CsvSection, row: Record<string, unknown>, today: string): Record<string, unknown> {
  if (section === "pricing") return row;
  if (section === "models") return { ...completeModelRow(row), source: row.source ?? "Imported rate card (CSV)", asOf: row.asOf ?? today };
  const done: Record<string, unknown> = { ...row };
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
