import { showInvisible } from "./text/names";

/** A problem with what the user typed: its message is shown in the cell, so it must say what to do. */
export class InputError extends Error {
  override name = "InputError";
}

// Sheets hands dates over as Date objects; in tests they may come from another realm, so no instanceof.
export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === "[object Date]";
}

/** An empty cell; text of only spaces counts as empty too. */
export function isBlank(value: unknown): boolean {
  return value === "" || value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** How a given value is quoted back to the user in a message. */
export function describeValue(value: unknown): string {
  if (isBlank(value)) return "blank";
  if (typeof value === "string") {
    const text = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `"${showInvisible(text)}"`; // a pasted zero-width space shows as [U+200B]
  }
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (isDate(value)) return "a date";
  if (Array.isArray(value)) return "a range";
  return "a value of an unexpected kind";
}

/** Joins choices the way a sentence does: "a, b or c". */
export function listOf(items: readonly string[], last = "or"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}
