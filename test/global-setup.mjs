// Every test run checks the bundle built from the current source, never a stale dist/.
import { build } from "../build.mjs";

export default async function globalSetup() {
  await build();
}
