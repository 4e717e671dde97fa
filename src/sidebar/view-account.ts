// "Kling account": connect (credentials go to the server once and are never shown again), test,
// sync, disconnect, and the daily reminders. Its own small state, apart from the rates draft: the
// panel keeps one element that the page re-attaches on every redraw, so typing is never lost.
import type { KlingAccountState, RemindersState } from "../gas/account-types";
import { el, fill, uid } from "./dom";
import { button } from "./fields";
import type { Run } from "./server";

interface Said {
  ok: boolean;
  text: string;
}

export class AccountPanel {
  readonly element = el("div", { class: "account", "data-testid": "account" });
  private account: KlingAccountState | null = null;
  private reminders: RemindersState | null = null;
  private busy: string | null = null;
  private said: Said | null = null;
  private auth: "api" | "keys" = "api";
  private readonly status = el("p", { role: "status", "aria-live": "polite", "data-testid": "account-status" });
  private readonly body = el("div");

  constructor(private readonly run: Run, private readonly afterSync: () => void) {
    this.element.append(this.body, this.status);
  }

  /** Loads the connection and reminder state the first time the section is shown. */
  load(): void {
    if (this.account || this.busy) return;
    void this.work("Loading the Kling account...", async () => {
      [this.account, this.reminders] = await Promise.all([this.run("getKlingAccountState"), this.run("getKlingReminders")]);
    });
  }

  private async work(what: string, task: () => Promise<void>): Promise<void> {
    this.busy = what;
    this.said = null;
    this.draw();
    try {
      await task();
    } catch (error) {
      this.said = { ok: false, text: (error as Error).message };
    } finally {
      this.busy = null;
      this.draw();
    }
  }

  private draw(): void {
    const focused = this.element.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute("data-testid") : null;
    fill(this.status, this.busy ?? this.said?.text ?? "");
    this.status.className = this.said && !this.said.ok && !this.busy ? "field-error" : "";
    fill(this.body, this.account ? (this.account.connected ? this.connected(this.account) : this.connectForm(this.account)) : null);
    if (focused) this.element.querySelector<HTMLElement>(`[data-testid="${focused}"]`)?.focus();
  }

  private field(label: string, testId: string, attrs: Record<string, string> = {}): [HTMLElement, HTMLInputElement] {
    const id = uid("f");
    const input = el("input", { id, "data-testid": testId, autocomplete: "off", spellcheck: "false", ...attrs });
    return [el("div", { class: "field wide" }, el("label", { for: id }, label), input), input];
  }

  private connectForm(state: KlingAccountState): HTMLElement {
    const hostId = uid("f");
    const host = el("select", { id: hostId, "data-testid": "account-host" }, ...state.hosts.map((h) => el("option", { value: h }, h.replace("https://", ""))));
    const [apiRow, apiKey] = this.field("API key", "account-api-key", { type: "password" });
    const [accessRow, accessKey] = this.field("Access key", "account-access-key", { type: "password" });
    const [secretRow, secretKey] = this.field("Secret key", "account-secret-key", { type: "password" });
    const kind = (value: "api" | "keys", label: string) =>
      el("label", { class: "choice" }, el("input", { type: "radio", name: "account-auth", value, checked: this.auth === value, "data-testid": `account-auth-${value}`, onchange: () => ((this.auth = value), this.draw()) }), ` ${label}`);
    const connect = () => void this.work("Asking Kling...", async () => {
      const answer = await this.run("connectKlingAccount", host.value, this.auth === "api" ? apiKey.value : "", this.auth === "keys" ? accessKey.value : "", this.auth === "keys" ? secretKey.value : "");
      // The keys leave the page either way: they are the server's now, or they were refused.
      apiKey.value = accessKey.value = secretKey.value = "";
      this.account = answer.state;
      this.said = { ok: answer.ok, text: answer.message };
    });
    return el("form", { class: "account-form", "data-testid": "account-form", onsubmit: (e: Event) => (e.preventDefault(), connect()) },
      el("p", { class: "hint" }, "Your keys are kept in your own user properties for this add-on, never in the spreadsheet: other editors do not see them."),
      el("div", { class: "field wide" }, el("label", { for: hostId }, "Host"), host),
      el("fieldset", { class: "plain" }, el("legend", { class: "label" }, "Sign in with"), kind("api", "API key"), " ", kind("keys", "Access key + secret key")),
      this.auth === "api" ? apiRow : [accessRow, secretRow],
      el("div", { class: "actions" }, el("button", { type: "submit", class: "primary", "data-testid": "account-connect", disabled: this.busy !== null }, "Connect")),
    );
  }

  private connected(state: KlingAccountState): HTMLElement[] {
    const off = this.busy !== null;
    const answerOf = (what: string, call: () => Promise<{ ok: boolean; message: string; state: KlingAccountState }>) => () =>
      void this.work(what, async () => {
        const answer = await call();
        this.account = answer.state;
        this.said = { ok: answer.ok, text: answer.message };
      });
    return [
      el("p", { "data-testid": "account-connected" }, `Connected to ${state.host.replace("https://", "")} with an ${state.auth}, ${state.keyHint}.`),
      el("div", { class: "actions" },
        button("Sync now", "account-sync", () => void this.work("Syncing: reading packs and usage from Kling...", async () => {
          const outcome = await this.run("syncKlingAccount");
          this.said = { ok: outcome.ok, text: outcome.message };
          this.afterSync();
        }), { class: "primary", disabled: off }),
        button("Test connection", "account-test", answerOf("Asking Kling...", () => this.run("testKlingConnection")), { disabled: off }),
        button("Disconnect", "account-disconnect", answerOf("Disconnecting...", () => this.run("disconnectKlingAccount")), { disabled: off }),
      ),
      el("p", { class: "hint" }, "Sync writes the sheets \"Kling packs\" and \"Kling usage\"; use them in KLING_EXPIRING, KLING_RUNWAY and KLING_ACTUAL."),
      this.remindersForm(),
    ];
  }

  private remindersForm(): HTMLElement {
    const r = this.reminders;
    const s = r?.settings;
    const [daysRow, days] = this.field("Expiring within (days)", "reminder-days", { inputmode: "numeric", value: String(s?.days ?? 14) });
    const [thresholdRow, threshold] = this.field("When worth at least (USD)", "reminder-threshold", { inputmode: "decimal", value: String(s?.thresholdUsd ?? 50) });
    const [budgetRow, budget] = this.field("Monthly budget cell (optional)", "reminder-budget", { value: s?.budgetCell ?? "", placeholder: "Budget!B2" });
    const apply = (what: string, call: () => Promise<{ ok: boolean; message: string; state: RemindersState }>) => () =>
      void this.work(what, async () => {
        const answer = await call();
        this.reminders = answer.state;
        this.said = { ok: answer.ok, text: answer.message };
      });
    return el("div", { class: "reminders" },
      el("h3", null, "Reminders"),
      el("p", { class: "hint", "data-testid": "reminders-state" },
        r?.on ? `On: a sync every morning and an email to ${r.email || "you"} when needed, one a day at most.` : "Off. When on: a sync every morning, and an email when units will expire unused or a month's spend passes 50, 80 or 100% of the budget."),
      daysRow, thresholdRow, budgetRow,
      el("div", { class: "actions" },
        button(r?.on ? "Update reminders" : "Turn on reminders", "reminders-on", apply("Setting reminders...", () => this.run("setKlingReminders", days.value, threshold.value, budget.value)), { disabled: this.busy !== null }),
        r?.on ? button("Turn off", "reminders-off", apply("Turning reminders off...", () => this.run("removeKlingReminders")), { disabled: this.busy !== null }) : null,
      ),
    );
  }
}
