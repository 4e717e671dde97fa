import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_HTML_DIR, fakeHtmlService, SandboxMode, XFrameOptionsMode } from "./html";
import { newLog } from "./support";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-html-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("HtmlService", () => {
  test("createHtmlOutputFromFile reads <name>.html from the directory; the name may carry .html", () => {
    const log = newLog();
    const { service } = fakeHtmlService(log, { dir: dirWith({ "Sidebar.html": "<p>rates</p>" }) });
    expect(service.createHtmlOutputFromFile("Sidebar").getContent()).toBe("<p>rates</p>");
    expect(service.createHtmlOutputFromFile("Sidebar.html").state.file).toBe("Sidebar");
    expect(log.calls.slice(0, 2)).toEqual(["html.createHtmlOutputFromFile(Sidebar)", "htmlOutput.getContent()"]);
  });

  test("a missing file throws Apps Script's message", () => {
    const { service } = fakeHtmlService(newLog(), { dir: dirWith({}) });
    expect(() => service.createHtmlOutputFromFile("Sidebar")).toThrow("No HTML file named Sidebar was found.");
  });

  test("setters chain and are readable back; the modes are enum values, not strings", () => {
    const { service } = fakeHtmlService(newLog());
    const out = service
      .createHtmlOutput("<b>x</b>")
      .setTitle("Kling rates")
      .setWidth(300)
      .setHeight(600)
      .setSandboxMode(service.SandboxMode.IFRAME)
      .setXFrameOptionsMode(service.XFrameOptionsMode.ALLOWALL)
      .append("<i>y</i>");
    expect(out.getTitle()).toBe("Kling rates");
    expect([out.getWidth(), out.getHeight()]).toEqual([300, 600]);
    expect(out.getContent()).toBe("<b>x</b><i>y</i>");
    expect(out.state).toMatchObject({ sandboxMode: "IFRAME", xFrameOptionsMode: "ALLOWALL" });
    expect(service.SandboxMode).toBe(SandboxMode);
    expect(Object.keys(XFrameOptionsMode)).toEqual(["ALLOWALL", "DEFAULT"]);
    expect(() => out.setSandboxMode("IFRAME" as never)).toThrow("don't match the method signature for HtmlOutput.setSandboxMode");
    expect(() => out.setWidth("300px" as never)).toThrow("don't match the method signature");
  });

  test("appendUntrusted escapes; outputs are kept for tests; templates are refused rather than faked", () => {
    const fake = fakeHtmlService(newLog());
    fake.service.createHtmlOutput().appendUntrusted(`<script>"x"</script>`);
    expect(fake.outputs[0]!.state.content).toBe("&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
    expect(() => fake.service.createTemplateFromFile()).toThrow("not modelled");
  });

  test("by default it reads dist/ of this repository, where the build writes Sidebar.html", () => {
    expect(DEFAULT_HTML_DIR).toBe(resolve(__dirname, "../../dist"));
    expect(fakeHtmlService(newLog()).config.dir).toBe(DEFAULT_HTML_DIR);
  });
});
