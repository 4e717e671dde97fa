// HtmlService: HtmlOutput from a string or from <name>.html in a directory (dist/ by default, where
// the build puts what clasp pushes). Scriptlet templates are not modelled.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FakeBlob } from "./utilities";
import { exception, isEnumValue, makeEnum, nodeRealm, signatureError, type EnumValue, type RealmRef, type ServiceLog } from "./support";

export const SandboxMode = makeEnum(["EMULATED", "IFRAME", "NATIVE"]);
export const XFrameOptionsMode = makeEnum(["ALLOWALL", "DEFAULT"]);

export const DEFAULT_HTML_DIR = join(__dirname, "../../dist");

export class FakeHtmlOutput {
  readonly #log: ServiceLog;
  readonly #realm: RealmRef;
  #content: string;
  #title = "";
  #width: number | null = null;
  #height: number | null = null;
  #sandboxMode: EnumValue = SandboxMode.IFRAME;
  #xFrameOptionsMode: EnumValue = XFrameOptionsMode.DEFAULT;
  #metaTags: Array<{ name: string; content: string }> = [];
  /** The file it came from, or null for createHtmlOutput(). */
  readonly file: string | null;

  constructor(log: ServiceLog, realm: RealmRef, content: string, file: string | null) {
    this.#log = log;
    this.#realm = realm;
    this.#content = content;
    this.file = file;
  }

  // Unlogged reads for tests.
  get state() {
    return {
      title: this.#title, content: this.#content, width: this.#width, height: this.#height,
      sandboxMode: this.#sandboxMode.name(), xFrameOptionsMode: this.#xFrameOptionsMode.name(),
      metaTags: this.#metaTags.map((t) => ({ ...t })), file: this.file,
    };
  }

  getContent(): string {
    this.#log.calls.push("htmlOutput.getContent()");
    return this.#content;
  }
  setContent(content: string): FakeHtmlOutput {
    this.#log.calls.push("htmlOutput.setContent()");
    this.#content = String(content);
    return this;
  }
  append(content: string): FakeHtmlOutput {
    this.#log.calls.push("htmlOutput.append()");
    this.#content += String(content);
    return this;
  }
  appendUntrusted(content: string): FakeHtmlOutput {
    this.#log.calls.push("htmlOutput.appendUntrusted()");
    this.#content += String(content).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    return this;
  }
  clear(): FakeHtmlOutput {
    this.#log.calls.push("htmlOutput.clear()");
    this.#content = "";
    return this;
  }
  getTitle(): string {
    this.#log.calls.push("htmlOutput.getTitle()");
    return this.#title;
  }
  setTitle(title: string): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.setTitle(${title})`);
    this.#title = String(title);
    return this;
  }
  getWidth(): number | null {
    this.#log.calls.push("htmlOutput.getWidth()");
    return this.#width;
  }
  setWidth(width: number): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.setWidth(${width})`);
    if (!Number.isInteger(width)) throw signatureError(this.#realm, "HtmlOutput.setWidth", [width]);
    this.#width = width;
    return this;
  }
  getHeight(): number | null {
    this.#log.calls.push("htmlOutput.getHeight()");
    return this.#height;
  }
  setHeight(height: number): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.setHeight(${height})`);
    if (!Number.isInteger(height)) throw signatureError(this.#realm, "HtmlOutput.setHeight", [height]);
    this.#height = height;
    return this;
  }
  setSandboxMode(mode: EnumValue): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.setSandboxMode(${String(mode)})`);
    if (!isEnumValue(mode, SandboxMode)) throw signatureError(this.#realm, "HtmlOutput.setSandboxMode", [mode]);
    // Every mode runs as IFRAME nowadays; the fake only records what was asked.
    this.#sandboxMode = mode;
    return this;
  }
  setXFrameOptionsMode(mode: EnumValue): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.setXFrameOptionsMode(${String(mode)})`);
    if (!isEnumValue(mode, XFrameOptionsMode)) throw signatureError(this.#realm, "HtmlOutput.setXFrameOptionsMode", [mode]);
    this.#xFrameOptionsMode = mode;
    return this;
  }
  addMetaTag(name: string, content: string): FakeHtmlOutput {
    this.#log.calls.push(`htmlOutput.addMetaTag(${name})`);
    this.#metaTags.push({ name: String(name), content: String(content) });
    return this;
  }
  getBlob(): FakeBlob {
    this.#log.calls.push("htmlOutput.getBlob()");
    return new FakeBlob(this.#log, this.#realm, Buffer.from(this.#content, "utf8"), "text/html", this.#title || null);
  }
}

export function isHtmlOutput(value: unknown): value is FakeHtmlOutput {
  return value instanceof FakeHtmlOutput;
}

export function fakeHtmlService(log: ServiceLog, options: { dir?: string; realm?: RealmRef } = {}) {
  const realm = options.realm ?? nodeRealm();
  const config = { dir: options.dir ?? DEFAULT_HTML_DIR };
  const outputs: FakeHtmlOutput[] = [];
  const make = (content: string, file: string | null) => {
    const out = new FakeHtmlOutput(log, realm, content, file);
    outputs.push(out);
    return out;
  };
  const notModelled = (method: string) => () => {
    throw new Error(`HtmlService.${method} is not modelled by the fake`);
  };
  const service = {
    SandboxMode,
    XFrameOptionsMode,
    createHtmlOutput(html?: string | FakeBlob): FakeHtmlOutput {
      log.calls.push("html.createHtmlOutput()");
      if (html instanceof FakeBlob) return make(html.buffer.toString("utf8"), null);
      if (html !== undefined && typeof html !== "string") throw signatureError(realm, "HtmlService.createHtmlOutput", [html]);
      return make(html ?? "", null);
    },
    createHtmlOutputFromFile(filename: string): FakeHtmlOutput {
      log.calls.push(`html.createHtmlOutputFromFile(${filename})`);
      if (typeof filename !== "string") throw signatureError(realm, "HtmlService.createHtmlOutputFromFile", [filename]);
      // Project files are named without ".html"; a name that carries it is taken the same way.
      const base = filename.replace(/\.html$/, "");
      const path = join(config.dir, `${base}.html`);
      if (!base || !existsSync(path)) throw exception(realm, `No HTML file named ${filename} was found.`);
      return make(readFileSync(path, "utf8"), base);
    },
    createTemplate: notModelled("createTemplate"),
    createTemplateFromFile: notModelled("createTemplateFromFile"),
    getUserAgent: () => (log.calls.push("html.getUserAgent()"), "Mozilla/5.0 (fake)"),
  };
  return { service, config, outputs };
}
