/**
 * How the AdminJS pages show a stored value, without changing what is stored: the Sessions list and page, the
 * confirmation titles, the sessions panel and "My sessions" all show an address the same way.
 */
import ipaddr from 'ipaddr.js';

/**
 * An IP address as people read it: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a dual-stack server
 * sees for IPv4 clients) as the plain IPv4 address, IPv6 in its short form. Anything else as given.
 */
export function displayIp<T extends string | null | undefined>(ip: T): T | string {
  return typeof ip === 'string' && ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip;
}

/**
 * "alice@example.com — Chrome 120, Windows 10, 127.0.0.1": who (null: oneself, left out) and which device, as a
 * confirmation names a session.
 */
export function sessionTitle(user: string | null, session: { id: unknown; browser?: unknown; os?: unknown; ip?: unknown }): string {
  const device = [session.browser, session.os, displayIp(session.ip as string | null | undefined)].filter(Boolean).join(', ') || `#${String(session.id)}`;
  return user === null ? device : `${user} — ${device}`;
}
