import { createHmac } from "node:crypto";

/** A variant and its share of the traffic (a whole number; the shares need not add up to 100). */
export interface WeightedVariant {
  id: number;
  weight: number;
}

const TWO_POW_48 = 2 ** 48;

/**
 * Where a reader falls in [0, 1) for one experiment: HMAC-SHA256 of the reader's id under the
 * experiment's salt (a server secret, never sent), its first 48 bits as a fraction. The same
 * reader and salt always give the same point; without the salt no one can tell which id lands
 * where, and the id itself is one we signed or the account's own (reader-id.ts).
 */
export function bucketOf(salt: string, readerId: string): number {
  return createHmac("sha256", salt).update(readerId).digest().readUIntBE(0, 6) / TWO_POW_48;
}

/**
 * The reader's variant: the point's place among the variants' cumulative shares, in the order
 * given (control first). Null when there is no variant with a positive share.
 */
export function assignVariant<V extends WeightedVariant>(salt: string, readerId: string, variants: readonly V[]): V | null {
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (total <= 0) return null;
  const point = bucketOf(salt, readerId) * total;
  let edge = 0;
  for (const variant of variants) {
    edge += Math.max(0, variant.weight);
    if (point < edge) return variant;
  }
  // Unreachable with a point below the total; the last variant with a share, to be total.
  return [...variants].reverse().find((v) => v.weight > 0) ?? null;
}
