// Run by timed-environment.test.ts in a child jest, never by the suite itself (not a .test file).
jest.setTimeout(50);
const busy = (ms) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};
test("a synchronous test over jest.setTimeout", () => busy(150));
test("a quick test", () => expect(1).toBe(1));
test("a test within its own longer timeout", () => busy(150), 5000);
