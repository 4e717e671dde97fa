import { InputError, describeValue, isBlank } from "../errors";

/** A choice among fixed words (case and spaces do not matter); blank gives `fallback`. */
export function readChoice<T extends string>(arg: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (isBlank(value)) return fallback;
  if (typeof value === "string") {
    const key = value.trim().toLowerCase();
    const found = choices.find((c) => c === key);
    if (found) return found;
  }
  throw new InputError(`${arg}: ${describeValue(value)} is not one of the choices; use ${choices.map((c) => `"${c}"`).join(", ")} (blank = "${fallback}")`);
}
