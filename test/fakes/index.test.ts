import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { loadBundle } from "../bundle/harness";
import { fakeServices } from "./index";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// A script in the style of the coming feature, run as Apps Script runs one: plain globals in a vm.
const SCRIPT = `
function onOpen(e) {
  var menu = SpreadsheetApp.getUi().createAddonMenu().addItem("Open rates", "showRates");
  if (e && e.authMode !== ScriptApp.AuthMode.NONE) menu.addItem("Refresh", "refreshRates");
  menu.addToUi();
}
function showRates() {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile("Sidebar").setTitle("Kling rates"));
}
function refreshRates() {
  var lock = LockService.getDocumentLock();
  if (!lock.tryLock(5000)) return "busy";
  try {
    var text = UrlFetchApp.fetch("https://rates.example/v1.json").getContentText();
    var packed = Utilities.base64Encode(Utilities.gzip(Utilities.newBlob(text)).getBytes());
    PropertiesService.getDocumentProperties().setProperty("rates", packed);
    CacheService.getDocumentCache().put("rates", text, 3600);
    console.log("saved " + text.length + " chars");
    return "saved";
  } finally {
    lock.releaseLock();
  }
}
function readBack() {
  var packed = PropertiesService.getDocumentProperties().getProperty("rates");
  return Utilities.ungzip(Utilities.newBlob(Utilities.base64Decode(packed), "application/x-gzip")).getDataAsString();
}
function kinds() {
  var values = SpreadsheetApp.getActiveSheet().getRange("A1:B2").getValues();
  var bytes = Utilities.newBlob("x").getBytes();
  var caught;
  try { SpreadsheetApp.getActiveSheet().getRange(0, 1); } catch (e) { caught = e; }
  return [values instanceof Array, values[0] instanceof Array, bytes instanceof Array, typeof bytes.subarray,
    caught instanceof Error, String(caught)];
}
`;

function run(fakes: ReturnType<typeof fakeServices>) {
  const context = vm.createContext({ ...fakes.globals });
  vm.runInContext(SCRIPT, context);
  fakes.useRealm(context);
  return (name: string, ...args: unknown[]) => (context[name] as (...a: unknown[]) => unknown)(...args);
}

describe("fakeServices", () => {
  test("provides every service the feature needs as globals, sharing one log", () => {
    const fakes = fakeServices();
    expect(Object.keys(fakes.globals).sort()).toEqual([
      "CacheService", "HtmlService", "LockService", "Logger", "MailApp", "PropertiesService", "ScriptApp",
      "Session", "SpreadsheetApp", "UrlFetchApp", "Utilities", "console",
    ]);
    fakes.globals.PropertiesService.getDocumentProperties().getProperty("a");
    fakes.globals.SpreadsheetApp.flush();
    expect(fakes.log.calls).toEqual(["properties.getProperty(a)", "spreadsheetApp.flush()"]);
  });

  test("a script's menu, sidebar, lock, fetch, gzip and storage all go through the fakes", () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-services-"));
    made.push(dir);
    writeFileSync(join(dir, "Sidebar.html"), "<h1>Rates</h1>");
    const fakes = fakeServices({ htmlDir: dir, routes: { "https://rates.example/v1.json": { body: '{"kling-v3":0.14}' } } });
    const call = run(fakes);

    call("onOpen", fakes.openEvent("NONE"));
    expect(fakes.menuItems().map((i) => i.functionName)).toEqual(["showRates"]);
    call("onOpen", fakes.openEvent("FULL"));
    expect(fakes.ui.menus[1]!.entries).toHaveLength(2);

    call("showRates");
    expect(fakes.ui.sidebars.map((s) => s.state)).toMatchObject([{ title: "Kling rates", content: "<h1>Rates</h1>" }]);

    expect(call("refreshRates")).toBe("saved");
    expect(call("readBack")).toBe('{"kling-v3":0.14}');
    expect(fakes.cache.expirationOf("rates")).toBe(3600);
    expect(fakes.urlFetch.requests.map((r) => r.url)).toEqual(["https://rates.example/v1.json"]);
    expect(fakes.logged).toEqual(["saved 17 chars"]);
    expect(fakes.lock.holder()).toBeNull();

    fakes.lock.holdElsewhere();
    expect(call("refreshRates")).toBe("busy");
    expect(fakes.clock.now()).toBe(5000);
  });

  test("a lock left held by a failed execution is released when the next execution starts", () => {
    const fakes = fakeServices();
    const first = vm.createContext({ ...fakes.globals });
    fakes.newExecution(first);
    vm.runInContext("LockService.getDocumentLock().waitLock(1000); // then the execution dies", first);
    expect(fakes.lock.holder()).toBe("this execution");
    const second = vm.createContext({ ...fakes.globals });
    expect(vm.runInContext("LockService.getDocumentLock().tryLock(100)", second)).toBe(false); // still held
    fakes.newExecution(second);
    expect(vm.runInContext("LockService.getDocumentLock().tryLock(100)", second)).toBe(true);
  });

  test("after useRealm, results are the script's own arrays and errors", () => {
    const call = run(fakeServices({ spreadsheet: { sheets: { S: [["a", "1"]] } } }));
    expect(call("kinds")).toEqual([true, true, true, "undefined", true, "Exception: The starting row of the range is too small."]);
  });

  test("without useRealm they would not be, which is why it exists", () => {
    const fakes = fakeServices();
    const context = vm.createContext({ ...fakes.globals });
    vm.runInContext(SCRIPT, context);
    expect((context.kinds as () => unknown[])().slice(0, 3)).toEqual([false, false, false]);
  });

  // What the bundle asks of the services belongs to the feature's tests; here only that it runs on them.
  test("dist/Code.js loads with the fakes through the harness and runs a custom function on them", () => {
    const fakes = fakeServices();
    const { context, call, globals } = loadBundle(fakes.globals);
    fakes.useRealm(context);
    expect(globals).toContain("KLING_RATES");
    const table = call("KLING_RATES");
    expect(Array.isArray(table) && (table as unknown[]).length > 1).toBe(true);
    for (const c of fakes.log.calls) expect(c).toMatch(/^\w+\.\w+\(.*\)$/);
  });
});
