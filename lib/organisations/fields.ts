import { z } from "zod";
import { parseCidr } from "@/lib/http/cidr";

/** A textarea's list: one entry per line (commas and spaces also separate), trimmed, lower case, duplicates dropped. */
function listOf(max: number, noun: string) {
  return z
    .string()
    .optional()
    .transform((v) => [...new Set((v ?? "").split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))])
    .pipe(z.array(z.string()).max(max, `At most ${max.toLocaleString("en-US")} ${noun}`));
}

// A host name's labels: letters, digits and inner hyphens, the last one not all digits.
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An email domain as an admin lists it: compared exactly with the part after "@" (a subdomain only if listed itself). */
export const domainSchema = z.string().regex(DOMAIN, "Enter a domain like example.org (no @, no scheme, no wildcard)");

export const domainsField = listOf(50, "domains").superRefine((domains, ctx) => {
  const bad = domains.find((d) => !domainSchema.safeParse(d).success);
  if (bad !== undefined) ctx.addIssue({ code: "custom", message: `"${bad}" is not a domain: enter domains like example.org, one per line (no @, no scheme, no wildcard)` });
});

export const emailsField = listOf(50, "addresses").superRefine((emails, ctx) => {
  const bad = emails.find((e) => !z.email().max(254).safeParse(e).success);
  if (bad !== undefined) ctx.addIssue({ code: "custom", message: `"${bad}" is not an email address` });
});

/** IP ranges in CIDR form; each is stored in its canonical spelling (lib/http/cidr.ts). */
export const ipRangesField = listOf(5_000, "ranges").transform((ranges, ctx) => {
  const canonical: string[] = [];
  for (const text of ranges) {
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    canonical.push(parsed.range.text);
  }
  return [...new Set(canonical)];
});

/** The domain of an address: the part after its last "@", compared exactly. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}
