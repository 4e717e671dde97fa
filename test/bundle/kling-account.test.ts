// The Kling account through the built bundle: connect, sync and the functions over the synced
// sheets, with UrlFetchApp routed to the fake Kling API and every other service faked.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import vm from "node:vm";
import { PACK_COLUMNS, USAGE_COLUMNS } from "../../src/core/actuals/sheets";
import type { KlingAccountAnswer, KlingAccountState, SyncOutcome } from "../../src/gas/account-types";
import { diffSnapshots, fakeServices } from "../fakes/index";
import { type FakeDeduction, type FakeKlingOptions, billed, fakeKlingApi, samplePacksAndUsage } from "../fakes/kling-api";
import { forwardTo } from "../fakes/sync-http";
import { loadBundle } from "./harness";

const HOST = "https://api-singapore.klingai.com";
const API_KEY = "kb-test-api-key-7c1d4f2a";
const ACCESS_KEY = "ak-test-5e9b";
const SECRET_KEY = "sk-very-secret-0d3c";
const START = Date.UTC(2026, 10, 29, 9);

function account(options: FakeKlingOptions & { sheets?: Record<string, unknown[][]>; locale?: string } = {}) {
  const fakes = fakeServices({ session: { activeUserEmail: "ana@example.com" }, spreadsheet: { locale: options.locale, sheets: options.sheets ?? { Budget: [["Month", "Budget"]] } } });
  const now = () => START + fakes.clock.now();
  const sample = samplePacksAndUsage(START);
  const api = fakeKlingApi({ apiKeys: [API_KEY], accessKeys: { [ACCESS_KEY]: SECRET_KEY }, packs: sample.packs, deductions: sample.deductions, now, ...options });
  for (const host of ["https://api-singapore.klingai.com", "https://api-beijing.klingai.com"]) {
    fakes.urlFetch.routes.set(`${host}/*`, (request) =>
      api.route({ method: request.method, path: request.url.slice(host.length), authorization: request.headers.Authorization ?? "", body: String(request.payload ?? "") }));
  }
  /** One execution; the script's clock is the fake clock, and answers cross as JSON as google.script.run sends them. */
  function run<T>(name: string, ...args: unknown[]): T {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    (context as Record<string, unknown>).__now = now;
    vm.runInContext("Date.now = function () { return __now(); };", context);
    return JSON.parse(JSON.stringify(call(name, ...args) ?? null)) as T;
  }
  /** A formula's execution: the synced sheet's cells as Sheets hands a range to a custom function. */
  function formula(name: string, ...args: unknown[]): unknown {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    try {
      return call(name, ...args);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  const values = (sheet: string) => {
    const s = fakes.spreadsheet.spreadsheet.getSheetByName(sheet);
    if (!s) throw new Error(`no sheet ${sheet}`);
    return s.getRange(1, 1, s.getLastRow(), s.getLastColumn()).getValues();
  };
  return { fakes, api, run, formula, values };
}


describe("connecting", () => {
  test("an API key is checked with one call, kept in the user's own properties, and shown only by its last four characters", () => {
    const { fakes, api, run } = account();
    const answer = run<KlingAccountAnswer>("connectKlingAccount", HOST, API_KEY, "", "");
    expect(answer.ok).toBe(true);
    expect(answer.message).toBe("Connected. Kling answered: 3 resource packs, 2 online");
    expect(api.state.requests).toHaveLength(1);
    expect(answer.state).toEqual({ connected: true, host: HOST, auth: "API key", keyHint: "key ending in ...4f2a", hosts: [HOST, "https://api-beijing.klingai.com"] });
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
    expect(JSON.stringify([...fakes.properties.data])).not.toContain(API_KEY);
    expect(JSON.stringify([...fakes.properties.userData])).toContain(API_KEY);
  });

  test("an access key and secret key sign a JWT Kling's way: HS256, iss, exp = now + 1800, nbf = now - 5", () => {
    const { api, run } = account();
    expect(run<KlingAccountAnswer>("connectKlingAccount", HOST, "", ACCESS_KEY, SECRET_KEY).ok).toBe(true);
    const claims = api.state.claims[0]!;
    const seconds = Math.floor(api.state.requests[0]!.at / 1000);
    expect(claims).toEqual({ iss: ACCESS_KEY, exp: seconds + 1800, nbf: seconds - 5 });
    expect(api.state.requests[0]!.auth).toBe("jwt");
  });

  test.each([
    ["a key Kling refuses", [HOST, "wrong-key", "", ""], "Not connected: the key was refused (HTTP 401: Authentication failed); check it under Kling account, or connect again"],
    ["a wrong secret key", [HOST, "", ACCESS_KEY, "not-the-secret"], "Not connected: the key was refused (HTTP 401: Authentication failed); check it under Kling account, or connect again"],
    ["a host that is not Kling's", ["https://evil.example.com", API_KEY, "", ""], 'host: "https://evil.example.com" is not a Kling API host; choose https://api-singapore.klingai.com or https://api-beijing.klingai.com'],
    ["a blank secret key", [HOST, "", ACCESS_KEY, " "], "Secret key is blank; paste it from Kling's developer console"],
  ])("%s is not stored, and the message says why", (_, args, message) => {
    const { fakes, run } = account();
    const answer = run<KlingAccountAnswer>("connectKlingAccount", ...args);
    expect(answer).toMatchObject({ ok: false, message, state: { connected: false } });
    expect([...fakes.properties.userData]).toEqual([]);
  });

  test("another editor of the spreadsheet does not see the connection; disconnect removes it", () => {
    const { fakes, run } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    const other = fakeServices({ properties: Object.fromEntries(fakes.properties.data) });
    const { call } = loadBundle(other.globals);
    expect((call("getKlingAccountState") as KlingAccountState).connected).toBe(false);
    expect(run<KlingAccountAnswer>("disconnectKlingAccount").state.connected).toBe(false);
    expect([...fakes.properties.userData]).toEqual([]);
  });
});

describe("syncing", () => {
  test("writes one row per pack and per deduction, re-prices each task from the rate table, and flags a difference", () => {
    const { run, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    const outcome = run<SyncOutcome>("syncKlingAccount");
    expect(outcome).toEqual({ ok: true, message: "Synced 3 packs and 36 new usage rows", packs: 3, newUsageRows: 36, continues: false });
    const packs = values("Kling packs");
    expect(packs[0]).toEqual([...PACK_COLUMNS]);
    expect(packs.slice(1).map((r) => r[0])).toEqual(["Trial-Video-1000Units-30Days", "Standard-Video-20000Units-180Days", "Trial-Video-500Units-30Days"]);
    const usage = values("Kling usage");
    expect(usage[0]).toEqual([...USAGE_COLUMNS]);
    expect(usage).toHaveLength(37);
    const check = USAGE_COLUMNS.indexOf("Check");
    const flagged = usage.slice(1).filter((r) => r[check] !== "ok");
    expect(flagged.map((r) => [r[0], r[check]])).toEqual([["task-1007", "Kling billed +1 units vs the rate table"]]);
  });

  test("a second sync adds only new deductions, and a column the analyst added beside the synced ones stays", () => {
    const { fakes, api, run, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    const usageSheet = fakes.spreadsheet.spreadsheet.getSheetByName("Kling usage")!;
    // A date cell that kept only whole seconds must not make the same deduction look new.
    const dates = usageSheet.getRange(2, 2, 36, 1);
    dates.setValues(dates.getValues().map(([d]) => [new Date(Math.floor((d as Date).getTime() / 1000) * 1000 - 1)]));
    usageSheet.getRange(1, USAGE_COLUMNS.length + 2).setValue("My note");
    usageSheet.getRange(5, USAGE_COLUMNS.length + 2).setValue("check this one");
    fakes.clock.advance(2 * 60 * 60 * 1000);
    api.state.deductions.push({ ...api.state.deductions[0]!, task_id: "task-new", deduction_time: String(START + 60 * 60 * 1000) });
    const budget = fakes.spreadsheet.grid("Budget");
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: true, newUsageRows: 1 });
    expect(fakes.spreadsheet.grid("Budget")).toEqual(budget);
    expect(fakes.spreadsheet.sheetNames()).toEqual(["Budget", "Kling usage", "Kling packs"]);
    const usage = values("Kling usage");
    expect(usage).toHaveLength(38);
    expect(new Set(usage.slice(1).map((r) => `${r[0]}|${(r[1] as Date).getTime()}|${r[12]}`)).size).toBe(37);
    expect(usage[4]![USAGE_COLUMNS.length + 1]).toBe("check this one");
    expect(usage[0]![USAGE_COLUMNS.length + 1]).toBe("My note");
  });

  test("a row the analyst cleared in the middle is not filled: new rows go after the last one used", () => {
    const { fakes, api, run, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    const usageSheet = fakes.spreadsheet.spreadsheet.getSheetByName("Kling usage")!;
    usageSheet.getRange(5, 1, 1, USAGE_COLUMNS.length).clearContent();
    const last = values("Kling usage")[36]!;
    fakes.clock.advance(60 * 60 * 1000);
    api.state.deductions.push({ ...api.state.deductions[0]!, task_id: "task-new", deduction_time: String(START + 30 * 60 * 1000) });
    // The cleared row's task is older than the day a sync reads again: only task-new is added.
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: true, newUsageRows: 1 });
    const usage = values("Kling usage");
    expect(usage[36]).toEqual(last);
    expect(usage[37]![0]).toBe("task-new");
    expect(usage[4]!.slice(0, USAGE_COLUMNS.length).every((c) => c === "")).toBe(true);
  });

  test("content under the packs table and formulas the sync would overwrite are kept", () => {
    const { fakes, api, run, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    const packsSheet = fakes.spreadsheet.spreadsheet.getSheetByName("Kling packs")!;
    packsSheet.getRange(7, 1).setValue("Notes under the packs");
    packsSheet.getRange(8, 5).setFormula("=SUM(E2:E4)");
    api.state.packs.pop(); // one pack fewer: its row is blanked, the notes stay
    fakes.clock.advance(60 * 60 * 1000);
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: true, packs: 2 });
    expect(values("Kling packs")[3]!.slice(0, PACK_COLUMNS.length).every((c) => c === "")).toBe(true);
    expect(values("Kling packs")[6]![0]).toBe("Notes under the packs");
    expect(fakes.spreadsheet.cell("'Kling packs'!E8").formula).toBe("=SUM(E2:E4)");
  });

  test("a resume cursor Kling refuses does not block later syncs, and connecting again forgets it", () => {
    const { fakes, api, run, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    fakes.properties.userData.set("kb.kling.resume", JSON.stringify({ host: HOST, cursor: "stale" }));
    api.state.failNext.push({ status: 400, path: "/account/billing" });
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: false });
    expect(fakes.properties.userData.has("kb.kling.resume")).toBe(false);
    fakes.clock.advance(2000);
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: true, newUsageRows: 36 });
    fakes.properties.userData.set("kb.kling.resume", JSON.stringify({ host: HOST, cursor: "stale" }));
    run("connectKlingAccount", HOST, API_KEY, "", "");
    expect(fakes.properties.userData.has("kb.kling.resume")).toBe(false);
    expect(values("Kling usage")).toHaveLength(37);
  });

  test("pages through every deduction at most one request a second", () => {
    const { api, run, values } = account({ pageSize: 5 });
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    expect(values("Kling usage")).toHaveLength(37);
    expect(api.state.requests.filter((r) => r.path.startsWith("/account/billing"))).toHaveLength(8); // 36 rows, 5 a page
    expect(api.peakPerSecond()).toBe(1);
  });

  test("a 429 waits and tries again; 5xx backs off and then gives up, leaving the sheets unchanged", () => {
    const first = account();
    first.run("connectKlingAccount", HOST, API_KEY, "", "");
    first.api.state.failNext.push(429, 503);
    expect(first.run<SyncOutcome>("syncKlingAccount").ok).toBe(true);
    expect(first.api.state.requests.map((r) => r.status).slice(1, 4)).toEqual([429, 503, 200]);

    const second = account();
    second.run("connectKlingAccount", HOST, API_KEY, "", "");
    second.run("syncKlingAccount");
    const before = second.fakes.spreadsheet.snapshot();
    second.api.state.deductions.push({ ...second.api.state.deductions[0]!, task_id: "task-late", deduction_time: String(START - 1000) });
    // The packs call succeeds; the usage call never does.
    const usageFails = { status: 503, path: "/account/billing" };
    second.api.state.failNext.push(usageFails, usageFails, usageFails, usageFails);
    const outcome = second.run<SyncOutcome>("syncKlingAccount");
    expect(outcome).toMatchObject({ ok: false, message: "Sync failed; the sheets are unchanged. Kling's server failed (HTTP 503: server busy) 4 times; try again later" });
    expect(diffSnapshots(before, second.fakes.spreadsheet.snapshot())).toEqual([]);
  });

  test.each([
    ["a later sync", true],
    ["the first sync, which made both sheets", false],
  ])("%s: a write refused on the packs sheet after the usage rows were written puts back everything", (_, synced) => {
    const { fakes, api, run } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    if (synced) run("syncKlingAccount");
    const before = fakes.spreadsheet.snapshot();
    const sheets = fakes.spreadsheet.sheetNames();
    api.state.deductions.push({ ...api.state.deductions[0]!, task_id: "task-new", deduction_time: String(START + 30 * 60 * 1000) });
    let usageWritten = false;
    fakes.spreadsheet.faults.write = ({ range }) => {
      if (range.startsWith("'Kling usage'")) usageWritten = true;
      if (range.startsWith("'Kling packs'")) throw new Error("You are trying to edit a protected cell or object.");
    };
    fakes.clock.advance(60 * 60 * 1000);
    const outcome = run<SyncOutcome>("syncKlingAccount");
    fakes.spreadsheet.faults.write = undefined;
    expect(usageWritten).toBe(true);
    expect(outcome).toMatchObject({ ok: false, message: "Sync failed while writing; the sheets are as they were. You are trying to edit a protected cell or object." });
    expect(fakes.spreadsheet.sheetNames()).toEqual(sheets);
    expect(diffSnapshots(before, fakes.spreadsheet.snapshot())).toEqual([]);
  });

  test("a write that fails after the packs were written puts back their values, formulas and formats", () => {
    const { fakes, api, run } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    const packsSheet = fakes.spreadsheet.spreadsheet.getSheetByName("Kling packs")!;
    packsSheet.getRange(3, 2).setFormula('="analyst\'s own"');
    const before = fakes.spreadsheet.snapshot();
    const getRange = packsSheet.getRange.bind(packsSheet) as unknown as (...a: unknown[]) => { setNumberFormats: () => void };
    (packsSheet as unknown as { getRange: (...a: unknown[]) => unknown }).getRange = (...a: unknown[]) => {
      const range = getRange(...a);
      range.setNumberFormats = () => {
        throw new Error("Service Spreadsheets failed while accessing document");
      };
      return range;
    };
    api.state.packs[0]!.remaining_quantity = 1;
    fakes.clock.advance(60 * 60 * 1000);
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: false, message: "Sync failed while writing; the sheets are as they were. Service Spreadsheets failed while accessing document" });
    (packsSheet as unknown as { getRange: unknown }).getRange = getRange;
    // The same cells, the analyst's formula included (written back, so Sheets computes it once more).
    const cells = (snapshot: ReturnType<typeof fakes.spreadsheet.snapshot>) => Object.fromEntries(Object.entries(snapshot).map(([k, { evaluations: _, ...c }]) => [k, c]));
    expect(cells(fakes.spreadsheet.snapshot())).toEqual(cells(before));
    expect(fakes.spreadsheet.cell("'Kling packs'!B3").formula).toBe('="analyst\'s own"');
  });

  test("near the 6-minute limit a sync writes what it read, and a trigger resumes from the cursor", () => {
    const many: FakeDeduction[] = Array.from({ length: 400 }, (_, i) => ({
      ...samplePacksAndUsage(START).deductions[0]!, task_id: `bulk-${i}`, deduction_time: String(START - 20 * 86400000 + i * 1000),
    }));
    const { fakes, run, values } = account({ deductions: billed(many), pageSize: 1 });
    run("connectKlingAccount", HOST, API_KEY, "", "");
    const first = run<SyncOutcome>("syncKlingAccount");
    expect(first.continues).toBe(true);
    expect(first.newUsageRows).toBeGreaterThan(200);
    expect(first.newUsageRows).toBeLessThan(400);
    expect(fakes.triggers).toEqual([{ handler: "syncKlingAccount", kind: "after", value: 60000 }]);
    const second = run<SyncOutcome>("syncKlingAccount");
    expect(second).toMatchObject({ ok: true, continues: false, newUsageRows: 400 - first.newUsageRows });
    const usage = values("Kling usage");
    expect(usage).toHaveLength(401);
    expect(new Set(usage.slice(1).map((r) => r[0])).size).toBe(400);
  });
});

describe("secrets", () => {
  test("neither the API key nor the secret key reaches a document property, a cell, a log line or a sidebar answer", () => {
    for (const args of [[HOST, API_KEY, "", ""], [HOST, "", ACCESS_KEY, SECRET_KEY]]) {
      const { fakes, api, run } = account();
      const answers = [
        run("connectKlingAccount", ...args), run("getKlingAccountState"), run("testKlingConnection"), run("syncKlingAccount"),
      ];
      api.state.failNext.push(401);
      answers.push(run("syncKlingAccount"));
      const secret = args[1] || args[3]!;
      const everywhere = JSON.stringify([answers, [...fakes.properties.data], fakes.spreadsheet.snapshot(), fakes.logged]);
      expect(everywhere).not.toContain(secret);
    }
  });
});

describe("the functions over the synced sheets", () => {
  test("KLING_EXPIRING, KLING_RUNWAY and KLING_ACTUAL follow a sync", () => {
    const { api, fakes, run, formula, values } = account();
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("syncKlingAccount");
    const expiring = formula("KLING_EXPIRING", values("Kling packs"));
    const runway = formula("KLING_RUNWAY", values("Kling packs"), values("Kling usage"));
    const actual = formula("KLING_ACTUAL", values("Kling usage"));
    expect(typeof expiring).toBe("number");
    expect(typeof runway).toBe("number");
    const billed = api.state.deductions.reduce((sum, d) => sum + d.deduction_amount, 0);
    expect(actual).toBeCloseTo(billed, 9);

    api.state.packs[0]!.remaining_quantity = 10;
    fakes.clock.advance(60 * 60 * 1000);
    run("syncKlingAccount");
    expect(formula("KLING_EXPIRING", values("Kling packs"))).toBeLessThan(expiring as number);
  });
});

describe("reminders", () => {
  test("turning reminders on installs one daily trigger; turning them off removes it", () => {
    const { fakes, run } = account();
    expect(run<{ ok: boolean }>("setKlingReminders", "14", "50", "Budget!B2").ok).toBe(true);
    expect(run<{ ok: boolean }>("setKlingReminders", "7", "50", "").ok).toBe(true);
    expect(fakes.triggers).toEqual([{ handler: "klingDailyCheck", kind: "everyDays", value: 1, atHour: 7 }]);
    expect(run<{ ok: boolean; message: string }>("setKlingReminders", "7", "50", "Nowhere!Z9")).toMatchObject({ ok: false, message: "Monthly budget cell: Nowhere!Z9 is not a cell of this spreadsheet; give one such as Budget!B2" });
    run("removeKlingReminders");
    expect(fakes.triggers).toEqual([]);
  });

  test("the fields are read as typed, in the spreadsheet's locale, and named as on screen", () => {
    const { run } = account({ locale: "de_DE" });
    const set = (days: string, threshold: string) => run<{ ok: boolean; message: string; state: { settings: unknown } }>("setKlingReminders", days, threshold, "");
    expect(set("14", "1.000").state.settings).toEqual({ days: 14, thresholdUsd: 1000, budgetCell: "" });
    expect(set("14", "0,5").state.settings).toEqual({ days: 14, thresholdUsd: 0.5, budgetCell: "" });
    expect(set("14", "")).toMatchObject({ ok: false, message: "When worth at least (USD): blank; give an amount in USD, 0 or more (0 = any amount)" });
    expect(set("two weeks", "50")).toMatchObject({ ok: false, message: expect.stringMatching(/^Expiring within \(days\): "two weeks" is not a number; give a whole number of days from 1 to 180/) });
  });

  test("if the platform refuses the new trigger, the reminders that were on stay on", () => {
    const { fakes, run } = account();
    run("setKlingReminders", "14", "50", "");
    const scriptApp = fakes.globals.ScriptApp as unknown as { newTrigger: unknown };
    const newTrigger = scriptApp.newTrigger;
    scriptApp.newTrigger = () => {
      throw new Error("This script has too many triggers.");
    };
    const answer = run<{ ok: boolean; message: string; state: { on: boolean; settings: unknown } }>("setKlingReminders", "7", "10", "");
    scriptApp.newTrigger = newTrigger;
    expect(answer).toMatchObject({ ok: false, message: "Reminders were not changed: Google did not let the add-in set a daily trigger (This script has too many triggers.)", state: { on: true, settings: { days: 14, thresholdUsd: 50, budgetCell: "" } } });
    expect(fakes.triggers).toHaveLength(1);
  });

  test("the daily check syncs and emails the expiring value and the budget level, once a day", () => {
    const { fakes, run, formula, values } = account({ sheets: { Budget: [["Month", "Budget USD"], ["November", 10]] } });
    fakes.session.effectiveUserEmail = "ana@example.com";
    run("connectKlingAccount", HOST, API_KEY, "", "");
    run("setKlingReminders", "14", "1", "Budget!B2");
    run("klingDailyCheck");
    expect(fakes.mail).toHaveLength(1);
    const mail = fakes.mail[0]!;
    expect(mail.to).toBe("ana@example.com");
    const expiring = formula("KLING_EXPIRING", values("Kling packs"), 14, "", "usd") as number;
    expect(expiring).toBeGreaterThan(1);
    expect(mail.body).toContain(`USD ${expiring.toFixed(2)} of resource units will expire unused within 14 days`);
    expect(mail.body).toMatch(/has passed 100% of the budget \(USD 10\.00\)/);
    expect(mail.body).toContain("https://docs.google.com/spreadsheets/d/");
    fakes.clock.advance(60 * 60 * 1000);
    run("klingDailyCheck");
    expect(fakes.mail).toHaveLength(1);
    fakes.clock.advance(24 * 60 * 60 * 1000);
    run("klingDailyCheck");
    expect(fakes.mail).toHaveLength(2);
    expect(fakes.mail[1]!.body).not.toContain("of the budget"); // 100% was told this month already
  });
});

describe("over real HTTP", () => {
  let server: ChildProcess | undefined;
  let base = "";
  beforeAll(async () => {
    server = spawn(join(__dirname, "../../node_modules/.bin/tsx"), ["scripts/fake-kling-api.ts", "--port", "0"], { cwd: join(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
    base = await new Promise<string>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => reject(new Error(`the fake Kling API did not start:\n${output}`)), 20_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const found = /Fake Kling API: (http:\/\/\S+)/.exec(output);
        if (found) clearTimeout(timer), resolve(found[1]!);
      };
      server!.stdout!.on("data", read);
      server!.stderr!.on("data", read);
    });
  });
  afterAll(() => void server?.kill());

  test("the fake Kling API on 127.0.0.1 checks the JWT and serves what a sync writes", () => {
    const fakes = fakeServices({ spreadsheet: { sheets: { Budget: [["Month"]] } } });
    for (const host of ["https://api-singapore.klingai.com", "https://api-beijing.klingai.com"]) fakes.urlFetch.routes.set(`${host}/*`, forwardTo(host, base));
    const run = <T>(name: string, ...args: unknown[]): T => {
      const { context, call } = loadBundle(fakes.globals);
      fakes.newExecution(context);
      return JSON.parse(JSON.stringify(call(name, ...args) ?? null)) as T;
    };
    expect(run<KlingAccountAnswer>("connectKlingAccount", HOST, "", "preview-access-key", "wrong").message).toMatch(/^Not connected: the key was refused \(HTTP 401/);
    expect(run<KlingAccountAnswer>("connectKlingAccount", HOST, "", "preview-access-key", "preview-secret-key").ok).toBe(true);
    expect(run<SyncOutcome>("syncKlingAccount")).toMatchObject({ ok: true, packs: 3, newUsageRows: 36 });
  });
});
