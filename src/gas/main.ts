// Everything Apps Script calls. build.mjs turns each export into a top-level function of
// dist/Code.js; nothing else in the bundle becomes a global.
export {
  KLING_BEST_PACKAGE,
  KLING_COMPARE,
  KLING_COST,
  KLING_EFFECTIVE_COST,
  KLING_PACKAGES,
  KLING_RATES,
  KLING_UNITS,
} from "./custom-functions";
