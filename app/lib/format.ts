/**
 * How dates and money read on every page, in one place. Dates are shown in
 * UTC with the zone named where a time appears, so the server's render and
 * the browser's hydration agree and every member reads the same deadline.
 */
const day = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const dayAndTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dayAndSeconds = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const month = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

type DateInput = Date | string | number;
const asDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

/** "Nov 24, 2026" */
export function formatDay(value: DateInput): string {
  return day.format(asDate(value));
}

/** "Nov 24, 2026, 5:13 AM" (UTC) */
export function formatDateTime(value: DateInput): string {
  return dayAndTime.format(asDate(value));
}

/** "Nov 24, 2026, 5:13:20 AM" (UTC), where seconds matter (logs, mail). */
export function formatTimestamp(value: DateInput): string {
  return dayAndSeconds.format(asDate(value));
}

/**
 * A count and its noun, singular for one: formatCount(1, "ballot") → "1 ballot",
 * formatCount(3, "ballot") → "3 ballots", formatCount(2, "sign-up") → "2 sign-ups".
 * `many` for nouns that do not just take an "s" (formatCount(2, "entry", "entries")).
 */
export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "November 2026" */
export function formatMonth(value: DateInput): string {
  return month.format(asDate(value));
}

const currencies = new Map<string, Intl.NumberFormat>();

/** 2550 cents → "$25.50". Money is integer cents everywhere; this is the only place it becomes a decimal. */
export function formatMoney(cents: number, currency = "usd"): string {
  const code = currency.toUpperCase();
  let format = currencies.get(code);
  if (!format) {
    format = new Intl.NumberFormat("en", { style: "currency", currency: code });
    currencies.set(code, format);
  }
  return format.format(cents / 100);
}

/** 1250 basis points → "12.50%", 1500 → "15%". */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)}%`;
}
