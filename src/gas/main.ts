// Everything Apps Script calls. build.mjs turns each export into a top-level function of
// dist/Code.js; nothing else in the bundle becomes a global.
export {
  KLING_ACTUAL,
  KLING_BEST_PACKAGE,
  KLING_COMPARE,
  KLING_COST,
  KLING_EFFECTIVE_COST,
  KLING_EXPIRING,
  KLING_FORFEIT,
  KLING_PACKAGES,
  KLING_PURCHASE_PLAN,
  KLING_RATES,
  KLING_RENDER_HOURS,
  KLING_RUNWAY,
  KLING_UNITS,
} from "./custom-functions";

// The add-on menu and what it opens.
export { onInstall, onOpen, recalculateFromMenu, showRatesSidebar, syncKlingAccountFromMenu } from "./menu";
export { insertBudgetTemplate } from "./template";

// The sidebar's calls through google.script.run.
export { getRatesState, previewReset, previewRates, previewRestore, saveRates, undoRates } from "./sidebar-api";
export { fetchRateCard } from "./refresh";
export { recalculateKlingFormulas } from "./recalc";

// The Kling account: the sidebar's calls, and Sync (menu item, sidebar button, continuation trigger).
export { connectKlingAccount, disconnectKlingAccount, getKlingAccountState, testKlingConnection } from "./kling-account";
export { syncKlingAccount } from "./kling-sync";
export { getKlingReminders, klingDailyCheck, removeKlingReminders, setKlingReminders } from "./kling-reminders";
