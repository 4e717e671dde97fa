// Sheets' Ui: menus, sidebars, dialogs, alerts and prompts, recorded for assertions. Alerts and
// prompts answer from a queue the test fills (OK by default), since nobody clicks.

import { isHtmlOutput, type FakeHtmlOutput } from "./html";
import { makeEnum, nodeRealm, signatureError, type EnumValue, type RealmRef, type ServiceLog } from "./support";

export const Button = makeEnum(["CLOSE", "OK", "CANCEL", "YES", "NO"]);
export const ButtonSet = makeEnum(["OK", "OK_CANCEL", "YES_NO", "YES_NO_CANCEL"]);

// Closing the dialog is always possible, whatever the buttons.
const ALLOWED: Record<string, EnumValue[]> = {
  OK: [Button.OK, Button.CLOSE],
  OK_CANCEL: [Button.OK, Button.CANCEL, Button.CLOSE],
  YES_NO: [Button.YES, Button.NO, Button.CLOSE],
  YES_NO_CANCEL: [Button.YES, Button.NO, Button.CANCEL, Button.CLOSE],
};

export type MenuEntry =
  | { item: string; functionName: string }
  | { separator: true }
  | { subMenu: MenuRecord };

export interface MenuRecord {
  caption: string;
  addon: boolean;
  entries: MenuEntry[];
}

export interface DialogRecord {
  output: FakeHtmlOutput;
  title: string;
  modal: boolean;
}

export interface AlertRecord {
  title: string | null;
  prompt: string;
  buttons: string;
  answer: string;
}

export interface PromptRecord extends AlertRecord {
  text: string;
}

export type Answer = EnumValue | { button: EnumValue; text?: string };

export interface UiRecords {
  /** false makes SpreadsheetApp.getUi() throw, as in a trigger or custom function. */
  available: boolean;
  addonName: string;
  menus: MenuRecord[];
  sidebars: FakeHtmlOutput[];
  dialogs: DialogRecord[];
  alerts: AlertRecord[];
  prompts: PromptRecord[];
  toasts: Array<{ message: string; title: string; timeoutSeconds: number | null }>;
  answers: Answer[];
}

export function newUiRecords(options: { addonName?: string; available?: boolean } = {}): UiRecords {
  return {
    available: options.available ?? true,
    addonName: options.addonName ?? "Kling Budget",
    menus: [], sidebars: [], dialogs: [], alerts: [], prompts: [], toasts: [], answers: [],
  };
}

/** Every menu item as "Menu > Sub > Item" with its function name, for short assertions. */
export function menuItems(records: UiRecords): Array<{ path: string; functionName: string }> {
  const out: Array<{ path: string; functionName: string }> = [];
  const walk = (menu: MenuRecord, prefix: string) => {
    for (const e of menu.entries) {
      if ("item" in e) out.push({ path: `${prefix}${menu.caption} > ${e.item}`, functionName: e.functionName });
      else if ("subMenu" in e) walk(e.subMenu, `${prefix}${menu.caption} > `);
    }
  };
  for (const m of records.menus) walk(m, "");
  return out;
}

const copyMenu = (m: MenuRecord): MenuRecord => ({
  ...m,
  entries: m.entries.map((e) => ("subMenu" in e ? { subMenu: copyMenu(e.subMenu) } : { ...e })),
});

export function fakeUi(log: ServiceLog, records: UiRecords, realm: RealmRef = nodeRealm()) {
  class FakeMenu {
    readonly #record: MenuRecord;
    constructor(caption: string, addon: boolean) {
      this.#record = { caption, addon, entries: [] };
    }
    get record(): MenuRecord {
      return copyMenu(this.#record);
    }
    addItem(caption: string, functionName: string): FakeMenu {
      log.calls.push(`menu.addItem(${caption}, ${functionName})`);
      if (typeof caption !== "string" || typeof functionName !== "string") throw signatureError(realm, "Menu.addItem", [caption, functionName]);
      this.#record.entries.push({ item: caption, functionName });
      return this;
    }
    addSeparator(): FakeMenu {
      log.calls.push("menu.addSeparator()");
      this.#record.entries.push({ separator: true });
      return this;
    }
    addSubMenu(menu: FakeMenu): FakeMenu {
      if (!(menu instanceof FakeMenu)) throw signatureError(realm, "Menu.addSubMenu", [menu]);
      log.calls.push(`menu.addSubMenu(${menu.#record.caption})`);
      this.#record.entries.push({ subMenu: menu.record });
      return this;
    }
    addToUi(): void {
      log.calls.push(`menu.addToUi(${this.#record.caption})`);
      records.menus.push(copyMenu(this.#record)); // what the user sees is the menu as it was now
    }
  }

  const nextAnswer = (buttons: EnumValue) => {
    const a = records.answers.shift() ?? Button.OK;
    const answer = "button" in a && typeof a.button === "object" ? a : { button: a as EnumValue, text: "" };
    // A test that queues a button the dialog cannot show has a mistake in it.
    if (!ALLOWED[buttons.name()]!.includes(answer.button)) {
      throw new Error(`queued answer ${answer.button.name()} is not a button of ButtonSet.${buttons.name()}`);
    }
    return { button: answer.button, text: answer.text ?? "" };
  };
  // alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons)
  const dialogArgs = (method: string, args: unknown[]) => {
    const [a, b, c] = args;
    if (args.length === 1 && typeof a === "string") return { title: null, prompt: a, buttons: ButtonSet.OK };
    if (args.length === 2 && typeof a === "string" && Object.values(ButtonSet).includes(b as EnumValue)) return { title: null, prompt: a, buttons: b as EnumValue };
    if (args.length === 3 && typeof a === "string" && typeof b === "string" && Object.values(ButtonSet).includes(c as EnumValue)) return { title: a, prompt: b, buttons: c as EnumValue };
    throw signatureError(realm, method, args);
  };

  const ui = {
    Button,
    ButtonSet,
    createMenu(caption: string): FakeMenu {
      log.calls.push(`ui.createMenu(${caption})`);
      if (typeof caption !== "string") throw signatureError(realm, "Ui.createMenu", [caption]);
      return new FakeMenu(caption, false);
    },
    // An add-on's menu is captioned with the add-on's name.
    createAddonMenu(): FakeMenu {
      log.calls.push("ui.createAddonMenu()");
      return new FakeMenu(records.addonName, true);
    },
    showSidebar(userInterface: FakeHtmlOutput): void {
      log.calls.push("ui.showSidebar()");
      if (!isHtmlOutput(userInterface)) throw signatureError(realm, "Ui.showSidebar", [userInterface]);
      records.sidebars.push(userInterface);
    },
    showModalDialog(userInterface: FakeHtmlOutput, title: string): void {
      log.calls.push(`ui.showModalDialog(${title})`);
      if (!isHtmlOutput(userInterface) || typeof title !== "string") throw signatureError(realm, "Ui.showModalDialog", [userInterface, title]);
      records.dialogs.push({ output: userInterface, title, modal: true });
    },
    showModelessDialog(userInterface: FakeHtmlOutput, title: string): void {
      log.calls.push(`ui.showModelessDialog(${title})`);
      if (!isHtmlOutput(userInterface) || typeof title !== "string") throw signatureError(realm, "Ui.showModelessDialog", [userInterface, title]);
      records.dialogs.push({ output: userInterface, title, modal: false });
    },
    alert(...args: unknown[]): EnumValue {
      log.calls.push("ui.alert()");
      const { title, prompt, buttons } = dialogArgs("Ui.alert", args);
      const { button } = nextAnswer(buttons);
      records.alerts.push({ title, prompt, buttons: buttons.name(), answer: button.name() });
      return button;
    },
    prompt(...args: unknown[]) {
      log.calls.push("ui.prompt()");
      const { title, prompt, buttons } = dialogArgs("Ui.prompt", args);
      const { button, text } = nextAnswer(buttons);
      records.prompts.push({ title, prompt, buttons: buttons.name(), answer: button.name(), text });
      return { getResponseText: () => text, getSelectedButton: () => button };
    },
  };
  return ui;
}

export type FakeUi = ReturnType<typeof fakeUi>;
