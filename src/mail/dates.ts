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
  const v = value.replace(/\([^)]*\)/g, " ").replace(/\s+/g, " ").trim();
  // "[Day,] DD Mon YYYY HH:MM[:SS] [zone]"
  const m = /^(?:[A-Za-z]{3,9},? )?(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{2,4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([+-]\d{4}|[A-Za-z]{1,5}))?/.exec(v);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month !== undefined) {
      let year = Number(m[3]);
      if (year < 50) year += 2000;
      else if (year < 100) year += 1900;
      const t = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
      return finish(t - zoneMinutes(m[7]) * 60000);
    }
  }
  const asc = parseAsctime(v);
  if (asc) return asc;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : finish(t);
}

/** The date of an mbox separator, `Sun Feb 11 14:00:41 2024` (taken as UTC), to ISO 8601. */
export function parseAsctime(value: string): string | null {
  const m = /^(?:[A-Za-z]{3} )?([A-Za-z]{3}) +(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ([A-Z]{1,5}|[+-]\d{4}))? (\d{4})(?: ([+-]\d{4}))?/.exec(value);
  if (!m) return null;
  const month = MONTHS[m[1]!.toLowerCase()];
  if (month === undefined) return null;
  const t = Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
  return finish(t - zoneMinutes(m[6] ?? m[8]) * 60000);
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const n = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (n) return (n[1] === "-" ? -1 : 1) * (Number(n[2]) * 60 + Number(n[3]));
  return ZONES[zone.toUpperCase()] ?? 0;
}

function finish(t: number): string | null {
  if (!Number.isFinite(t) || t < MIN || t > MAX) return null;
  return new Date(t).toISOString();
}
