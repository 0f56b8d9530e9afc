/** The calendar month a gift allowance covers, in the site's time zone. */
export interface GiftMonth {
  /** Local midnight on the 1st, as an instant. */
  start: Date;
  /** Local midnight on the next 1st: when the next batch arrives. */
  next: Date;
}

/** The month containing `now` in `timeZone` (an IANA name). Pure; DST-safe. */
export function giftMonth(now: Date, timeZone: string): GiftMonth {
  const { year, month } = localParts(now, timeZone);
  return {
    start: localMidnight(year, month, timeZone),
    next: month === 12 ? localMidnight(year + 1, 1, timeZone) : localMidnight(year, month + 1, timeZone),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (at.getTime() - at.getMilliseconds());
}

function localMidnight(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  // Guess with the offset at the wall time read as UTC, then correct once for a DST change in between.
  const first = wall - offsetAt(new Date(wall), timeZone);
  return new Date(wall - offsetAt(new Date(first), timeZone));
}
