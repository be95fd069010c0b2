// Building blocks for config sections: TOML tables are snake_case and strict, the TypeScript side is camelCase.
import { z } from "zod";
import { parseDuration } from "../duration.ts";

type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<SnakeToCamel<Tail>>}`
  : S;
export type CamelKeys<T> = { [K in keyof T as K extends string ? SnakeToCamel<K> : K]: T[K] };

function camelKeys<T extends object>(value: T): CamelKeys<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out as CamelKeys<T>;
}

/** A TOML table: unknown keys are errors, and the parsed value has camelCase keys. */
export function table<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape).transform((value) => camelKeys(value));
}

export function int(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

export const nonEmptyString = z.string().min(1);

/** Whole seconds, written as a number or as a duration string such as "30s", "15m", "1h", "2d". */
export function seconds(min: number, max: number) {
  return z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value === "number") return value;
      if (typeof value === "string") {
        try {
          return parseDuration(value);
        } catch {
          ctx.addIssue({
            code: "custom",
            message: `expected a duration such as "30s", "15m", "1h" or "2d", got ${JSON.stringify(value)}`,
          });
          return z.NEVER;
        }
      }
      ctx.addIssue({
        code: "custom",
        message: `expected a number of seconds or a duration string, got ${tomlType(value)}`,
      });
      return z.NEVER;
    })
    .pipe(int(min, max));
}

/** The name TOML gives to the type of a parsed value, for error messages. */
export function tomlType(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "datetime";
  if (typeof value === "object") return "table";
  return typeof value;
}
