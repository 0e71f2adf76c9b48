/**
 * Reads one time-column cell as epoch milliseconds (UTC), or NaN when it is not a timestamp.
 *
 * Accepted (docs/contract.md, "Time column"):
 * - ISO-8601 dates and date-times: `2026-01-31`, `2026-01-31T12:00`, `2026-01-31T12:00:05.250Z`,
 *   `2026-01-31T12:00:05+02:00`; a space may stand for the `T` (`2026-01-31 12:00:05`, as NAB writes it).
 *   Without a zone the time is read as UTC (never the machine's local zone, so a result does not depend on
 *   where it runs).
 * - Epoch numbers: |n| < 1e11 are seconds, larger ones milliseconds (1e11 s is the year 5138, 1e11 ms is
 *   1973, so both readings of today's clocks are unambiguous). Fractions are allowed.
 * - Parquet timestamps (a Date from the reader, core/io/raw-timestamp.ts) and parquet integers (epoch, same rule).
 * Hand-written because Date.parse accepts far too much (`'1'`, `'March 7'`) and reads zone-less times in the
 * local zone; the grammar here is small and strict.
 */
export function parseTimestamp(cell: string, value?: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return epochMs(Number(value));
  if (typeof value === 'number') return Number.isFinite(value) ? epochMs(value) : NaN;
  const text = cell.trim();
  if (EPOCH.test(text)) return epochMs(Number(text));
  const m = ISO.exec(text);
  if (!m) return NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const fraction = m[7] ? Number(`0${m[7]}`) * 1000 : 0;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const [zh, zm] = [Number(z[2]), Number(z[3])];
    if (zh > 23 || zm > 59) return NaN;
    offset = (z[1] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offset;
}

/** Seconds below 1e11 in magnitude, else milliseconds. */
export function epochMs(n: number): number {
  if (!Number.isFinite(n)) return NaN;
  return Math.abs(n) < 1e11 ? n * 1000 : n;
}

const EPOCH = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
