// What Kling's account API says about a team's resource packs and the units each task deducted,
// read from its JSON into plain records. Field names and meanings follow Kling's API documentation
// (GET /account/costs, POST /account/billing/package); anything missing or odd is refused with the
// field named, so a changed API never turns into silent zeros in a budget.
import { isRecord } from "../own";

export type PackStatus = "toBeOnline" | "online" | "expired" | "runOut";
const PACK_STATUSES: readonly PackStatus[] = ["toBeOnline", "online", "expired", "runOut"];

export interface Pack {
  name: string;
  id: string;
  /** decreasing_total (units that run down) or constant_period. */
  type: string;
  status: PackStatus;
  total: number;
  /** Kling says this may lag by up to 12 hours. */
  remaining: number;
  /** Epoch milliseconds. */
  purchased: number;
  effective: number;
  expires: number;
}

export interface Deduction {
  taskId: string;
  /** Epoch milliseconds. */
  deductedAt: number;
  productType: string;
  productFunction: string;
  modelName: string;
  resolution: string;
  /** Seconds of video; 0 when Kling gives none (images). */
  seconds: number;
  videoInput: boolean;
  /** native, original or off. */
  sound: string;
  voice: boolean;
  units: number;
  apiKeyName: string;
  packName: string;
  packId: string;
}

export interface DeductionPage {
  deductions: Deduction[];
  nextCursor: string;
  hasMore: boolean;
}

/** Kling answered, but not with what its documentation describes. */
export class KlingAnswerError extends Error {
  override name = "KlingAnswerError";
}

type Json = Record<string, unknown>;


function field(where: string, record: Json, name: string): unknown {
  if (!(name in record)) throw new KlingAnswerError(`${where} has no ${name}`);
  return record[name];
}

function text(where: string, record: Json, name: string, optional = false): string {
  const value = optional ? record[name] ?? "" : field(where, record, name);
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new KlingAnswerError(`${where}: ${name} is not text`);
}

/** Kling sends some numbers as text ("5.04", "1779549455861"): both are read exactly, nothing else is. */
function number(where: string, record: Json, name: string, optional = false): number {
  const value = optional ? record[name] ?? 0 : field(where, record, name);
  const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new KlingAnswerError(`${where}: ${name} is ${JSON.stringify(value)}, not a number`);
  return n;
}

function flag(record: Json, name: string): boolean {
  const value = record[name];
  return value === true || value === "true";
}

/** The envelope every Kling answer shares: code 0 is success; anything else carries a message. */
export function unwrapAnswer(body: unknown): Json {
  if (!isRecord(body)) throw new KlingAnswerError("the answer is not a JSON object");
  const code = body.code;
  if (code !== 0 && code !== undefined) {
    throw new KlingAnswerError(`Kling answered code ${String(code)}: ${String(body.message ?? body.msg ?? "no message")}`);
  }
  const data = body.data;
  if (!isRecord(data)) throw new KlingAnswerError("the answer has no data");
  return data;
}

/** GET /account/costs: data.resource_pack_subscribe_infos[] (data carries its own code and msg). */
export function readPacks(body: unknown): Pack[] {
  const data = unwrapAnswer(body);
  if (data.code !== undefined && data.code !== 0) throw new KlingAnswerError(`Kling answered code ${String(data.code)}: ${String(data.msg ?? "no message")}`);
  const infos = data.resource_pack_subscribe_infos ?? [];
  if (!Array.isArray(infos)) throw new KlingAnswerError("resource_pack_subscribe_infos is not a list");
  return infos.map((info, i) => {
    const where = `resource pack ${i + 1}`;
    if (!isRecord(info)) throw new KlingAnswerError(`${where} is not an object`);
    const status = text(where, info, "status");
    if (!PACK_STATUSES.includes(status as PackStatus)) throw new KlingAnswerError(`${where}: status "${status}" is not one Kling documents`);
    return {
      name: text(where, info, "resource_pack_name"),
      id: text(where, info, "resource_pack_id"),
      type: text(where, info, "resource_pack_type", true),
      status: status as PackStatus,
      total: number(where, info, "total_quantity"),
      remaining: number(where, info, "remaining_quantity"),
      purchased: number(where, info, "purchase_time", true),
      effective: number(where, info, "effective_time"),
      expires: number(where, info, "invalid_time"),
    };
  });
}

/** POST /account/billing/package: one page of unit deductions. */
export function readDeductionPage(body: unknown): DeductionPage {
  const data = unwrapAnswer(body);
  const result = data.result;
  const detail = isRecord(result) ? result.detail ?? [] : [];
  if (!Array.isArray(detail)) throw new KlingAnswerError("result.detail is not a list");
  const deductions = detail.map((row, i): Deduction => {
    const where = `deduction ${i + 1}`;
    if (!isRecord(row)) throw new KlingAnswerError(`${where} is not an object`);
    return {
      taskId: text(where, row, "task_id"),
      deductedAt: number(where, row, "deduction_time"),
      productType: text(where, row, "product_type", true),
      productFunction: text(where, row, "product_function", true),
      modelName: text(where, row, "model_name", true),
      resolution: text(where, row, "resolution", true),
      seconds: number(where, row, "duration", true),
      videoInput: flag(row, "refer_video_input"),
      sound: text(where, row, "video_sound", true),
      voice: flag(row, "voice_control"),
      units: number(where, row, "deduction_amount"),
      apiKeyName: text(where, row, "api_key_name", true),
      packName: text(where, row, "package_name", true),
      packId: text(where, row, "package_id", true),
    };
  });
  const hasMore = data.has_more === true;
  const nextCursor = typeof data.next_cursor === "string" ? data.next_cursor : "";
  if (hasMore && !nextCursor) throw new KlingAnswerError("Kling said there are more deductions but gave no next_cursor");
  return { deductions, nextCursor, hasMore };
}

/** One deduction's identity: a task may draw on two packs, and a re-sync must not add it twice. */
export const deductionKey = (d: Pick<Deduction, "taskId" | "deductedAt" | "packId">): string => `${d.taskId}|${d.deductedAt}|${d.packId}`;
