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
