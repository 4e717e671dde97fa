/** dict[key] when it is dict's own entry: names come from users, and "constructor" must not find Object.prototype's. */
export function own<T>(dict: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return dict && Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}
