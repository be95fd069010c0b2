// JSON logs through pino; secrets are censored wherever a log call passes them by mistake.
import { pino } from "pino";

export type Logger = pino.Logger;
export type LoggerLevel = pino.LevelWithSilent;

const SECRET_KEYS = ["password", "token", "secret", "authorization", "cookie"];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  "*.headers.authorization",
  "*.headers.cookie",
];

export function createLogger(level: LoggerLevel, opts: { destination?: NodeJS.WritableStream | number } = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const dest = opts.destination;
  if (dest === undefined) return pino(options);
  return pino(options, typeof dest === "number" ? pino.destination({ dest, sync: true }) : dest);
}
