import { createRun, type ScriptRunner } from "../../src/sidebar/server";

/** A google.script.run look-alike: each with...Handler returns a new runner; calls answer later. */
function fakeRunner(answer: (name: string, args: unknown[]) => { value?: unknown; error?: unknown }, seen: { name: string; args: unknown[]; self: unknown }[] = []): ScriptRunner {
  const make = (ok?: (v: unknown) => void, fail?: (e: unknown) => void): ScriptRunner => {
    const runner: ScriptRunner = {
      withSuccessHandler: (f) => make(f, fail),
      withFailureHandler: (f) => make(ok, f),
    };
    for (const name of ["getRatesState", "saveRates", "recalculateKlingFormulas"]) {
      runner[name] = function (this: unknown, ...args: unknown[]) {
        seen.push({ name, args, self: this });
        const result = answer(name, args);
        setTimeout(() => ("error" in result ? fail?.(result.error) : ok?.(result.value)), 0);
      };
    }
    return runner;
  };
  return make();
}

test("resolves with the server's answer, calling the function on its runner with the arguments", async () => {
  const seen: { name: string; args: unknown[]; self: unknown }[] = [];
  const run = createRun(() => fakeRunner(() => ({ value: { cells: 3, sheets: 1 } }), seen));
  await expect(run("recalculateKlingFormulas")).resolves.toEqual({ cells: 3, sheets: 1 });
  await run("saveRates", { a: 1 }, 4, "Edited");
  expect(seen[1]).toMatchObject({ name: "saveRates", args: [{ a: 1 }, 4, "Edited"] });
  expect(typeof (seen[1]!.self as ScriptRunner).withSuccessHandler).toBe("function");
});

test("rejects with an Error carrying the server's message, whatever shape the failure has", async () => {
  const run = createRun(() => fakeRunner((_, args) => ({ error: args[0] })));
  const failing = (error: unknown) => createRun(() => fakeRunner(() => ({ error })))("getRatesState");
  await expect(failing(new Error("Exception: Service Spreadsheets timed out"))).rejects.toThrow(new Error("Exception: Service Spreadsheets timed out"));
  await expect(failing({ message: "Authorization is required" })).rejects.toThrow("Authorization is required");
  await expect(failing("plain text")).rejects.toThrow("plain text");
  await expect(run("saveRates", "boom", 1, "x")).rejects.toBeInstanceOf(Error);
});

test("outside Apps Script, or for a function the server lacks, it says so", async () => {
  await expect(createRun(() => undefined)("getRatesState")).rejects.toThrow(/not connected/);
  await expect(createRun(() => fakeRunner(() => ({ value: 1 })))("undoRates", 1)).rejects.toThrow("the server has no function undoRates");
});
