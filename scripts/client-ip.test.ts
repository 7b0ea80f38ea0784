import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip.mjs";

describe("clientIp", () => {
  it("takes the socket's address when no proxy is trusted, whatever the headers say", () => {
    expect(clientIp("203.0.113.7", "198.51.100.1", 0)).toBe("203.0.113.7");
    expect(clientIp("2001:db8::1", undefined, 0)).toBe("2001:db8::1");
    expect(clientIp(undefined, "198.51.100.1", 0)).toBe("unknown");
  });

  it("unmaps an IPv4 client seen through a dual-stack socket", () => {
    expect(clientIp("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
    expect(clientIp("::FFFF:203.0.113.7", undefined, 0)).toBe("203.0.113.7");
    // a real IPv6 address that merely ends in a dotted quad is not mapped
    expect(clientIp("64:ff9b::203.0.113.7", undefined, 0)).toBe("64:ff9b::203.0.113.7");
  });

  it("counts trusted proxies from the right of X-Forwarded-For", () => {
    // the client wrote "6.6.6.6"; our one proxy appended the address it saw
    expect(clientIp("10.0.0.2", "6.6.6.6, 198.51.100.9", 1)).toBe("198.51.100.9");
    // two proxies: a CDN appended the client, our load balancer appended the CDN
    expect(clientIp("10.0.0.2", "6.6.6.6,198.51.100.9, 192.0.2.50", 2)).toBe("198.51.100.9");
    // a repeated header reaches us joined with ", "
    expect(clientIp("10.0.0.2", "6.6.6.6, 198.51.100.9", 1)).toBe("198.51.100.9");
    // empty entries are not hops
    expect(clientIp("10.0.0.2", " , 198.51.100.9 ,", 1)).toBe("198.51.100.9");
  });

  it("falls back sensibly when the chain is short or missing", () => {
    expect(clientIp("10.0.0.2", "198.51.100.9", 3)).toBe("198.51.100.9");
    expect(clientIp("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientIp("::ffff:10.0.0.2", "", 1)).toBe("10.0.0.2");
  });

  it("reads IPv6 in the forms proxies write it", () => {
    expect(clientIp("10.0.0.2", "2001:DB8:1:2::9", 1)).toBe("2001:db8:1:2::9");
    expect(clientIp("10.0.0.2", "[2001:db8::9]:443", 1)).toBe("2001:db8::9");
    expect(clientIp("10.0.0.2", "[2001:db8::9]", 1)).toBe("2001:db8::9");
    expect(clientIp("10.0.0.2", "fe80::1%eth0", 1)).toBe("fe80::1");
    expect(clientIp("10.0.0.2", "::ffff:198.51.100.9", 1)).toBe("198.51.100.9");
  });

  it("drops the port some proxies append to IPv4", () => {
    expect(clientIp("10.0.0.2", "198.51.100.9:51234", 1)).toBe("198.51.100.9");
  });

  it("names garbage 'unknown' rather than passing it on as an address", () => {
    for (const garbage of [
      "unknown",
      "not-an-ip",
      "1.2.3",
      "999.1.1.1",
      "<script>",
      "1.2.3.4 5.6.7.8",
      "[::1",
    ]) {
      expect(clientIp("10.0.0.2", `6.6.6.6, ${garbage}`, 1), garbage).toBe("unknown");
    }
  });
});
