/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  globalSetup: "<rootDir>/test/global-setup.mjs",
  reporters: ["default", "<rootDir>/test/summary-reporter.cjs"],
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest"] },
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
};
