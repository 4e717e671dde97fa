import { diffSnapshots, DEFAULT_NUMBER_FORMAT, enteredAs, fakeSpreadsheetApp, PROTECTED_MESSAGE } from "./spreadsheet";
import { newLog } from "./support";
import { FakeHtmlOutput } from "./html";
import { Button, ButtonSet, menuItems } from "./ui";

const budget = () =>
  fakeSpreadsheetApp(newLog(), {
    sheets: {
      Budget: [
        ["Clip", "Seconds", "Cost"],
        ["intro", "10", "=KLING_COST(\"kling-v3\",\"1080p\",B2)"],
        ["outro", "5", "=KLING_COST(\"kling-v3\",\"720p\",B3)"],
      ],
      Rates: [],
    },
  });

describe("building a spreadsheet from rows and reading it back", () => {
  test("strings starting with = are formulas; numeric text is entered as a number", () => {
    const fake = budget();
    const sheet = fake.service.getActiveSpreadsheet().getSheetByName("Budget")!;
    expect(sheet.getRange("A1:C3").getValues()).toEqual([["Clip", "Seconds", "Cost"], ["intro", 10, ""], ["outro", 5, ""]]);
    expect(sheet.getRange("C2:C3").getFormulas()).toEqual([['=KLING_COST("kling-v3","1080p",B2)'], ['=KLING_COST("kling-v3","720p",B3)']]);
    expect(sheet.getRange("A1").getFormula()).toBe("");
    expect(fake.cell("Budget!C2").evaluations).toBe(0); // opening the sheet is the starting point
    expect(fake.grid("Budget")[1]).toEqual(["intro", 10, '=KLING_COST("kling-v3","1080p",B2)']);
  });

  test("typed input is read as Sheets reads it", () => {
    expect(enteredAs("12.5")).toEqual({ value: 12.5 });
    expect(enteredAs("1,234.5")).toEqual({ value: 1234.5 });
    expect(enteredAs("TRUE")).toEqual({ value: true });
    expect(enteredAs("'0042")).toEqual({ value: "0042" });
    expect(enteredAs("0042", "@")).toEqual({ value: "0042" });
    expect(enteredAs("=A1", "@")).toEqual({ value: "=A1" });
    expect(enteredAs("kling-v3")).toEqual({ value: "kling-v3" });
    expect(enteredAs(null)).toEqual({ value: "" });
  });

  test("getLastRow/getLastColumn/getDataRange follow content; an empty sheet's data range is A1", () => {
    const ss = budget().service.getActiveSpreadsheet();
    const sheet = ss.getSheetByName("Budget")!;
    expect([sheet.getLastRow(), sheet.getLastColumn()]).toEqual([3, 3]);
    expect(sheet.getDataRange().getA1Notation()).toBe("A1:C3");
    const rates = ss.getSheetByName("Rates")!;
    expect([rates.getLastRow(), rates.getLastColumn(), rates.getDataRange().getA1Notation()]).toEqual([0, 0, "A1"]);
    expect([rates.getMaxRows(), rates.getMaxColumns()]).toEqual([1000, 26]);
  });
});

describe("ranges: A1 and numeric forms, sizes and errors", () => {
  test("getRange(row, column, numRows, numColumns) and its A1 notation", () => {
    const sheet = budget().service.getActiveSheet();
    const r = sheet.getRange(2, 2, 3, 4);
    expect([r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns(), r.getLastRow(), r.getLastColumn()]).toEqual([2, 2, 3, 4, 4, 5]);
    expect(r.getA1Notation()).toBe("B2:E4");
    expect(sheet.getRange(3, 1).getA1Notation()).toBe("A3");
    expect(sheet.getRange(1, 1, 2).getA1Notation()).toBe("A1:A2");
    expect(sheet.getRange("$B$2").getA1Notation()).toBe("B2");
  });

  test("whole columns and rows span the sheet and keep their notation", () => {
    const sheet = budget().service.getActiveSheet();
    const col = sheet.getRange("B:B");
    expect([col.getNumRows(), col.getNumColumns(), col.getA1Notation()]).toEqual([1000, 1, "B:B"]);
    expect(col.getValues().slice(0, 4)).toEqual([["Seconds"], [10], [5], [""]]);
    const rows = sheet.getRange("2:3");
    expect([rows.getNumRows(), rows.getNumColumns(), rows.getA1Notation()]).toEqual([2, 26, "2:3"]);
    expect(sheet.getRange("A2:C").getA1Notation()).toBe("A2:C");
  });

  test("out-of-sheet and malformed ranges throw as Sheets does", () => {
    const sheet = budget().service.getActiveSheet();
    expect(() => sheet.getRange(0, 1)).toThrow("The starting row of the range is too small.");
    expect(() => sheet.getRange(1, 0)).toThrow("The starting column of the range is too small.");
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow("The number of rows in the range must be at least 1.");
    expect(() => sheet.getRange(1, 1, 1, 0)).toThrow("The number of columns in the range must be at least 1.");
    expect(() => sheet.getRange(1000, 1, 2, 1)).toThrow("The coordinates of the range are outside the dimensions of the sheet.");
    expect(() => sheet.getRange(1, 26, 1, 2)).toThrow("The coordinates of the range are outside the dimensions of the sheet.");
    expect(() => sheet.getRange("A1:B2:C3")).toThrow("Range not found");
    expect(() => sheet.getRange("AA1")).toThrow("Range not found");
    expect(() => sheet.getRange("Nope!A1")).toThrow("Range not found");
  });

  test("a sheet name in A1: Spreadsheet.getRange goes to that sheet; Sheet.getRange accepts only its own", () => {
    const ss = budget().service.getActiveSpreadsheet();
    expect(ss.getRange("Budget!A2").getValue()).toBe("intro");
    expect(ss.getRange("A3").getValue()).toBe("outro"); // the active sheet
    const rates = ss.getSheetByName("Rates")!;
    expect(rates.getRange("Rates!A1").getSheet().getName()).toBe("Rates");
    expect(() => rates.getRange("Budget!A1")).toThrow("refuses another sheet's name");
  });

  test("setValues/setFormulas/setNumberFormats with the wrong shape throw the real message and write nothing", () => {
    const fake = budget();
    const r = fake.service.getActiveSheet().getRange("E1:F2");
    expect(() => r.setValues([[1, 2]])).toThrow("The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.");
    expect(() => r.setValues([[1, 2], [3]])).toThrow("The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.");
    expect(() => r.setFormulas([["=1", "=2", "=3"], ["=4", "=5", "=6"]])).toThrow("The data has 3 but the range has 2.");
    expect(() => r.setNumberFormats([["0"]])).toThrow("number of rows in the data does not match");
    expect(() => r.setValues("x" as never)).toThrow("The parameters (String) don't match the method signature for SpreadsheetApp.Range.setValues.");
    expect(fake.writes).toEqual([]);
    expect(fake.snapshot()["Budget!E1"]).toBeUndefined();
  });

  test("offset and getCell move within the sheet", () => {
    const sheet = budget().service.getActiveSheet();
    const a1 = sheet.getRange("A1");
    expect(a1.offset(1, 2).getA1Notation()).toBe("C2");
    expect(a1.offset(1, 0, 2, 3).getA1Notation()).toBe("A2:C3");
    expect(sheet.getRange("B2:C3").getCell(2, 1).getValue()).toBe(5);
    expect(() => a1.offset(-1, 0)).toThrow("The starting row of the range is too small.");
    expect(() => sheet.getRange("B2:C3").getCell(3, 1)).toThrow("Cell reference out of range");
  });
});

describe("cell content, formats and the write log", () => {
  test("setValue/setValues enter text as typed; a formula clears the old value; clearContent keeps formats", () => {
    const fake = budget();
    const sheet = fake.service.getActiveSheet();
    sheet.getRange("E1:F1").setValues([["0.126", "=SUM(B2:B3)"]]);
    expect(sheet.getRange("E1:F1").getValues()).toEqual([[0.126, ""]]); // the fake never computes
    expect(sheet.getRange("F1").getFormula()).toBe("=SUM(B2:B3)");
    sheet.getRange("E1").setNumberFormat("$0.000").setFontWeight("bold");
    sheet.getRange("E1").clearContent();
    expect(fake.cell("E1")).toMatchObject({ value: "", formula: "", numberFormat: "$0.000", fontWeight: "bold" });
    sheet.getRange("E1").clear();
    expect(fake.cell("E1")).toMatchObject({ numberFormat: DEFAULT_NUMBER_FORMAT, fontWeight: "normal" });
    expect(sheet.getRange("E2").getNumberFormat()).toBe(DEFAULT_NUMBER_FORMAT);
  });

  test("number formats and font weights per cell", () => {
    const sheet = budget().service.getActiveSheet();
    const r = sheet.getRange("A1:B1");
    r.setNumberFormats([["@", "0.00"]]).setFontWeights([["bold", null]]);
    expect(r.getNumberFormats()).toEqual([["@", "0.00"]]);
    expect(r.getFontWeights()).toEqual([["bold", "normal"]]);
    expect(r.getFontWeight()).toBe("bold");
    expect(() => r.setFontWeight("heavy" as never)).toThrow("Invalid argument");
    sheet.getRange("A1").setValue("007"); // the cell is plain text now
    expect(sheet.getRange("A1").getValue()).toBe("007");
  });

  test("the write log names each cell written and what kind of write it was", () => {
    const fake = budget();
    const sheet = fake.service.getActiveSheet();
    sheet.getRange("E1:E2").setValues([["a"], [""]]);
    sheet.getRange("F1").setFormula("=1+1");
    sheet.getRange("E1").setFontWeight("bold");
    expect(fake.writes).toEqual([
      { cell: "Budget!E1", kind: "value" }, { cell: "Budget!E2", kind: "clear" },
      { cell: "Budget!F1", kind: "formula" }, { cell: "Budget!E1", kind: "fontWeight" },
    ]);
    expect(fake.writtenCells()).toEqual(["Budget!E1", "Budget!E2", "Budget!F1"]);
    expect(fake.writtenCells(["formula"])).toEqual(["Budget!F1"]);
    fake.clearWrites();
    expect(fake.writes).toEqual([]);
  });

  test("snapshots show every non-blank cell and diff to the cells that changed", () => {
    const fake = budget();
    const before = fake.snapshot();
    expect(Object.keys(before)).toHaveLength(9);
    expect(before["Budget!C2"]).toMatchObject({ formula: '=KLING_COST("kling-v3","1080p",B2)', value: "", evaluations: 0 });
    const sheet = fake.service.getActiveSheet();
    sheet.getRange("B2").setValue(12);
    sheet.getRange("D1").setNumberFormat("0%");
    sheet.getRange("A1").setValue("Clip"); // same value: written, but not a change
    expect(diffSnapshots(before, fake.snapshot()).sort()).toEqual(["Budget!B2", "Budget!D1"]);
  });

  test("a RangeList clears several ranges in one logged call", () => {
    const log = newLog();
    const fake = fakeSpreadsheetApp(log, { sheets: { S: [["1", "2", "3"], ["4", "5", "6"]] } });
    const sheet = fake.service.getActiveSheet();
    sheet.getRange("A1").setNumberFormat("0.0");
    log.calls.length = 0;
    const list = sheet.getRangeList(["A1", "C1:C2"]);
    list.clearContent();
    expect(fake.grid("S")).toEqual([["", 2], [4, 5]]); // column C is empty now
    expect(fake.cell("S!A1").numberFormat).toBe("0.0");
    expect(list.getRanges().map((r) => r.getA1Notation())).toEqual(["A1", "C1:C2"]);
    expect(log.calls.slice(0, 2)).toEqual(["sheet.getRangeList(S, A1, C1:C2)", "rangeList.clearContent(S!A1, S!C1:C2)"]);
    list.setNumberFormat("0.00");
    expect(fake.cell("S!C2").numberFormat).toBe("0.00");
  });
});

describe("evaluations: Sheets reruns a custom function only when its formula text changes", () => {
  test("setting a new formula counts; setting the same text again does not; clear then set does", () => {
    const fake = budget();
    const c2 = fake.service.getActiveSheet().getRange("C2");
    const f = c2.getFormula();
    c2.setFormula(f);
    expect(fake.cell("C2").evaluations).toBe(0);
    c2.setFormula(f.replace("1080p", "4k"));
    expect(fake.cell("C2").evaluations).toBe(1);
    c2.setFormula("");
    expect(fake.cell("C2")).toMatchObject({ formula: "", evaluations: 1 });
    c2.setFormula(f);
    expect(fake.cell("C2").evaluations).toBe(2);
    c2.setValue(f); // setValue("=...") enters a formula too, the same one here
    expect(fake.cell("C2").evaluations).toBe(2);
  });

  test("rewriting a block with setFormulas counts only the cells whose text changed", () => {
    const fake = budget();
    const r = fake.service.getActiveSheet().getRange("C2:C3");
    const formulas = r.getFormulas();
    r.setFormulas([[formulas[0]![0]!], [formulas[1]![0]!.replace("720p", "1080p")]]);
    expect([fake.cell("C2").evaluations, fake.cell("C3").evaluations]).toEqual([0, 1]);
    r.clearContent();
    r.setFormulas(formulas);
    expect([fake.cell("C2").evaluations, fake.cell("C3").evaluations]).toEqual([1, 2]);
  });

  test("an evaluate callback supplies results when a formula is (re)evaluated", () => {
    const seen: string[] = [];
    const fake = fakeSpreadsheetApp(newLog(), {
      sheets: { S: [["=OLD()"]] },
      evaluate: (formula, where) => (seen.push(`${where.sheet}!${where.a1} ${formula}`), formula.length),
    });
    const a1 = fake.service.getActiveSheet().getRange("A1");
    expect(a1.getValue()).toBe(""); // opened, not evaluated by the fake
    a1.setFormula("=NEW(1)");
    a1.setFormula("=NEW(1)");
    expect(a1.getValue()).toBe(7);
    expect(seen).toEqual(["S!A1 =NEW(1)"]);
    fake.setComputed("S!A1", 99);
    expect(a1.getValue()).toBe(99);
  });
});

describe("sheets", () => {
  test("insertSheet refuses a name in use (whatever its case) with Sheets' message", () => {
    const ss = budget().service.getActiveSpreadsheet();
    expect(() => ss.insertSheet("Rates")).toThrow('A sheet with the name "Rates" already exists. Please enter another name.');
    expect(() => ss.insertSheet("rates")).toThrow('A sheet with the name "rates" already exists.');
    expect(() => ss.getSheetByName("Budget")!.setName("RATES")).toThrow("already exists");
  });

  test("insertSheet names, places (0-based index) and activates the new sheet", () => {
    const fake = budget();
    const ss = fake.service.getActiveSpreadsheet();
    const t = ss.insertSheet("Template", 0);
    expect(fake.sheetNames()).toEqual(["Template", "Budget", "Rates"]);
    expect(t.getIndex()).toBe(1);
    expect(ss.getActiveSheet().getName()).toBe("Template");
    expect(ss.insertSheet().getName()).toBe("Sheet4");
    expect(ss.getSheetByName("template")).toBeNull(); // lookups are by exact name
    expect(ss.getSheetById(t.getSheetId())!.getName()).toBe("Template");
    expect(ss.getSheets().map((s) => s.getSheetId())[1]).toBe(0); // the first sheet made has id 0
    expect(() => ss.insertSheet("Copy", { template: t } as never)).toThrow("not modelled");
  });

  test("frozen rows, column widths, auto-resize and getParent", () => {
    const fake = budget();
    const ss = fake.service.getActiveSpreadsheet();
    const sheet = ss.getSheetByName("Budget")!;
    sheet.setFrozenRows(1);
    sheet.setColumnWidth(3, 140);
    sheet.autoResizeColumns(1, 2);
    expect([sheet.getFrozenRows(), sheet.getColumnWidth(3), sheet.getColumnWidth(4)]).toEqual([1, 140, 100]);
    expect(fake.autoResized("Budget")).toEqual([1, 2]);
    expect(sheet.getParent()).toBe(ss);
    expect(() => sheet.setColumnWidth(27, 10)).toThrow("out of bounds");
  });

  test("appendRow writes after the last row and grows the sheet when needed", () => {
    const fake = fakeSpreadsheetApp(newLog(), { sheets: [{ name: "Log", rows: [["a"]], maxRows: 1, maxColumns: 2 }] });
    const sheet = fake.service.getActiveSheet();
    sheet.appendRow(["b", "2", "=C1"]);
    expect(fake.grid("Log")).toEqual([["a", "", ""], ["b", 2, "=C1"]]);
    expect([sheet.getMaxRows(), sheet.getMaxColumns()]).toEqual([2, 3]);
  });

  test("named ranges", () => {
    const ss = budget().service.getActiveSpreadsheet();
    expect(ss.getRangeByName("Costs")).toBeNull();
    ss.setNamedRange("Costs", ss.getRange("Budget!C2:C3"));
    expect(ss.getRangeByName("Costs")!.getA1Notation()).toBe("C2:C3");
  });
});

describe("Ui", () => {
  test("menus are recorded as added, with items, separators and submenus", () => {
    const log = newLog();
    const fake = fakeSpreadsheetApp(log, { addonName: "Kling Budget" });
    const ui = fake.service.getUi();
    ui.createAddonMenu()
      .addItem("Open rates", "showRatesSidebar")
      .addSeparator()
      .addSubMenu(ui.createMenu("Templates").addItem("New budget sheet", "insertBudgetTemplate"))
      .addToUi();
    expect(fake.ui.menus).toEqual([{
      caption: "Kling Budget", addon: true,
      entries: [
        { item: "Open rates", functionName: "showRatesSidebar" },
        { separator: true },
        { subMenu: { caption: "Templates", addon: false, entries: [{ item: "New budget sheet", functionName: "insertBudgetTemplate" }] } },
      ],
    }]);
    expect(menuItems(fake.ui)).toEqual([
      { path: "Kling Budget > Open rates", functionName: "showRatesSidebar" },
      { path: "Kling Budget > Templates > New budget sheet", functionName: "insertBudgetTemplate" },
    ]);
    expect(log.calls.filter((c) => c.startsWith("menu.addToUi"))).toEqual(["menu.addToUi(Kling Budget)"]);
  });

  test("a menu changed after addToUi is not what the user sees", () => {
    const fake = fakeSpreadsheetApp(newLog());
    const menu = fake.service.getUi().createMenu("M");
    menu.addItem("one", "f1").addToUi();
    menu.addItem("two", "f2");
    expect(menuItems(fake.ui).map((i) => i.path)).toEqual(["M > one"]);
  });

  test("sidebars and dialogs take an HtmlOutput, nothing else", () => {
    const fake = fakeSpreadsheetApp(newLog());
    const ui = fake.service.getUi();
    const out = new FakeHtmlOutput(newLog(), { current: { Error, Array, Object, Date } }, "<p>x</p>", null);
    ui.showSidebar(out);
    ui.showModalDialog(out, "New budget");
    expect(fake.ui.sidebars).toEqual([out]);
    expect(fake.ui.dialogs).toEqual([{ output: out, title: "New budget", modal: true }]);
    expect(() => ui.showSidebar("<p>x</p>" as never)).toThrow("The parameters (String) don't match the method signature for Ui.showSidebar.");
  });

  test("alerts answer from the queue (OK when empty); a queued answer the dialog cannot give is a test mistake", () => {
    const fake = fakeSpreadsheetApp(newLog());
    const ui = fake.service.getUi();
    expect(ui.alert("Saved")).toBe(Button.OK);
    fake.ui.answers.push(Button.NO, { button: Button.OK, text: "Q3 plan" });
    expect(ui.alert("Replace rates?", "Overwrite the sheet's rates?", ButtonSet.YES_NO)).toBe(ui.Button.NO);
    const answer = ui.prompt("Sheet name?", ButtonSet.OK_CANCEL);
    expect([answer.getSelectedButton(), answer.getResponseText()]).toEqual([Button.OK, "Q3 plan"]);
    expect(fake.ui.alerts.map((a) => [a.title, a.buttons, a.answer])).toEqual([[null, "OK", "OK"], ["Replace rates?", "YES_NO", "NO"]]);
    fake.ui.answers.push(Button.YES);
    expect(() => ui.alert("Done")).toThrow("queued answer YES is not a button of ButtonSet.OK");
    expect(() => ui.alert("Title", "no buttons" as never)).toThrow("don't match the method signature for Ui.alert");
  });

  test("getUi throws where there is no UI (triggers, custom functions); toasts and flushes are counted", () => {
    const fake = fakeSpreadsheetApp(newLog(), { uiAvailable: false });
    expect(() => fake.service.getUi()).toThrow("Cannot call SpreadsheetApp.getUi() from this context.");
    fake.service.getActiveSpreadsheet().toast("Rates refreshed", "Kling", 3);
    fake.service.flush();
    expect(fake.ui.toasts).toEqual([{ message: "Rates refreshed", title: "Kling", timeoutSeconds: 3 }]);
    expect(fake.flushes).toBe(1);
  });
});

describe("protections, fault hooks and edits by people", () => {
  test("a protection the user cannot edit refuses every write touching it, with Sheets' message, and writes nothing", () => {
    const fake = budget();
    fake.protect({ target: "Budget!C3:C9" });
    fake.protect({ target: "Rates", unprotected: ["B2:B3"] });
    const ss = fake.service.getActiveSpreadsheet();
    const sheet = ss.getSheetByName("Budget")!;
    expect(() => sheet.getRange("B2:C3").setValues([[1, 2], [3, 4]])).toThrow(PROTECTED_MESSAGE);
    expect(fake.cell("Budget!B2").value).toBe(10);
    expect(() => sheet.getRange("C3").setNumberFormat("0.00")).toThrow(PROTECTED_MESSAGE);
    sheet.getRange("C2").setFormula("=1");
    expect(fake.cell("Budget!C2").formula).toBe("=1");
    const rates = ss.getSheetByName("Rates")!;
    expect(() => rates.getRange("A1").setValue(1)).toThrow(PROTECTED_MESSAGE);
    expect(() => rates.appendRow([1])).toThrow(PROTECTED_MESSAGE);
    rates.getRange("B2:B3").setValues([[1], [2]]);
    expect(fake.cell("Rates!B3").value).toBe(2);
  });

  test("getProtections lists them by type as Protection objects; canEdit and warning-only protections let writes through", () => {
    const fake = budget();
    fake.protect({ target: "Budget!A1:C1", canEdit: true, description: "header" });
    fake.protect({ target: "Budget!A2", warningOnly: true });
    fake.protect({ target: "Rates", unprotected: ["A1:A2"] });
    const ss = fake.service.getActiveSpreadsheet();
    const { RANGE, SHEET } = fake.service.ProtectionType;
    const ranges = ss.getProtections(RANGE);
    expect(ranges.map((p) => [p.canEdit(), p.isWarningOnly(), p.getDescription(), p.getRange().getA1Notation(), p.getRange().getGridId()])).toEqual([
      [true, false, "header", "A1:C1", 0],
      [false, true, "", "A2", 0],
    ]);
    const [sheetWide] = ss.getProtections(SHEET);
    expect(sheetWide!.getProtectionType()).toBe(SHEET);
    expect(sheetWide!.getRange().getSheet().getName()).toBe("Rates");
    expect(sheetWide!.getUnprotectedRanges().map((r) => r.getA1Notation())).toEqual(["A1:A2"]);
    expect(ss.getSheetByName("Budget")!.getProtections(SHEET)).toEqual([]);
    expect(() => ss.getProtections("RANGE" as never)).toThrow("don't match the method signature");
    ss.getSheetByName("Budget")!.getRange("A1:C2").setValue("x");
    expect(fake.cell("Budget!A2").value).toBe("x");
  });

  test("fault hooks see each read and write with its method, range and count; a throwing write hook stops the write", () => {
    const fake = budget();
    const seen: string[] = [];
    fake.faults.read = (c) => void seen.push(`read ${c.count} ${c.method} ${c.range}`);
    fake.faults.write = (c) => {
      seen.push(`write ${c.count} ${c.method} ${c.range}`);
      if (c.range === "Budget!B3") throw new Error("quota");
    };
    fake.faults.wrote = (c) => void seen.push(`wrote ${c.count}`);
    const sheet = fake.service.getActiveSheet();
    sheet.getRange("C2:C3").getFormulas();
    sheet.getRange("B2").setValue(11);
    expect(() => sheet.getRange("B3").setFormulas([["=1"]])).toThrow("quota");
    expect(fake.cell("Budget!B3").value).toBe(5);
    expect(seen).toEqual(["read 1 getFormulas Budget!C2:C3", "write 1 setValue Budget!B2", "wrote 1", "write 2 setFormulas Budget!B3"]);
    expect(fake.counts()).toEqual({ reads: 1, writes: 2, flushes: 0 });
  });

  test("userEdit types into a cell as a person would: counted as a change, not as a script write, never refused", () => {
    const fake = budget();
    fake.protect({ target: "Budget" });
    fake.userEdit("Budget!C2", "=C3*2");
    fake.userEdit("Budget!B2", "12");
    expect(fake.cell("Budget!C2")).toMatchObject({ formula: "=C3*2", evaluations: 1 });
    expect(fake.cell("Budget!B2").value).toBe(12);
    expect(fake.writtenCells()).toEqual([]);
  });
});
