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
  const fast = parseIsoFast(cell);
  if (fast === fast) return fast;
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
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + fraction - offset;
}

/** Seconds below 1e11 in magnitude, else milliseconds. */
export function epochMs(n: number): number {
  if (!Number.isFinite(n)) return NaN;
  return Math.abs(n) < 1e11 ? n * 1000 : n;
}

const EPOCH = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The common shapes without a regex or a Date: `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM:SS` with an optional `Z`
 * (scoring reads one per row). Anything else (fractions, offsets, epoch numbers, spaces) is NaN here and
 * goes through the full grammar.
 */
function parseIsoFast(t: string): number {
  const n = t.length;
  if (n !== 10 && n !== 19 && n !== 20) return NaN;
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return NaN;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  const date = daysFromCivil(year, month, day) * 86_400_000;
  if (n === 10) return date;
  const sep = t.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return NaN;
  if (n === 20 && t.charCodeAt(19) !== 90 && t.charCodeAt(19) !== 122) return NaN;
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return date + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** The number written by `len` ASCII digits at `at`, or -1. */
function digits(t: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
