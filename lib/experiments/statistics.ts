/**
 * The statistics of an experiment's results page, pure: the 95 % Wilson score interval of a
 * conversion rate, the chi-square test of the assignment counts against the planned split (a
 * sample-ratio mismatch), and the probability that a variant's rate beats control's (Beta(1, 1)
 * priors). Checked against published and independently computed values in the unit tests.
 */

/** The two-sided 95 % normal quantile. */
export const Z_95 = 1.959963984540054;

/** Wilson's score interval for `successes` of `trials` (Newcombe 1998, method 3); [0, 0] with no trial. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 0 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const denominator = 1 + z2 / trials;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}

/** Pearson's chi-square of observed counts against expected shares (any positive weights), and its p-value. */
export function chiSquareTest(observed: readonly number[], weights: readonly number[]): { statistic: number; degreesOfFreedom: number; pValue: number } {
  const n = observed.reduce((s, o) => s + o, 0);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const degreesOfFreedom = observed.length - 1;
  if (n === 0 || totalWeight <= 0 || degreesOfFreedom < 1) return { statistic: 0, degreesOfFreedom: Math.max(0, degreesOfFreedom), pValue: 1 };
  let statistic = 0;
  observed.forEach((o, i) => {
    const expected = (n * weights[i]!) / totalWeight;
    if (expected > 0) statistic += (o - expected) ** 2 / expected;
  });
  return { statistic, degreesOfFreedom, pValue: regularizedGammaQ(degreesOfFreedom / 2, statistic / 2) };
}

/** A sample-ratio mismatch: the split is this unlikely (p below 0.001, the usual threshold) under the planned weights. */
export const SRM_P_VALUE = 0.001;

/**
 * P(rate of B > rate of A) with Beta(1 + successes, 1 + failures) posteriors, exactly
 * (Miller's sum over B's successes) while B has at most 5,000 successes, otherwise by the
 * normal approximation of the two posteriors (then accurate to well under a percent point).
 */
export function probabilityToBeat(control: { successes: number; trials: number }, variant: { successes: number; trials: number }): number {
  const aA = 1 + control.successes;
  const bA = 1 + control.trials - control.successes;
  const aB = 1 + variant.successes;
  const bB = 1 + variant.trials - variant.successes;
  if (aB - 1 > 5_000) return normalApproximation(aA, bA, aB, bB);
  let total = 0;
  for (let i = 0; i < aB; i++) {
    total += Math.exp(logBeta(aA + i, bA + bB) - Math.log(bB + i) - logBeta(1 + i, bB) - logBeta(aA, bA));
  }
  return Math.min(1, Math.max(0, total));
}

function normalApproximation(aA: number, bA: number, aB: number, bB: number): number {
  const mean = (a: number, b: number) => a / (a + b);
  const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
  const diff = mean(aB, bB) - mean(aA, bA);
  const sd = Math.sqrt(variance(aA, bA) + variance(aB, bB));
  return normalCdf(diff / sd);
}

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// erfc by its Chebyshev fit (Numerical Recipes' erfcc), relative error below 1.2e-7.
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

// Lanczos' approximation (g = 7, n = 9), good to about 15 digits for positive arguments.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Q(a, x) = Γ(a, x) / Γ(a): the chi-square survival function is Q(k / 2, x / 2). Series below a + 1, continued fraction above. */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  // Lentz's method for the continued fraction.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}
