// Which test files start first. Two workers finish soonest when the longest files start at once
// and the short ones fill in after; jest orders by the last run's times, which a fresh clone (CI)
// does not have. So the files known to be long go first, in this order; the rest follow largest first.
const Sequencer = require("@jest/test-sequencer").default;
const { statSync } = require("node:fs");

const LONG_FIRST = [
  "test/browser/a11y.test.ts",
  "test/core/planning.test.ts",
  "test/browser/sidebar.test.ts",
  "test/bundle/store-faults.test.ts",
  "test/browser/models.test.ts",
  "test/core/planning-limits.test.ts",
  "test/browser/account.test.ts",
  "test/sheet/run-sheet.test.ts",
  "test/core/planning-magnitude.test.ts",
  "test/core/properties.test.ts",
];

class LongFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const at = LONG_FIRST.findIndex((path) => t.path.replace(/\\/g, "/").endsWith(path));
      return at < 0 ? LONG_FIRST.length : at;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || statSync(b.path).size - statSync(a.path).size);
  }
}

module.exports = LongFirst;
