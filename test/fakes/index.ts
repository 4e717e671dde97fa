// One call builds every fake service around one log, one fake clock and one realm:
//
//   const fakes = fakeServices({ spreadsheet: { sheets: { Budget: [["Clip", "=KLING_COST(...)"]] } } });
//   const { context, call } = loadBundle(fakes.globals);
//   fakes.useRealm(context); // results become the script's own arrays, dates and errors
//
// Plain Node (tsx) can import this too: nothing here depends on jest.

import vm from "node:vm";
import { fakeHtmlService } from "./html";
import { fakeCacheService, fakeLockService, fakeLogging, fakeMailApp, fakePropertiesService, fakeScriptApp, fakeSession, type SessionOptions } from "./services";
import { fakeSpreadsheetApp, type SpreadsheetOptions } from "./spreadsheet";
import { newClock, newLog, nodeRealm, type Realm, type ServiceLog } from "./support";
import { menuItems } from "./ui";
import { fakeUrlFetchApp, type Route } from "./urlfetch";
import { fakeUtilities } from "./utilities";

export interface FakeServicesOptions {
  log?: ServiceLog;
  /** Document properties; script and user properties below. */
  properties?: Record<string, string>;
  scriptProperties?: Record<string, string>;
  userProperties?: Record<string, string>;
  session?: SessionOptions;
  routes?: Record<string, Route>;
  /** Where createHtmlOutputFromFile looks for <name>.html (dist/ by default). */
  htmlDir?: string;
  spreadsheet?: Omit<SpreadsheetOptions, "realm">;
}

export function fakeServices(options: FakeServicesOptions = {}) {
  const log = options.log ?? newLog();
  const realm = nodeRealm();
  const clock = newClock();
  const shared = { realm, clock };

  const properties = fakePropertiesService(log, options.properties, { ...shared, script: options.scriptProperties, user: options.userProperties });
  const cache = fakeCacheService(log, shared);
  const lock = fakeLockService(log, shared);
  const session = fakeSession(log, options.session);
  const scriptApp = fakeScriptApp(log);
  const utilities = fakeUtilities(log, shared);
  const urlFetch = fakeUrlFetchApp(log, { routes: options.routes, realm });
  const html = fakeHtmlService(log, { dir: options.htmlDir, realm });
  const spreadsheet = fakeSpreadsheetApp(log, { ...options.spreadsheet, timeZone: options.spreadsheet?.timeZone ?? options.session?.scriptTimeZone, realm });
  const logging = fakeLogging();
  const mail = fakeMailApp(log);

  const globals = {
    PropertiesService: properties.service,
    CacheService: cache.service,
    LockService: lock.service,
    Session: session.service,
    Utilities: utilities.service,
    UrlFetchApp: urlFetch.service,
    HtmlService: html.service,
    SpreadsheetApp: spreadsheet.service,
    ScriptApp: scriptApp.service,
    MailApp: mail.service,
    Logger: logging.Logger,
    console: logging.console,
  };

  return {
    globals,
    log,
    clock,
    properties,
    cache,
    lock,
    session: session.config,
    urlFetch: { routes: urlFetch.routes, requests: urlFetch.requests },
    triggers: scriptApp.triggers,
    mail: mail.sent,
    html: { config: html.config, outputs: html.outputs },
    spreadsheet,
    ui: spreadsheet.ui,
    menuItems: () => menuItems(spreadsheet.ui),
    logged: logging.lines,
    /** The event object Sheets passes to onOpen / onInstall, in a given AuthMode. */
    openEvent: (authMode: keyof typeof scriptApp.service.AuthMode = "LIMITED") => ({
      authMode: scriptApp.service.AuthMode[authMode],
      source: spreadsheet.spreadsheet,
    }),
    /** Makes every later result an object of the script's realm (a vm context from loadBundle). */
    useRealm(context: vm.Context) {
      realm.current = vm.runInContext("({ Error, Array, Object, Date })", context) as Realm;
    },
    /**
     * Starts a new execution in `context`: the locks the previous one left held are released, as
     * Apps Script does when an execution ends, and results go to the new realm.
     */
    newExecution(context: vm.Context) {
      lock.endExecution();
      realm.current = vm.runInContext("({ Error, Array, Object, Date })", context) as Realm;
    },
  };
}

export type FakeServices = ReturnType<typeof fakeServices>;

export { newLog, type ServiceLog } from "./support";
export {
  diffSnapshots, enteredAs, PROTECTED_MESSAGE, ProtectionType, type CallInfo, type Cell, type CellValue, type CellWrite, type Faults, type ProtectionSpec, type WriteKind,
} from "./spreadsheet";
export { menuItems, Button, ButtonSet, type MenuRecord, type UiRecords } from "./ui";
export { parseA1, columnLetters, columnNumber, formatA1 } from "./a1";
export { toSignedBytes } from "./utilities";
export { AuthMode } from "./services";
export type { Route, RouteResponse, FetchRequest } from "./urlfetch";
