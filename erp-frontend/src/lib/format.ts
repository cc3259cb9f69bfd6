const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dayAndTime = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

/** A moment within the coming days, e.g. "8 Dec, 14:02" (in the reader's locale). */
export function formatDayAndTime(iso: string): string {
  return dayAndTime.format(new Date(iso));
}

/** 0.8333 -> "83.3%"; null (nothing to divide) -> "–". */
export function formatRate(rate: number | null): string {
  if (rate === null) return "–";
  return `${(rate * 100).toFixed(1)}%`;
}

/** "partially_refunded" -> "Partially refunded". */
export function humanize(value: string): string {
  const words = value.replace(/[_.]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** YYYY-MM-DD of a Date in UTC, as the API's date filters expect. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
