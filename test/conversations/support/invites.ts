// Shared steps of the registration and invite conversations: invites made through the model, IBR and PREAUTH.
import type { InvitesApi } from "../../../src/modules/invites/api.ts";
import type { RawClient } from "../../helpers/raw-client.ts";
import { freshIp, startTestServer, type TestServer, type TestServerOptions } from "../../helpers/server.ts";

export const REGISTER = "jabber:iq:register";
export const PARS = "urn:xmpp:pars:0";
export const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
export const NEW_PASSWORD = "a new password 1";
export const INVALID_TOKEN = "The invite token is invalid or expired";
export const INVITATION_ONLY = "Registration on this server is through invitation only";

/** The command line's authority: what an operator running `hearth invite` has. */
export const CLI = { by: "cli", isAdmin: true } as const;

export function invitesOf(ts: TestServer): InvitesApi {
  const api = ts.server.modules.api<InvitesApi>("invites");
  if (!api) throw new Error("the invites module is not loaded");
  return api;
}

/** Runs `fn` against a fresh server with these accounts, and stops it whatever happens. */
export async function withServer(users: string[], fn: (ts: TestServer) => Promise<void>, opts: TestServerOptions = {}): Promise<void> {
  const ts = await startTestServer(opts);
  try {
    for (const u of users) await ts.createUser(u);
    await fn(ts);
  } finally {
    await ts.stop();
  }
}

/** An unauthenticated TLS stream from an address of its own (so per-IP limits of other tests stay out of the way). */
export function fresh(ts: TestServer): Promise<RawClient> {
  return ts.connect({ localAddress: freshIp() });
}

export async function accountInvite(ts: TestServer, opts: { username?: string; ttlSeconds?: number } = {}): Promise<string> {
  return (await invitesOf(ts).createAccount({ host: ts.host, creator: CLI, ...opts })).token;
}

/** An IQ error with this condition; without `text`, any text (or none) is accepted. */
export function errorPattern(id: string, type: string, condition: string, text?: string): string {
  const t = text === undefined ? "<etc/>" : `<text xmlns='${STANZAS}'>${text}</text>`;
  return `<iq type='error' id='${id}'><error type='${type}'><${condition} xmlns='${STANZAS}'/>${t}</error></iq>`;
}

export function preauthXml(id: string, token: string | undefined): string {
  const t = token === undefined ? "" : ` token='${token}'`;
  return `<iq type='set' id='${id}'><preauth xmlns='${PARS}'${t}/></iq>`;
}

export function registerXml(id: string, username: string, password: string): string {
  return `<iq type='set' id='${id}'><query xmlns='${REGISTER}'><username>${username}</username><password>${password}</password></query></iq>`;
}

/** PREAUTH(token), which must succeed. */
export async function preauth(c: RawClient, token: string, id = "pa1"): Promise<void> {
  c.send(preauthXml(id, token));
  await c.receives(`<iq type='result' id='${id}'/>`);
}

/** IBR set, which must succeed. */
export async function register(c: RawClient, username: string, password = NEW_PASSWORD, id = "reg1"): Promise<void> {
  c.send(registerXml(id, username, password));
  await c.receives(`<iq type='result' id='${id}'/>`);
}

export async function accountExists(ts: TestServer, username: string): Promise<boolean> {
  return ts.server.storage.accounts.exists(ts.host, username);
}

/** Whether a token still checks out for registration (i.e. was not used or revoked). */
export async function stillValid(ts: TestServer, token: string): Promise<boolean> {
  return (await invitesOf(ts).validate(ts.host, token)) !== undefined;
}
