/** @type {import('jest').Config} */
module.exports = {
  // A test that passes but overran its timeout fails (jest alone stops only tests that yield).
  testEnvironment: "<rootDir>/test/timed-environment.cjs",
  roots: ["<rootDir>/test"],
  globalSetup: "<rootDir>/test/global-setup.mjs",
  reporters: ["default", "<rootDir>/test/summary-reporter.cjs"],
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest"] },
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
  // Jest's default is one worker less than the cores: on a 2-core machine, one file at a time.
  maxWorkers: "100%",
  testSequencer: "<rootDir>/test/sequencer.cjs",
};
