const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, CET: 60, CEST: 120, MET: 60, MEST: 120, BST: 60, EET: 120, EEST: 180,
};

const MIN = Date.UTC(1980, 0, 1);
const MAX = Date.UTC(2100, 0, 1);

/** RFC 5322 `Date:` (and the sloppy forms seen in old mail) to ISO 8601 UTC, or null. */
export function parseMailDate(value: string | undefined): string | null {
  if (!value) return null;
  // Comments and runs of white space are rare: clean only when there are some.
  const v = /[(\t\r\n]| {2}/.test(value) ? value.replace(/\([^)]*\)/g, " ").replace(/\s+/g, " ").trim() : value.trim();
  // "[Day,] DD Mon YYYY HH:MM[:SS] [zone]"
  const m = /^(?:[A-Za-z]{3,9}\.?,? )?(\d{1,2})[ -]([A-Za-z]{3})[a-z]*\.?[ -](\d{2,4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})\b)?/.exec(v);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return null;
    let year = Number(m[3]);
    // RFC 5322 4.3: two digits are 2000-2049 or 1950-1999, three digits are years after 1900.
    if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
    else if (m[3]!.length === 3) year += 1900;
    return at(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7]);
  }
  const asc = parseAsctime(v);
  if (asc) return asc;
  // ISO 8601 ("2024-02-11T14:00:41Z", "2024-02-11 14:00:41 +0100"), as some tools write it. Nothing
  // looser: Date.parse reads "12" as a date in the local time zone.
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)? ?(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?$/i.exec(v);
  if (iso) return at(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0), iso[7]);
  return null;
}

/** The date of an mbox separator, `Sun Feb 11 14:00:41 2024` (taken as UTC), to ISO 8601. */
export function parseAsctime(value: string): string | null {
  const m = /^(?:[A-Za-z]{3} )?([A-Za-z]{3}) +(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ([A-Z]{1,5}|[+-]\d{4}))? (\d{4})(?: ([+-]\d{4}))?/.exec(value.trim());
  if (!m) return null;
  const month = MONTHS[m[1]!.toLowerCase()];
  if (month === undefined) return null;
  return at(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0), m[6] ?? m[8]);
}

/** A wall-clock time in a zone to ISO 8601 UTC; null for a day or time that does not exist (31 Feb, 25:00). */
function at(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string | undefined): string | null {
  if (day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  if (new Date(t).getUTCDate() !== day) return null;
  return finish(t - zoneMinutes(zone) * 60000);
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const n = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (n) return (n[1] === "-" ? -1 : 1) * (Number(n[2]) * 60 + Number(n[3]));
  return ZONES[zone.toUpperCase()] ?? 0;
}

function finish(t: number): string | null {
  if (!Number.isFinite(t) || t < MIN || t > MAX) return null;
  return isoString(Math.floor(t));
}

const DAY_MS = 86_400_000;

/**
 * `Date#toISOString` for a time between MIN and MAX (four-digit years), by arithmetic: the built-in
 * costs microseconds a call, and every message has a date.
 */
export function isoString(t: number): string {
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  const hour = Math.floor(ms / 3_600_000);
  ms -= hour * 3_600_000;
  const minute = Math.floor(ms / 60_000);
  ms -= minute * 60_000;
  const second = Math.floor(ms / 1000);
  ms -= second * 1000;
  // Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
