import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { newLog } from "./support";
import { FakeBlob, fakeUtilities } from "./utilities";

const utilities = () => fakeUtilities(newLog()).service;

describe("Utilities byte arrays are Java's signed bytes in plain arrays", () => {
  test("a blob from a string gives UTF-8 as -128..127 numbers in an ordinary Array", () => {
    const u = utilities();
    const bytes = u.newBlob("a€").getBytes();
    expect(bytes).toEqual([97, -30, -126, -84]);
    expect(Array.isArray(bytes)).toBe(true);
    expect(bytes).not.toBeInstanceOf(Uint8Array);
    expect((bytes as unknown as Uint8Array).subarray).toBeUndefined();
    // Code that treats them as unsigned gets the wrong text, as it would in Apps Script.
    expect(String.fromCharCode(...bytes.map((b) => b))).not.toBe(Buffer.from("a€").toString("latin1"));
  });

  test("newBlob takes a plain array (unsigned values wrap) but not a typed array", () => {
    const u = utilities();
    expect(u.newBlob([200, -56, 0x41]).getBytes()).toEqual([-56, -56, 65]);
    expect(() => u.newBlob(new Uint8Array([1, 2]))).toThrow("The parameters (Uint8Array) don't match the method signature for Utilities.newBlob.");
    expect(() => u.newBlob([1.5])).toThrow("don't match the method signature");
    expect(() => u.newBlob([256])).toThrow("don't match the method signature");
  });

  test("blob metadata: text/plain from a string, no type from bytes, name and type settable", () => {
    const u = utilities();
    const text = u.newBlob("hi");
    expect(text.getContentType()).toBe("text/plain");
    expect(text.getName()).toBeNull();
    expect(u.newBlob([1]).getContentType()).toBeNull();
    const named = u.newBlob("{}", "application/json", "rates.json");
    expect([named.getContentType(), named.getName()]).toEqual(["application/json", "rates.json"]);
    expect(named.setContentType("text/csv").setName("r.csv").getContentType()).toBe("text/csv");
    expect(named.getDataAsString()).toBe("{}");
    expect(named.setDataFromString("é").getBytes()).toEqual([-61, -87]);
  });

  test("getBytes hands out a copy; changing it does not change the blob", () => {
    const blob = utilities().newBlob("abc");
    const bytes = blob.getBytes();
    bytes[0] = 0;
    expect(blob.getDataAsString()).toBe("abc");
  });
});

describe("gzip", () => {
  test("round trip: gzip gives a real gzip stream (signed magic bytes 31, -117); ungzip restores the text", () => {
    const u = utilities();
    const json = JSON.stringify({ rates: Array.from({ length: 200 }, (_, i) => ({ model: `kling-v${i}`, unit: 0.14 })) });
    const zipped = u.gzip(u.newBlob(json, "application/json", "rates.json"));
    const bytes = zipped.getBytes();
    expect(bytes.slice(0, 2)).toEqual([31, -117]);
    expect(bytes.length).toBeLessThan(json.length / 5);
    expect(zipped.getContentType()).toBe("application/x-gzip");
    expect(zipped.getName()).toBe("rates.json");
    expect(gunzipSync(zipped.buffer).toString()).toBe(json); // node agrees it is gzip
    const back = u.ungzip(zipped);
    expect(back.getDataAsString()).toBe(json);
  });

  test("the cache pattern: gzip, base64 the signed bytes, decode, rebuild the blob, ungzip", () => {
    const u = utilities();
    const text = "Kling ✓ ".repeat(500);
    const stored = u.base64Encode(u.gzip(u.newBlob(text)).getBytes());
    expect(typeof stored).toBe("string");
    const decoded = u.base64Decode(stored);
    expect(decoded.every((b) => b >= -128 && b <= 127)).toBe(true);
    expect(u.ungzip(u.newBlob(decoded, "application/x-gzip")).getDataAsString()).toBe(text);
  });

  test("ungzip of data that is not gzip throws; gzip of a non-blob is a signature error", () => {
    const u = utilities();
    expect(() => u.ungzip(u.newBlob("plain"))).toThrow("Invalid argument");
    expect(() => u.gzip("text" as unknown as FakeBlob)).toThrow("The parameters (String) don't match the method signature for Utilities.gzip.");
    expect(u.gzip(u.newBlob("x")).getName()).toBe("archive.gz");
    expect(u.gzip(u.newBlob("x"), "x.gz").getName()).toBe("x.gz");
    expect(u.ungzip(u.gzip(u.newBlob("x"), "x.gz")).getName()).toBe("x");
  });
});

describe("base64", () => {
  test("encodes strings as UTF-8 and byte arrays as given; decodes to signed bytes", () => {
    const u = utilities();
    expect(u.base64Encode("€")).toBe("4oKs");
    expect(u.base64Encode([-30, -126, -84])).toBe("4oKs");
    expect(u.base64Decode("4oKs")).toEqual([-30, -126, -84]);
    expect(u.base64EncodeWebSafe([-5, -1])).toBe("-_8=");
    expect(u.base64DecodeWebSafe("-_8=")).toEqual([-5, -1]);
  });

  test("refuses text that is not base64", () => {
    const u = utilities();
    expect(() => u.base64Decode("not base64!")).toThrow("Could not decode string.");
    expect(() => u.base64Decode("4oK")).toThrow("Could not decode string.");
    expect(() => u.base64Encode(new Uint8Array([1]))).toThrow("don't match the method signature for Utilities.base64Encode");
  });
});

describe("formatDate, getUuid, computeDigest", () => {
  const instant = new Date(Date.UTC(2025, 0, 5, 14, 3, 9, 42)); // Sunday 5 Jan 2025 14:03:09.042 UTC

  test("Java pattern letters in a time zone", () => {
    const u = utilities();
    expect(u.formatDate(instant, "Etc/UTC", "yyyy-MM-dd HH:mm:ss")).toBe("2025-01-05 14:03:09");
    expect(u.formatDate(instant, "Asia/Kolkata", "yyyy-MM-dd HH:mm")).toBe("2025-01-05 19:33");
    expect(u.formatDate(instant, "America/Los_Angeles", "d/M/yy h:mm a")).toBe("5/1/25 6:03 AM");
    expect(u.formatDate(instant, "GMT+2", "HH:mm XXX")).toBe("16:03 +02:00");
    expect(u.formatDate(instant, "Etc/UTC", "EEE, d MMM yyyy HH:mm:ss.SSS Z")).toBe("Sun, 5 Jan 2025 14:03:09.042 +0000");
    expect(u.formatDate(instant, "Etc/UTC", "EEEE MMMM 'at' H 'o''clock'")).toBe("Sunday January at 14 o'clock");
  });

  test("summer time is applied from the zone's rules", () => {
    const u = utilities();
    const july = new Date(Date.UTC(2025, 6, 1, 12, 0, 0));
    expect(u.formatDate(july, "Europe/Berlin", "HH:mm Z")).toBe("14:00 +0200");
    expect(u.formatDate(instant, "Europe/Berlin", "HH:mm Z")).toBe("15:03 +0100");
  });

  test("an illegal pattern letter throws as Java does; unmodelled ones throw rather than print wrong text", () => {
    const u = utilities();
    expect(() => u.formatDate(instant, "Etc/UTC", "yyyy-qq")).toThrow("Illegal pattern character 'q'");
    expect(() => u.formatDate(instant, "Etc/UTC", "D")).toThrow("not modelled");
    expect(() => u.formatDate("2025-01-05" as unknown as Date, "Etc/UTC", "yyyy")).toThrow("don't match the method signature for Utilities.formatDate");
  });

  test("getUuid gives distinct v4 UUIDs; computeDigest gives signed SHA-256 bytes", () => {
    const u = utilities();
    const a = u.getUuid(), b = u.getUuid();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    const digest = u.computeDigest(u.DigestAlgorithm.SHA_256, "abc");
    expect(digest).toEqual(Array.from(createHash("sha256").update("abc").digest(), (x) => (x > 127 ? x - 256 : x)));
    expect(digest.some((x) => x < 0)).toBe(true);
  });

  test("every call is logged", () => {
    const log = newLog();
    const u = fakeUtilities(log).service;
    u.gzip(u.newBlob("x")).getBytes();
    expect(log.calls).toEqual(["utilities.newBlob()", "utilities.gzip()", "blob.getBytes()"]);
  });
});
