import { InputError } from "../../src/core/errors";

/** The message of the InputError a call throws; fails the test if it returns or throws anything else. */
export function messageOf(call: () => unknown): string {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`expected an InputError, but the call returned ${JSON.stringify(returned)}`);
}
