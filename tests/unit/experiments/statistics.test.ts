import { describe, expect, it } from "vitest";
import { assignVariant, bucketOf } from "@/lib/experiments/assignment";
import { chiSquareTest, probabilityToBeat, regularizedGammaQ, wilsonInterval } from "@/lib/experiments/statistics";

const ids = (n: number, prefix = "reader-") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("assignment", () => {
  const two = [
    { id: 1, weight: 50 },
    { id: 2, weight: 50 },
  ];
  const three = [
    { id: 1, weight: 50 },
    { id: 2, weight: 25 },
    { id: 3, weight: 25 },
  ];

  // 200,000 hashes: seconds on a loaded machine, so more than the default 5 s.
  it("is uniform within 1 % over 100,000 ids, for an even and an uneven split", { timeout: 60_000 }, () => {
    for (const variants of [two, three]) {
      const counts = new Map<number, number>();
      for (const id of ids(100_000)) {
        const v = assignVariant("salt-uniform", id, variants)!;
        counts.set(v.id, (counts.get(v.id) ?? 0) + 1);
      }
      const total = variants.reduce((s, v) => s + v.weight, 0);
      for (const v of variants) expect(Math.abs(counts.get(v.id)! / 100_000 - v.weight / total)).toBeLessThan(0.01);
    }
  });

  it("is sticky: the same reader and salt always get the same variant, whatever the order of asking", () => {
    const first = ids(1_000).map((id) => assignVariant("salt-sticky", id, three)!.id);
    const again = ids(1_000).reverse().map((id) => assignVariant("salt-sticky", id, three)!.id).reverse();
    expect(again).toEqual(first);
  });

  it("is unforgeable without the salt: another salt puts readers elsewhere, and no id prefix steers the bucket", () => {
    const a = ids(10_000).map((id) => assignVariant("salt-one", id, two)!.id);
    const b = ids(10_000).map((id) => assignVariant("salt-two", id, two)!.id);
    const moved = a.filter((v, i) => v !== b[i]).length / a.length;
    // Independent halves: about half the readers change variant.
    expect(moved).toBeGreaterThan(0.45);
    expect(moved).toBeLessThan(0.55);
    // Ids an attacker would try (sequential, padded, look-alike) land uniformly, as random ones do.
    const chosen = ["control", "variant", "0", "00000000", "admin", "A", "B"].flatMap((p) => ids(2_000, p));
    const low = chosen.filter((id) => bucketOf("salt-one", id) < 0.5).length / chosen.length;
    expect(Math.abs(low - 0.5)).toBeLessThan(0.02);
  });

  it("a variant with no share gets nobody; no share at all is no assignment", () => {
    const off = [
      { id: 1, weight: 100 },
      { id: 2, weight: 0 },
    ];
    expect(ids(5_000).every((id) => assignVariant("s", id, off)!.id === 1)).toBe(true);
    expect(assignVariant("s", "x", [{ id: 1, weight: 0 }])).toBeNull();
  });
});

describe("the Wilson interval", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", method 3; scipy's binomtest agrees.
  it.each([
    [81, 263, 0.2552885198782742, 0.36620957698280004],
    [15, 148, 0.06238639953073629, 0.16048724172330803],
    [0, 20, 0, 0.16112515805281935],
    [1, 29, 0.006113214292762667, 0.17175521879320282],
    [29, 29, 0.8830302015002592, 1],
  ])("%i of %i is [%f, %f]", (k, n, low, high) => {
    const ci = wilsonInterval(k, n);
    expect(ci.low).toBeCloseTo(low, 9);
    expect(ci.high).toBeCloseTo(high, 9);
  });

  it("no trial is no interval", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 0 });
  });
});

describe("the sample-ratio test", () => {
  it("gives the chi-square distribution's known quantiles", () => {
    expect(regularizedGammaQ(0.5, 3.841458820694124 / 2)).toBeCloseTo(0.05, 9);
    expect(regularizedGammaQ(1, 5.991464547107979 / 2)).toBeCloseTo(0.05, 9);
    expect(regularizedGammaQ(1.5, 11.344866730144373 / 2)).toBeCloseTo(0.01, 9);
  });

  // Values from scipy.stats.chisquare.
  it("matches scipy on an even, a three-way and a skewed split", () => {
    const even = chiSquareTest([5000, 5200], [50, 50]);
    expect(even.statistic).toBeCloseTo(3.9215686274509802, 9);
    expect(even.pValue).toBeCloseTo(0.0476703806561615, 9);
    const three = chiSquareTest([3300, 3350, 3350], [1, 1, 1]);
    expect(three.statistic).toBeCloseTo(0.5, 6);
    expect(three.pValue).toBeCloseTo(0.7788007830712103, 6);
    const skewed = chiSquareTest([821, 1000, 1179], [25, 50, 25]);
    expect(skewed.statistic).toBeCloseTo(418.776, 6);
    expect(skewed.pValue).toBeLessThan(1e-80);
  });

  it("nothing observed is no evidence", () => {
    expect(chiSquareTest([0, 0], [50, 50]).pValue).toBe(1);
  });
});

describe("the probability to beat control", () => {
  // Numerical integration of the two Beta(1 + s, 1 + f) posteriors with scipy.
  it.each([
    [10, 100, 20, 100, 0.9751730331528736],
    [100, 1000, 120, 1000, 0.9231834389735605],
    [50, 1000, 50, 1000, 0.5],
    [30, 400, 22, 410, 0.10934897322268573],
  ])("control %i/%i, variant %i/%i: %f", (sa, na, sb, nb, expected) => {
    expect(probabilityToBeat({ successes: sa, trials: na }, { successes: sb, trials: nb })).toBeCloseTo(expected, 6);
  });

  it("the normal approximation for large counts agrees with the exact sum", () => {
    const exact = probabilityToBeat({ successes: 4_900, trials: 100_000 }, { successes: 5_000, trials: 100_000 });
    const approx = probabilityToBeat({ successes: 4_900, trials: 100_000 }, { successes: 5_001, trials: 100_000 });
    expect(Math.abs(exact - approx)).toBeLessThan(0.01);
    expect(exact).toBeGreaterThan(0.8);
  });
});
