// Durations for config keys and CLI flags: plain seconds, "90s", "15m", "1h30m", "2d", "1w",
// or spelled out as Prosody's period strings are: "2 days", "1 week", "12 hours", "1 day 6 hours".

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const WORDS: Record<string, string> = {
  second: "s", seconds: "s", sec: "s", secs: "s",
  minute: "m", minutes: "m", min: "m", mins: "m",
  hour: "h", hours: "h",
  day: "d", days: "d",
  week: "w", weeks: "w",
};
const WHOLE = /^(?:\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;
const SPELLED = /^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$/;
const SPELLED_PART = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;

/** Seconds in `input`; a number is taken as seconds. Throws "Unable to parse duration: X" on anything else. */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new Error(`Unable to parse duration: ${input}`);
  }
  const s = String(input).trim();
  if (BARE_NUMBER.test(s)) return Number(s);
  if (WHOLE.test(s)) {
    let seconds = 0;
    for (const [, amount, unit] of s.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit!]!;
    return seconds;
  }
  const lower = s.toLowerCase();
  if (SPELLED.test(lower)) {
    let seconds = 0;
    for (const [, amount, word] of lower.matchAll(SPELLED_PART)) {
      const unit = WORDS[word!];
      if (!unit) throw new Error(`Unable to parse duration: ${input}`);
      seconds += Number(amount) * UNIT_SECONDS[unit]!;
    }
    return seconds;
  }
  throw new Error(`Unable to parse duration: ${input}`);
}
