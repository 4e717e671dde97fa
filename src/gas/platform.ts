// Small helpers every part of the Apps Script edge needs.

/** What a thrown value says, whichever realm it came from (the platform's errors are not always this script's Error). */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/** A JSON value in the user's own properties, or undefined when there is none or it does not parse. */
export function readUserJson<T>(key: string): T | undefined {
  try {
    const text = PropertiesService.getUserProperties().getProperty(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}
