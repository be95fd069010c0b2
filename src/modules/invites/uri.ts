// Invite URIs (invites.md §4): RFC 5122 xmpp: URIs with XEP-0147 query actions (register, roster) and preauth.

// RFC 5122 §2.2 nodeid: unreserved / pct-encoded / nodeallow.
const LOCAL_OK = /[A-Za-z0-9\-._~!$()*+,;=]/;
// RFC 3986 reg-name: unreserved / pct-encoded / sub-delims.
const DOMAIN_OK = /[A-Za-z0-9\-._~!$&'()*+,;=]/;
// A query value: unreserved only, so `;` and `=` keep their meaning.
const VALUE_OK = /[A-Za-z0-9\-._~]/;

function percentEncode(s: string, ok: RegExp): string {
  let out = "";
  for (const ch of s) {
    if (ok.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function jidPath(localpart: string | undefined, domain: string): string {
  const d = percentEncode(domain, DOMAIN_OK);
  return localpart === undefined ? d : `${percentEncode(localpart, LOCAL_OK)}@${d}`;
}

/** `xmpp:host?register;preauth=T`, or `xmpp:user@host?register;preauth=T` when bound to a username. */
export function registerUri(host: string, username: string | undefined, token: string): string {
  return `xmpp:${jidPath(username, host)}?register;preauth=${percentEncode(token, VALUE_OK)}`;
}

/** `xmpp:inviter@host?roster;preauth=T`, with `;ibr=y` when the token may also register an account. */
export function rosterUri(host: string, inviter: string, token: string, allowRegistration: boolean): string {
  return `xmpp:${jidPath(inviter, host)}?roster;preauth=${percentEncode(token, VALUE_OK)}${allowRegistration ? ";ibr=y" : ""}`;
}
