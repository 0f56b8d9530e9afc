import { expect } from "vitest";

const REDIRECT = /^NEXT_REDIRECT;/;

/** The FormData a server action receives from a form with these fields. */
export function form(fields: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, String(value));
  return data;
}

/** Runs an action that redirects on success and returns where it redirected to (Next's redirect digest). */
export async function redirectOf(run: Promise<unknown>): Promise<string> {
  try {
    const result = await run;
    throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? error);
    expect(digest).toMatch(REDIRECT);
    return digest.split(";")[2] ?? "";
  }
}
