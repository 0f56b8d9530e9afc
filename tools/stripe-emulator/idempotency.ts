/**
 * `Idempotency-Key`: the first response to a key is kept for 24 hours; the same key with the
 * same request replays it, with different parameters it is a 400 idempotency_error.
 */
import { idempotencyMismatch } from "./errors";

interface Saved {
  fingerprint: string;
  status: number;
  body: string;
  savedAt: number;
}

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEYS = 10_000;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function fingerprint(method: string, path: string, params: unknown): string {
  return JSON.stringify([method, path, canonical(params)]);
}

export class IdempotencyCache {
  private saved = new Map<string, Saved>();

  /** A saved response to replay, or undefined to go ahead. Throws on a parameter mismatch. */
  lookup(scope: string, key: string, print: string): { status: number; body: string } | undefined {
    const entry = this.saved.get(`${scope}\u0000${key}`);
    if (!entry) return undefined;
    if (Date.now() - entry.savedAt > TTL_MS) {
      this.saved.delete(`${scope}\u0000${key}`);
      return undefined;
    }
    if (entry.fingerprint !== print) throw idempotencyMismatch(key);
    return { status: entry.status, body: entry.body };
  }

  save(scope: string, key: string, print: string, status: number, body: string): void {
    if (this.saved.size >= MAX_KEYS) {
      const oldest = this.saved.keys().next().value;
      if (oldest !== undefined) this.saved.delete(oldest);
    }
    this.saved.set(`${scope}\u0000${key}`, { fingerprint: print, status, body, savedAt: Date.now() });
  }

  clear(): void {
    this.saved.clear();
  }
}
