import { describe, expect, it } from "vitest";
import { approximateBytes } from "@/lib/cache/approximate-bytes";
import { BoundedMap } from "@/lib/cache/bounded-map";

describe("BoundedMap", () => {
  it("drops the oldest entries beyond its entry bound", () => {
    const map = new BoundedMap<string, number>(2, Infinity);
    map.set("a", 1, 10);
    map.set("b", 2, 10);
    map.set("c", 3, 10);
    expect([...map]).toEqual([["b", 2], ["c", 3]]);
    expect(map.bytes).toBe(20);
  });

  it("drops the oldest entries beyond its byte bound, counting a size given later", () => {
    const map = new BoundedMap<string, string>(100, 1_000);
    map.set("a", "x", 300);
    map.set("b", "y", 300);
    map.set("c", "z", 300);
    expect(map.size).toBe(3);
    map.resize("c", 600);
    expect([...map].map(([k]) => k)).toEqual(["b", "c"]);
    expect(map.bytes).toBe(900);
  });

  it("keeps no value bigger than its byte bound, and counts deletes and replacements", () => {
    const map = new BoundedMap<string, string>(100, 1_000);
    map.set("a", "x", 400);
    map.set("a", "y", 500);
    expect(map.bytes).toBe(500);
    map.set("huge", "z", 2_000);
    expect(map.size).toBe(0);
    expect(map.bytes).toBe(0);
    map.set("b", "x", 100);
    map.delete("b");
    map.delete("b");
    expect(map.bytes).toBe(0);
  });
});

describe("approximateBytes", () => {
  it("grows with the text and the fields a value holds", () => {
    const small = approximateBytes({ title: "A", published: new Date(0) });
    const large = approximateBytes({ title: "A".repeat(10_000), published: new Date(0) });
    expect(large - small).toBeGreaterThanOrEqual(10_000);
    expect(approximateBytes([1, 2, 3])).toBeGreaterThan(approximateBytes([1]));
    expect(approximateBytes(new Map([["k", "v".repeat(500)]]))).toBeGreaterThan(500);
  });

  it("counts a shared or cyclic part once", () => {
    const part = { text: "x".repeat(1_000) };
    const cyclic: Record<string, unknown> = { part };
    cyclic.self = cyclic;
    expect(approximateBytes({ a: part, b: part })).toBeLessThan(2 * approximateBytes(part));
    expect(Number.isFinite(approximateBytes(cyclic))).toBe(true);
  });
});
