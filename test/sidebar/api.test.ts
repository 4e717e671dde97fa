// The sidebar's Api type against the server functions src/gas/main.ts exports: `tsc -p .` fails
// here when a parameter or result type of either side changes without the other.
import type * as server from "../../src/gas/main";
import type { Api } from "../../src/sidebar/server";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Server = Pick<typeof server, keyof Api>;
type Agrees = { [K in keyof Api]: Same<Parameters<Api[K]>, Parameters<Server[K]>> extends true ? Same<ReturnType<Api[K]>, ReturnType<Server[K]>> : false };

const agrees: Agrees = {
  getRatesState: true,
  previewRates: true,
  previewReset: true,
  previewRestore: true,
  saveRates: true,
  undoRates: true,
  fetchRateCard: true,
  recalculateKlingFormulas: true,
  getKlingAccountState: true,
  connectKlingAccount: true,
  testKlingConnection: true,
  disconnectKlingAccount: true,
  syncKlingAccount: true,
  getKlingReminders: true,
  setKlingReminders: true,
  removeKlingReminders: true,
};

test("every function the sidebar calls is exported by the server with the same types", () => {
  expect(Object.values(agrees).every(Boolean)).toBe(true);
});
