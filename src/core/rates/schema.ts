// Validation of a whole rate table: the shipped default (in a test) and every table a user saves.
// Saving is rare and reading is per cell, so the schema is built on the first validation, never
// when the bundle loads, and custom functions never validate: what is stored was valid when saved.
import * as z from "zod/mini";
import { normalizeName } from "./lookup";
import { catalogueProblems } from "./models";
import { decimalPlaces } from "../numbers";
import { AUDIO_KINDS, INPUT_KINDS, MAX_PRICE_DECIMALS, type RateTable, SCHEMA_VERSION } from "./types";

export type Validation = { ok: true; table: RateTable } | { ok: false; problems: string[] };

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
export function validateRateTable(input: unknown): Validation {
  schema ??= buildSchema();
  const result = schema.safeParse(input);
  if (!result.success) return { ok: false, problems: result.error.issues.map((issue) => describeIssue(input, issue)) };
  const table = asTable(result.data);
  const problems = crossChecks(table);
  return problems.length ? { ok: false, problems } : { ok: true, table };
}

/** A row as an analyst finds it in the sidebar: its section, its number from 1, and its name. */
function rowLabel(table: unknown, section: string, index: number): string {
  const rows = (table as Record<string, unknown> | null)?.[section];
  const row = Array.isArray(rows) ? (rows[index] as Record<string, unknown> | undefined) : undefined;
  const label = row && typeof row === "object"
    ? [row.id ?? row.name ?? row.provider ?? row.model, row.quality, row.audio, row.input].filter((v) => typeof v === "string" && v.trim() !== "").join(" ")
    : "";
  return `${section} row ${index + 1}${label ? ` (${label})` : ""}`;
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const [section, index, ...rest] = issue.path.map(String);
  let where = section ?? "rate table";
  if (section && index !== undefined && /^\d+$/.test(index)) where = rowLabel(input, section, Number(index));
  else if (index !== undefined) rest.unshift(index);
  const field = rest.length ? `, ${rest.join(".")}` : "";
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  else if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) message = "is missing";
  return `${where}${field}: ${message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function crossChecks(table: RateTable): string[] {
  const problems: string[] = [];
  const duplicates = (section: string, keys: string[], what: string) => {
    const seen = new Map<string, number>();
    keys.forEach((key, i) => {
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${rowLabel(table, section, i)}: repeats ${what} of row ${first + 1}`);
      else seen.set(key, i);
    });
  };

  const qualityIds = new Set(table.qualities.map((q) => q.id));
  duplicates("qualities", table.qualities.map((q) => normalizeName(q.id)), "the quality");
  duplicates("models", table.models.map((m) => normalizeName(m.id)), "the model id");
  // A typed name must lead to one model only.
  const owner = new Map<string, string>();
  table.models.forEach((m, i) => {
    for (const alias of new Set([m.id, m.name, ...m.aliases].map(normalizeName))) {
      const other = owner.get(alias);
      if (other !== undefined && other !== m.id) problems.push(`${rowLabel(table, "models", i)}: the name "${alias}" also names ${other}`);
      owner.set(alias, m.id);
    }
    const bad = m.qualities.filter((q) => !qualityIds.has(q));
    if (bad.length) problems.push(`${rowLabel(table, "models", i)}, qualities: ${bad.join(", ")} not in the qualities list`);
    if (m.defaultQuality !== undefined && !m.qualities.includes(m.defaultQuality)) {
      problems.push(`${rowLabel(table, "models", i)}, defaultQuality: ${m.defaultQuality} is not one of its qualities`);
    }
    for (const [alias, target] of Object.entries(m.qualityAliases ?? {})) {
      if (!m.qualities.includes(target)) problems.push(`${rowLabel(table, "models", i)}, qualityAliases.${alias}: ${target} is not one of its qualities`);
    }
    if (m.billing === "per-second" && !m.clipLengths) {
      if (m.minSeconds === undefined || m.maxSeconds === undefined) problems.push(`${rowLabel(table, "models", i)}: a per-second model needs minSeconds and maxSeconds, or clipLengths`);
      else if (m.minSeconds > m.maxSeconds) problems.push(`${rowLabel(table, "models", i)}: minSeconds is more than maxSeconds`);
    }
  });

  const models = new Map(table.models.map((m) => [m.id, m]));
  table.rates.forEach((r, i) => {
    const where = rowLabel(table, "rates", i);
    const m = models.get(r.model);
    if (!m) return void problems.push(`${where}, model: ${r.model} is not in the models list`);
    if (!m.qualities.includes(r.quality)) problems.push(`${where}, quality: ${m.id} does not make ${r.quality}`);
    if (!m.audio.includes(r.audio)) problems.push(`${where}, audio: ${m.id} does not offer ${r.audio}`);
    if (!m.inputs.includes(r.input)) problems.push(`${where}, input: ${m.id} does not offer ${r.input}`);
    if (m.billing === "per-second" && r.per !== "second") problems.push(`${where}, per: ${m.id} bills per second`);
    if (m.billing === "per-clip" && r.per !== "clip") problems.push(`${where}, per: ${m.id} bills per clip`);
    if (r.per === "clip" && r.seconds === undefined) problems.push(`${where}, seconds: a per-clip rate needs the clip length`);
    if (r.per === "second" && r.seconds !== undefined) problems.push(`${where}, seconds: a per-second rate has no clip length`);
  });
  duplicates("rates", table.rates.map((r) => `${r.model}|${r.quality}|${r.audio}|${r.input}|${r.per}|${r.seconds ?? ""}`), "the rate");

  duplicates("packages", table.packages.map((p) => normalizeName(p.name)), "the package name");
  if (!table.packages.some((p) => p.name === table.pricing.defaultPackage)) {
    problems.push(`pricing, defaultPackage: ${table.pricing.defaultPackage} is not in the packages list`);
  }
  table.providers.forEach((p, i) => {
    if (!qualityIds.has(p.quality)) problems.push(`${rowLabel(table, "providers", i)}, quality: ${p.quality} is not in the qualities list`);
  });
  problems.push(...catalogueProblems(table, (section, i) => rowLabel(table, section, i)));
  return problems;
}
