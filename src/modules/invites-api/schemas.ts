// Request bodies of the invites API (docs/openapi.json `CreateInvite`), checked with zod; unknown fields are refused.
import { z } from "zod";
import { parseDuration } from "../../core/duration.ts";

/** Lifetimes stop at ten years, like the configuration's. */
export const MAX_TTL_SECONDS = 10 * 365 * 86_400;

const ttl = z.union([z.number(), z.string().max(64)]).transform((v, ctx) => {
  let seconds: number;
  try {
    seconds = parseDuration(v);
  } catch {
    ctx.issues.push({ code: "custom", input: v, message: `Unable to parse duration: ${String(v)}` });
    return z.NEVER;
  }
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    ctx.issues.push({ code: "custom", input: v, message: `must be between 1 second and ${MAX_TTL_SECONDS} seconds (10 years)` });
    return z.NEVER;
  }
  return Math.round(seconds);
});

const common = {
  host: z.string().min(1).max(253).optional(),
  ttl: ttl.optional(),
  note: z.string().max(1000).optional(),
};

const reuse = {
  reusable: z.boolean().optional(),
  max_uses: z.number().int().min(1).max(1_000_000_000).optional(),
};

export const createInviteBody = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("account"),
    ...common,
    ...reuse,
    username: z.string().min(1).max(1023).optional(),
    roles: z.array(z.string().min(1).max(64)).max(20).optional(),
    groups: z.array(z.string().min(1).max(1023)).max(100).optional(),
  }),
  z.strictObject({
    kind: z.literal("contact"),
    ...common,
    ...reuse,
    inviter: z.string().min(1).max(1023),
    ibr: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal("reset"),
    ...common,
    username: z.string().min(1).max(1023),
  }),
]);

export type CreateInviteBody = z.infer<typeof createInviteBody>;

/** RFC 9457 §3's own example shape: where (a JSON Pointer into the request body) and what. */
export function issuesOf(error: z.ZodError): { pointer: string; detail: string }[] {
  return error.issues.map((i) => ({
    pointer: i.path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join(""),
    detail: i.message,
  }));
}
