// Validation of a whole rate table: the shipped default (in a test) and every table a user saves.
// Saving is rare and reading is per cell, so the schema is built on the first validation, never
// when the bundle loads, and custom functions never validate: what is stored was valid when saved.
import * as z from "zod/mini";
import { normalizeName } from "./lookup";
import { catalogueProblems } from "./models";
import { decimalPlaces } from "../numbers";
import { lookAlikes, type Named, unusualCharacters } from "../text/confusables";
import { formulaStart, showInvisible } from "../text/names";
import { fieldLabel } from "./fields";
import { AUDIO_KINDS, INPUT_KINDS, MAX_PRICE_DECIMALS, type RateTable, SCHEMA_VERSION } from "./types";

export type Validation = { ok: true; table: RateTable } | { ok: false; problems: string[] };

/**
 * Where a row is, for messages: a rate card names the line it came from ("line 3"); without it a
 * row is named as the sidebar lists it ("rates row 1"). `index` is undefined for pricing.
 */
export type RowPlace = (section: string, index: number | undefined) => string | undefined;

const LIMITS = { models: 50, qualities: 20, rates: 2000, packages: 100, providers: 200, aliases: 30 };

function buildSchema() {
  const text = z.string().check(z.trim(), z.minLength(1, "must not be blank"), z.maxLength(300, "must be at most 300 characters"));
  const name = z.string().check(z.trim(), z.minLength(1, "must not be blank"), z.maxLength(60, "must be at most 60 characters"));
  const asOf = z.string().check(z.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "must be a date such as 2026-11-24, 2026-11 or 2026"));
  const positive = z.number("must be a number").check(z.positive("must be more than 0"));
  const whole = (min: number) => z.int("must be a whole number").check(z.gte(min, `must be ${min} or more`));
  const money = positive.check(z.refine((n) => decimalPlaces(n) <= MAX_PRICE_DECIMALS, `must have at most ${MAX_PRICE_DECIMALS} decimals`));
  const audio = z.enum(AUDIO_KINDS as ["none", "audio", "voice"], `must be one of ${AUDIO_KINDS.join(", ")}`);
  const input = z.enum(INPUT_KINDS as ["plain", "video", "motion-control"], `must be one of ${INPUT_KINDS.join(", ")}`);
  const list = <T extends z.core.SomeType>(item: T, max: number) => z.array(item).check(z.maxLength(max, `has more than ${max} rows`));

  return z.strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION, `must be ${SCHEMA_VERSION}`),
    version: whole(0),
    pricing: z.strictObject({
      currency: z.literal("USD", "must be USD"),
      defaultUnitPriceUsd: money,
      defaultPackage: name,
      source: text,
      asOf,
    }),
    qualities: list(z.strictObject({ id: name, aliases: list(name, LIMITS.aliases) }), LIMITS.qualities).check(z.minLength(1, "needs at least one row")),
    models: list(z.strictObject({
      id: name,
      name,
      billing: z.enum(["per-second", "per-clip"], "must be per-second or per-clip"),
      minSeconds: z.optional(whole(1)),
      maxSeconds: z.optional(whole(1)),
      clipLengths: z.optional(list(whole(1), 30)),
      retired: z.optional(asOf),
      qualities: list(name, LIMITS.qualities).check(z.minLength(1, "needs at least one quality")),
      defaultQuality: z.optional(name),
      qualityAliases: z.optional(z.record(name, name)),
      audio: list(audio, 3).check(z.minLength(1, "needs at least one audio choice")),
      inputs: list(input, 3).check(z.minLength(1, "needs at least one input choice")),
      aliases: list(name, LIMITS.aliases),
      source: text,
      asOf,
    }), LIMITS.models).check(z.minLength(1, "needs at least one row")),
    rates: list(z.strictObject({
      model: name, quality: name, audio, input,
      per: z.enum(["second", "clip"], "must be second or clip"),
      seconds: z.optional(whole(1)),
      units: positive,
      source: text,
      asOf,
    }), LIMITS.rates),
    packages: list(z.strictObject({
      name,
      priceUsd: money,
      units: whole(1),
      validityDays: whole(1),
      concurrency: whole(1),
      purchaseLimit: z.nullable(whole(0)),
      source: text,
      asOf,
    }), LIMITS.packages).check(z.minLength(1, "needs at least one row")),
    providers: list(z.strictObject({
      provider: name, model: name, klingModel: z.optional(name), quality: name,
      usdPerSecond: positive,
      note: z.string().check(z.maxLength(300, "must be at most 300 characters")),
      source: text,
      asOf,
    }), LIMITS.providers),
  });
}

let schema: ReturnType<typeof buildSchema> | undefined;

// The parsed output must be usable as a RateTable; this fails to compile if the two drift apart.
const asTable = (parsed: z.output<ReturnType<typeof buildSchema>>): RateTable => parsed;

/** Checks shape and types, then the rules that tie rows together; says which row and field is wrong. */
export function validateRateTable(input: unknown, place?: RowPlace): Validation {
  schema ??= buildSchema();
  const result = schema.safeParse(input);
  if (!result.success) return { ok: false, problems: result.error.issues.map((issue) => describeIssue(input, issue, place)) };
  const table = asTable(result.data);
  const problems = crossChecks(table, place);
  return problems.length ? { ok: false, problems } : { ok: true, table };
}

/** A row as an analyst finds it: its line in a card, or its section and number from 1 in the sidebar; and its name. */
function rowLabel(table: unknown, section: string, index: number, place?: RowPlace): string {
  const rows = (table as Record<string, unknown> | null)?.[section];
  const row = Array.isArray(rows) ? (rows[index] as Record<string, unknown> | undefined) : undefined;
  const label = row && typeof row === "object"
    ? [row.id ?? row.name ?? row.provider ?? row.model, row.quality, row.audio, row.input].filter((v) => typeof v === "string" && v.trim() !== "").join(" ")
    : "";
  return `${rowPlace(section, index, place)}${label ? ` (${showInvisible(label)})` : ""}`;
}

const SECTIONS = new Set(["pricing", "qualities", "models", "rates", "packages", "providers"]);
const rowPlace = (section: string, index: number, place?: RowPlace) => place?.(section, index) ?? `${section} row ${index + 1}`;
const sectionPlace = (section: string, place?: RowPlace) => {
  const at = section === "pricing" ? place?.(section, undefined) : undefined;
  return at ? `${at} (pricing)` : section;
};

function describeIssue(input: unknown, issue: z.core.$ZodIssue, place?: RowPlace): string {
  const [section, index, ...rest] = issue.path.map(String);
  let where = section === undefined ? "rate table" : SECTIONS.has(section) ? sectionPlace(section, place) : fieldLabel(section);
  if (section && index !== undefined && /^\d+$/.test(index)) where = rowLabel(input, section, Number(index), place);
  else if (index !== undefined) rest.unshift(index);
  const field = rest.length ? `, ${fieldLabel(rest.join("."))}` : "";
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map(showInvisible).join(", ")}`;
  else if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) message = "is missing";
  return `${where}${field}: ${message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function crossChecks(table: RateTable, place?: RowPlace): string[] {
  const problems: string[] = [];
  const at = (section: string, i: number) => rowLabel(table, section, i, place);
  const pricingAt = sectionPlace("pricing", place);
  const duplicates = (section: string, keys: string[], what: string) => {
    const seen = new Map<string, number>();
    keys.forEach((key, i) => {
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${at(section, i)}: repeats ${what} of ${place?.(section, first) ?? `row ${first + 1}`}`);
      else seen.set(key, i);
    });
  };

  formulas(table, at, pricingAt, problems);

  const qualityIds = new Set(table.qualities.map((q) => q.id));
  duplicates("qualities", table.qualities.map((q) => normalizeName(q.id)), "the quality");
  duplicates("models", table.models.map((m) => normalizeName(m.id)), "the model id");
  // A typed name must lead to one model only.
  const owner = new Map<string, string>();
  table.models.forEach((m, i) => {
    for (const alias of new Set([m.id, m.name, ...m.aliases].map(normalizeName))) {
      const other = owner.get(alias);
      if (other !== undefined && other !== m.id) problems.push(`${at("models", i)}: the name "${showInvisible(alias)}" also names ${showInvisible(other)}`);
      owner.set(alias, m.id);
    }
    const bad = m.qualities.filter((q) => !qualityIds.has(q));
    if (bad.length) problems.push(`${at("models", i)}, qualities: ${bad.map(showInvisible).join(", ")} not in the qualities list`);
    if (m.defaultQuality !== undefined && !m.qualities.includes(m.defaultQuality)) {
      problems.push(`${at("models", i)}, default quality: ${showInvisible(m.defaultQuality)} is not one of its qualities`);
    }
    for (const [alias, target] of Object.entries(m.qualityAliases ?? {})) {
      if (!m.qualities.includes(target)) problems.push(`${at("models", i)}, other quality names, ${showInvisible(alias)}: ${showInvisible(target)} is not one of its qualities`);
    }
    if (m.billing === "per-second" && !m.clipLengths) {
      if (m.minSeconds === undefined || m.maxSeconds === undefined) problems.push(`${at("models", i)}: a per-second model needs its shortest and longest clip (s), or its clip lengths`);
      else if (m.minSeconds > m.maxSeconds) problems.push(`${at("models", i)}: the shortest clip (${m.minSeconds} s) is longer than the longest (${m.maxSeconds} s)`);
    }
  });

  const models = new Map(table.models.map((m) => [m.id, m]));
  table.rates.forEach((r, i) => {
    const where = at("rates", i);
    const m = models.get(r.model);
    if (!m) return void problems.push(`${where}, model: ${showInvisible(r.model)} is not in the models list`);
    if (!m.qualities.includes(r.quality)) problems.push(`${where}, quality: ${m.id} does not make ${showInvisible(r.quality)}`);
    if (!m.audio.includes(r.audio)) problems.push(`${where}, audio: ${m.id} does not offer ${r.audio}`);
    if (!m.inputs.includes(r.input)) problems.push(`${where}, input: ${m.id} does not offer ${r.input}`);
    if (m.billing === "per-second" && r.per !== "second") problems.push(`${where}, billed per: ${m.id} bills per second`);
    if (m.billing === "per-clip" && r.per !== "clip") problems.push(`${where}, billed per: ${m.id} bills per clip`);
    if (r.per === "clip" && r.seconds === undefined) problems.push(`${where}, clip length (s): a per-clip rate needs the clip length`);
    if (r.per === "second" && r.seconds !== undefined) problems.push(`${where}, clip length (s): a per-second rate has no clip length`);
  });
  duplicates("rates", table.rates.map((r) => `${r.model}|${r.quality}|${r.audio}|${r.input}|${r.per}|${r.seconds ?? ""}`), "the rate");

  duplicates("packages", table.packages.map((p) => normalizeName(p.name)), "the package name");
  if (!table.packages.some((p) => p.name === table.pricing.defaultPackage)) {
    problems.push(`${pricingAt}, default package: ${showInvisible(table.pricing.defaultPackage)} is not in the packages list`);
  }
  table.providers.forEach((p, i) => {
    if (!qualityIds.has(p.quality)) problems.push(`${at("providers", i)}, quality: ${showInvisible(p.quality)} is not in the qualities list`);
  });
  // Provider rows repeated for one provider, Kling model and quality are caught there.
  problems.push(...catalogueProblems(table, at));

  // Look-alikes only once each name is otherwise sound: a duplicate is reported as one already.
  if (!problems.length) lookAlikeNames(table, at, problems);
  return problems;
}

type At = (section: string, i: number) => string;

/** Text a spreadsheet would run as a formula is refused: an exported table must be safe to open anywhere. */
function formulas(table: RateTable, at: At, pricingAt: string, problems: string[]): void {
  const check = (where: string, field: string, text: string | undefined) => {
    const sign = text === undefined ? undefined : formulaStart(text);
    if (sign) {
      const shown = text!.length > 40 ? `${text!.slice(0, 37)}...` : text!;
      problems.push(`${where}, ${fieldLabel(field)}: "${showInvisible(shown)}" would run as a formula when opened in a spreadsheet (it starts with ${sign}); remove the ${sign}`);
    }
  };
  const sourced = (where: string, row: { source: string }) => check(where, "source", row.source);
  check(pricingAt, "defaultPackage", table.pricing.defaultPackage);
  sourced(pricingAt, table.pricing);
  table.qualities.forEach((q, i) => [q.id, ...q.aliases].forEach((n) => check(at("qualities", i), "id", n)));
  table.models.forEach((m, i) => {
    for (const field of ["id", "name"] as const) check(at("models", i), field, m[field]);
    m.aliases.forEach((n) => check(at("models", i), "aliases", n));
    Object.keys(m.qualityAliases ?? {}).forEach((n) => check(at("models", i), "qualityAliases", n));
    sourced(at("models", i), m);
  });
  table.rates.forEach((r, i) => sourced(at("rates", i), r));
  table.packages.forEach((p, i) => (check(at("packages", i), "name", p.name), sourced(at("packages", i), p)));
  table.providers.forEach((p, i) => {
    for (const field of ["provider", "model", "note"] as const) check(at("providers", i), field, p[field]);
    sourced(at("providers", i), p);
  });
}

/** Names that look like another row's name but are not the same name: refused, naming both. */
function lookAlikeNames(table: RateTable, at: At, problems: string[]): void {
  const report = (section: string, what: string, names: Named<number | string>[], rowOf: (owner: number | string, name: string) => number) => {
    for (const { name, like } of lookAlikes(names)) {
      const odd = unusualCharacters(name.name) || unusualCharacters(like.name);
      problems.push(
        `${at(section, rowOf(name.owner, name.name))}: the ${what} "${showInvisible(name.name)}" looks like "${showInvisible(like.name)}" of ${at(section, rowOf(like.owner, like.name))} ` +
        `but is a different name${odd ? ` (it has ${odd})` : ""}; spell it the same way if it is the same ${what}, or give it a name that looks different`,
      );
    }
  };
  const byIndex = (owner: number | string) => owner as number;
  report("models", "model name", table.models.flatMap((m, i) => [m.id, m.name, ...m.aliases].map((name) => ({ name, owner: i }))), byIndex);
  report("qualities", "quality", table.qualities.flatMap((q, i) => [q.id, ...q.aliases].map((name) => ({ name, owner: i }))), byIndex);
  report("packages", "package name", table.packages.map((p, i) => ({ name: p.name, owner: i })), byIndex);
  // One provider has a row per quality: rows with the same provider key are one owner.
  report("providers", "provider", table.providers.map((p) => ({ name: p.provider, owner: normalizeName(p.provider) })),
    (_, name) => table.providers.findIndex((p) => p.provider === name));
}
