// A server-less world for the invites model: real SQLite storage, the real event bus, registrar and
// registration rules, and a clock the test moves.
import { defaultConfig, type Config } from "../../../src/core/config/index.ts";
import { EventBus } from "../../../src/core/event-bus.ts";
import type { ServerEvents } from "../../../src/core/events.ts";
import { deriveCredentials } from "../../../src/auth/credentials.ts";
import { openSqliteStorage } from "../../../src/storage/sqlite.ts";
import type { Storage } from "../../../src/storage/types.ts";
import { Registrar } from "../../../src/modules/accounts/registrar.ts";
import { registrationRules } from "../../../src/modules/invites/index.ts";
import { InvitesModel } from "../../../src/modules/invites/model.ts";
import type { Creator } from "../../../src/modules/invites/api.ts";
import type { RegistrationRequest } from "../../../src/modules/accounts/api.ts";

export const HOST = "example.com";
export const ADMIN: Creator = { by: "admin@example.com", isAdmin: true };
export const CLI: Creator = { by: "cli", isAdmin: true };
export const PASSWORD = "correct horse battery";
export const T0 = Date.UTC(2030, 0, 1);

export interface Clock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function clock(start = T0): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

export interface World {
  storage: Storage;
  config: Config;
  clock: Clock;
  events: EventBus<ServerEvents>;
  model: InvitesModel;
  registrar: Registrar;
  /** Every event emitted, in order. */
  seen: { name: keyof ServerEvents; payload: unknown }[];
  createUser(username: string, role?: string): Promise<void>;
  /** Registers through the registrar with the invite of `token` (validated now), as XEP-0077 would. */
  register(username: string, token: string | undefined, extra?: Partial<RegistrationRequest>): ReturnType<Registrar["register"]>;
  close(): Promise<void>;
}

export async function world(opts: { configure?: (c: Config) => void; path?: string } = {}): Promise<World> {
  const config = defaultConfig();
  config.hosts = [{ domain: HOST }];
  // No web server: invites have a landing page only when page_url says so.
  config.http.enabled = false;
  opts.configure?.(config);
  const storage = await openSqliteStorage(opts.path ?? ":memory:");
  const c = clock();
  const events = new EventBus<ServerEvents>();
  const seen: World["seen"] = [];
  const emit = async <K extends keyof ServerEvents>(name: K, payload: ServerEvents[K]) => {
    seen.push({ name, payload });
    return events.emit(name, payload);
  };
  const model = new InvitesModel({ storage, config, now: c.now, emit });
  const registrar = new Registrar({ storage, config, emit });
  events.on("user-registering", registrationRules({ config, storage }, c.now));
  const w: World = {
    storage,
    config,
    clock: c,
    events,
    model,
    registrar,
    seen,
    async createUser(username, role = "user") {
      if (!(await storage.accounts.create(HOST, username, await deriveCredentials(PASSWORD), role))) throw new Error(`${username} exists`);
    },
    async register(username, token, extra = {}) {
      let invite;
      let step;
      if (token !== undefined) {
        const valid = await model.validate(HOST, token);
        if (valid === undefined) throw new Error("token not valid");
        ({ invite, step } = model.forRegistration(valid, { checkExpiry: true }));
      }
      return registrar.register({ host: HOST, username, password: PASSWORD, ip: "192.0.2.1", via: "ibr", invite, step, ...extra });
    },
    close: () => storage.close(),
  };
  return w;
}

export function names(w: World): string[] {
  return w.seen.map((s) => s.name);
}

/** Runs `fn` in a fresh world and closes it whatever happens. */
export async function using(fn: (w: World) => Promise<void>, configure?: (c: Config) => void): Promise<void> {
  const w = await world({ configure });
  try {
    await fn(w);
  } finally {
    await w.close();
  }
}
