/** Money in minor units (cents; yen for JPY): shown to readers, typed by the admin, and the currencies a plan may use. */
const formatters = new Map<string, Intl.NumberFormat>();

/** Amounts are in minor units (cents; yen for JPY). */
export function formatMoney(amount: number, currency: string, locale = "en-US"): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, formatter);
  }
  const exponent = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amount / 10 ** exponent);
}

/** The currencies a plan can be sold in (fixed when the plan is created). */
export const PLAN_CURRENCIES = ["usd", "eur", "gbp", "cad", "aud", "jpy"] as const;
export type PlanCurrency = (typeof PLAN_CURRENCIES)[number];

/** The largest amount a plan may cost, in major units (a typo guard, not a business rule). */
const MAX_MAJOR_DIGITS = 6;

const exponents = new Map<string, number>();

/** How many minor-unit digits a currency has: 2 for USD (cents), 0 for JPY. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(code, exponent);
  }
  return exponent;
}

export type MoneyParse = { ok: true; amount: number } | { ok: false; message: string };

/**
 * "9.50" → 950 (minor units), exactly: the string is split into whole and fraction digits and
 * never goes through a float. Accepts "9", "9.5", "9.50"; refuses signs, separators, exponents
 * and more decimals than the currency has.
 */
export function parseMoneyInput(input: string, currency: string): MoneyParse {
  const text = input.trim();
  const exponent = currencyExponent(currency);
  if (text === "") return { ok: false, message: "Enter a price" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    return {
      ok: false,
      message: exponent === 0 ? "Enter a whole amount, like 900" : `Enter an amount like 9.50 (digits, and a dot before at most ${exponent} decimals)`,
    };
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, "");
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    return { ok: false, message: exponent === 0 ? `${currency.toUpperCase()} has no decimals: enter a whole amount` : `At most ${exponent} decimals` };
  }
  if (whole.length > MAX_MAJOR_DIGITS) return { ok: false, message: "That price is too large" };
  const amount = Number(whole + fraction.padEnd(exponent, "0"));
  if (!Number.isSafeInteger(amount)) return { ok: false, message: "That price is too large" };
  return { ok: true, amount };
}

/** 950 → "9.50": what a price field shows for an amount in minor units. */
export function moneyInputValue(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
