/**
 * zod building blocks for Stripe's form parameters (everything arrives as strings) and the
 * translation of zod issues into Stripe's 400 errors ("Received unknown parameter: x",
 * "Missing required param: y.", "Invalid integer: z").
 */
import { z } from "zod";
import { invalidRequest, type StripeApiError } from "./errors";

export function formatParam(path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path.map(String);
  return (head ?? "") + rest.map((segment) => `[${segment}]`).join("");
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

export function zodToStripeError(error: z.ZodError): StripeApiError {
  const issue = error.issues[0];
  if (!issue) return invalidRequest("Invalid request.");
  if (issue.code === "unrecognized_keys") {
    const param = formatParam([...issue.path, issue.keys[0] ?? ""]);
    return invalidRequest(`Received unknown parameter: ${param}`, param, "parameter_unknown");
  }
  const param = formatParam(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");
  }
  if (issue.code === "invalid_value" || issue.code === "invalid_union") {
    return invalidRequest(`Invalid ${param}: must be one of the allowed values (${issue.message}).`, param, "parameter_invalid");
  }
  const input = "input" in issue && issue.input !== undefined ? ` (got ${describe(issue.input)})` : "";
  return invalidRequest(`Invalid ${param}: ${issue.message}${input}`, param, "parameter_invalid");
}

/** Parses `input` with `schema`; zod failures become Stripe 400s. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw zodToStripeError(result.error);
  return result.data;
}

const INTEGER = /^-?\d{1,15}$/;

export const intParam = z.preprocess(
  (value) => (typeof value === "string" && INTEGER.test(value.trim()) ? Number(value.trim()) : value),
  z.number({ error: "Invalid integer" }).int({ error: "Invalid integer" }),
);

export const boolParam = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean({ error: "Invalid boolean" }),
);

export const stringParam = z.string({ error: "Invalid string" }).max(5000);
export const nonEmptyString = stringParam.min(1, { error: "must not be empty" });

/** "" means "unset" in Stripe's form encoding. */
export function emptyable<S extends z.ZodType>(schema: S) {
  return z.union([z.literal("").transform(() => null), schema]);
}

/** Metadata update: `null` clears everything; a value of `null` deletes that key. */
export type MetadataUpdate = Record<string, string | null> | null;

export const metadataParam = z.preprocess(
  (value) =>
    Array.isArray(value) ? Object.fromEntries(value.map((item, index) => [String(index), item])) : value,
  z.union([
    z.literal("").transform((): MetadataUpdate => null),
    z
      .record(
        z.string().max(40, { error: "metadata keys must be at most 40 characters" }),
        z.string({ error: "metadata values must be strings" }).max(500, { error: "metadata values must be at most 500 characters" }),
      )
      .refine((record) => Object.keys(record).length <= 50, { error: "at most 50 metadata keys" })
      .transform((record): MetadataUpdate =>
        Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === "" ? null : v])),
      ),
  ]),
);

/** Stripe's update: each of `keys` the request sends replaces the stored value; one it leaves out stays. */
export function applyGiven<T extends object, K extends keyof T>(target: T, params: { [P in K]?: T[P] }, keys: readonly K[]): void {
  for (const key of keys) {
    const value = params[key];
    if (value !== undefined) target[key] = value as T[K];
  }
}

export function applyMetadata(current: Record<string, string>, update: MetadataUpdate | undefined): Record<string, string> {
  if (update === undefined) return { ...current };
  if (update === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function initialMetadata(update: MetadataUpdate | undefined): Record<string, string> {
  return applyMetadata({}, update);
}

export const expandParam = z
  .union([z.string().transform((value) => [value]), z.array(z.string())])
  .optional();

export const listParams = {
  limit: intParam.pipe(z.number().min(1).max(100)).optional(),
  starting_after: nonEmptyString.optional(),
  ending_before: nonEmptyString.optional(),
  expand: expandParam,
};

/** `created[gte]=...` style range filters (or a bare timestamp). */
export const rangeParam = z
  .union([
    intParam.transform((value) => ({ eq: value })),
    z.strictObject({
      gt: intParam.optional(),
      gte: intParam.optional(),
      lt: intParam.optional(),
      lte: intParam.optional(),
    }),
  ])
  .optional();

export type Range = { eq?: number; gt?: number; gte?: number; lt?: number; lte?: number } | undefined;

export function inRange(value: number, range: Range): boolean {
  if (!range) return true;
  if (range.eq !== undefined && value !== range.eq) return false;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}

export const currencyParam = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, { error: "must be a three-letter ISO currency code" })
  .transform((value) => value.toLowerCase());
