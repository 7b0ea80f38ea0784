// The client's address as scripts/server.mjs hands it to the app: from the socket, or — behind
// TRUST_PROXY trusted proxies — from X-Forwarded-For, counted from the right, because every
// entry left of the ones our own proxies appended was written by the client and proves nothing.
import { isIP } from "node:net";

/**
 * `socketAddress` is req.socket.remoteAddress; `forwardedFor` the X-Forwarded-For header (Node
 * joins repeated headers with ", "); `trustedHops` how many proxies stand in front. Returns a
 * bare address (IPv4, or IPv6 without brackets, port or zone; IPv4-mapped IPv6 as IPv4), or
 * "unknown" when the entry the proxies vouch for is not an address — all such clients then
 * share one budget, rather than each made-up string buying a budget of its own.
 */
export function clientIp(socketAddress, forwardedFor, trustedHops) {
  if (trustedHops === 0) return bareAddress(socketAddress);
  const chain = String(forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the leftmost is the furthest any proxy saw.
  const entry = chain[chain.length - trustedHops] ?? chain[0];
  return entry === undefined ? bareAddress(socketAddress) : bareAddress(entry);
}

/** `[2001:db8::1]:443`, `203.0.113.7:5678`, `fe80::1%eth0`, `::ffff:10.0.0.1` → the address alone. */
function bareAddress(value) {
  let s = String(value ?? "").trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  return isIP(s) === 0 ? "unknown" : s.toLowerCase();
}
