// Durations for config keys and CLI flags: plain seconds, or "90s", "15m", "1h30m", "2d", "1w".

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const WHOLE = /^(?:\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** Seconds in `input`; a number is taken as seconds. Throws "Unable to parse duration: X" on anything else. */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new Error(`Unable to parse duration: ${input}`);
  }
  const s = String(input).trim();
  if (BARE_NUMBER.test(s)) return Number(s);
  if (!WHOLE.test(s)) throw new Error(`Unable to parse duration: ${input}`);
  let seconds = 0;
  for (const [, amount, unit] of s.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit!]!;
  return seconds;
}
