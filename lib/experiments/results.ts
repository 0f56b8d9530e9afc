import { chiSquareTest, probabilityToBeat, SRM_P_VALUE, wilsonInterval } from "./statistics";

/** One variant's counts, as the results page gathers them. */
export interface VariantCounts {
  variantId: number;
  name: string;
  weight: number;
  readers: number;
  paywallViews: number;
  registrations: number;
  newsletterSignups: number;
  checkouts: number;
  subscriptions: number;
}

export interface VariantResult extends VariantCounts {
  control: boolean;
  /** Subscriptions ÷ readers, and its 95 % Wilson interval. */
  conversion: number;
  interval: { low: number; high: number };
  /** P(this variant's conversion beats the control's); null for the control itself. */
  probabilityToBeatControl: number | null;
}

export interface ExperimentResults {
  variants: VariantResult[];
  /** The chi-square test of the readers against the planned split: a p below 0.001 is a sample-ratio mismatch. */
  sampleRatio: { pValue: number; mismatch: boolean };
  /** Too few readers or subscriptions for any conclusion. */
  tooLittleData: boolean;
}

/** Below these, the page says the test cannot conclude yet (whatever the probabilities say). */
export const MIN_READERS_PER_VARIANT = 100;
export const MIN_SUBSCRIPTIONS = 10;

/** The results of an experiment from its variants' counts (control first). Pure. */
export function experimentResults(counts: readonly VariantCounts[]): ExperimentResults {
  const control = counts[0];
  const variants = counts.map((c, i): VariantResult => ({
    ...c,
    control: i === 0,
    conversion: c.readers > 0 ? c.subscriptions / c.readers : 0,
    interval: wilsonInterval(Math.min(c.subscriptions, c.readers), c.readers),
    probabilityToBeatControl:
      i === 0 || !control
        ? null
        : probabilityToBeat(
            { successes: Math.min(control.subscriptions, control.readers), trials: control.readers },
            { successes: Math.min(c.subscriptions, c.readers), trials: c.readers },
          ),
  }));
  const srm = chiSquareTest(
    counts.map((c) => c.readers),
    counts.map((c) => c.weight),
  );
  const subscriptions = counts.reduce((s, c) => s + c.subscriptions, 0);
  return {
    variants,
    sampleRatio: { pValue: srm.pValue, mismatch: srm.pValue < SRM_P_VALUE },
    tooLittleData: counts.some((c) => c.readers < MIN_READERS_PER_VARIANT) || subscriptions < MIN_SUBSCRIPTIONS,
  };
}
