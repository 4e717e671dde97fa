// The spreadsheet's own settings that change how a typed value reads (File > Settings).
export interface SheetSettings {
  /** As SpreadsheetApp reports it ("en_US", "de_DE"); "" when the platform did not say. */
  locale: string;
  /** IANA zone ("Europe/Berlin"); "" when the platform did not say. */
  timeZone: string;
}

/** What a custom function reads once per execution: the rate table and the settings to read its arguments with. */
export interface RateContext extends SheetSettings {
  table: import("./rates/types").RateTable;
}
