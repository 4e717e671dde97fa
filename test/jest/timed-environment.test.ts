// test/timed-environment.cjs: a test that passes but overran its timeout fails. Checked by running
// jest on a fixture in a child process, with the suite's own environment.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "../..");

test("a synchronous test over jest.setTimeout fails; one within its own timeout passes", () => {
  const config = {
    rootDir: root,
    roots: ["<rootDir>/test/jest"],
    testMatch: ["**/overrun.fixture.js"],
    testEnvironment: "<rootDir>/test/timed-environment.cjs",
    transform: {},
  };
  const child = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--config", JSON.stringify(config), "--json", "--ci"], {
    cwd: root,
    encoding: "utf8",
  });
  const report = JSON.parse(child.stdout) as { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
  const results = report.testResults[0]!.assertionResults;
  expect(results.map((r) => [r.title, r.status])).toEqual([
    ["a synchronous test over jest.setTimeout", "failed"],
    ["a quick test", "passed"],
    ["a test within its own longer timeout", "passed"],
  ]);
  expect(results[0]!.failureMessages[0]).toMatch(/^this test took \d+ ms, over its timeout of 50 ms/);
  expect(child.status).not.toBe(0);
});
