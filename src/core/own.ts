/** dict[key] when it is dict's own entry: names come from users, and "constructor" must not find Object.prototype's. */
export function own<T>(dict: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return dict && Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

/** A plain object (parsed JSON's kind of record): not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
