import { fakeCacheService, fakePropertiesService, newLog } from "./services";

describe("the Apps Script fakes behave like the services they stand for", () => {
  test("document properties round-trip strings, log each call and refuse values over 9 KB", () => {
    const log = newLog();
    const { service } = fakePropertiesService(log, { a: "1" });
    const props = service.getDocumentProperties();
    expect(props.getProperty("a")).toBe("1");
    expect(props.getProperty("missing")).toBeNull();
    props.setProperty("b", "two").deleteProperty("a");
    expect(props.getProperties()).toEqual({ b: "two" });
    expect(() => props.setProperty("big", "x".repeat(9 * 1024))).toThrow("Argument too large");
    expect(props.getProperty("big")).toBeNull();
    expect(log.calls).toEqual([
      "properties.getProperty(a)", "properties.getProperty(missing)", "properties.setProperty(b)",
      "properties.deleteProperty(a)", "properties.getProperties()", "properties.setProperty(big)", "properties.getProperty(big)",
    ]);
  });

  test("the document cache can lose everything at any time", () => {
    const log = newLog();
    const fake = fakeCacheService(log);
    const cache = fake.service.getDocumentCache();
    cache.put("k", "v");
    expect(cache.get("k")).toBe("v");
    fake.dropAll();
    expect(cache.get("k")).toBeNull();
    expect(log.calls).toHaveLength(3);
  });
});
