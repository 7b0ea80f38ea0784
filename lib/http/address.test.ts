import { describe, expect, it } from "vitest";
import { addressGroup, addressKey } from "./address";

describe("addressGroup", () => {
  it("keeps IPv4 addresses whole", () => {
    expect(addressGroup("203.0.113.7")).toBe("203.0.113.7");
    expect(addressGroup("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressGroup("::ffff:cb00:7107")).toBe("203.0.113.7");
  });

  it("groups IPv6 by /64", () => {
    const a = addressGroup("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    expect(a).toBe("2001:db8:1:2::/64");
    expect(addressGroup("2001:db8:1:2::1")).toBe(a);
    expect(addressGroup("[2001:0db8:0001:0002:ffff::9]")).toBe(a);
    expect(addressGroup("2001:db8:1:2::1%eth0")).toBe(a);
    expect(addressGroup("2001:db8:1:3::1")).not.toBe(a);
    expect(addressGroup("::1")).toBe("0:0:0:0::/64");
  });

  it("puts anything that is not an address in one bucket", () => {
    expect(addressGroup("unknown")).toBe("unknown");
    expect(addressGroup("1.2.3")).toBe("unknown");
  });

  it("keys a group, not an address, under a secret", () => {
    const s = "secret-0123456789abcdef";
    expect(addressKey("2001:db8:1:2::1", s)).toBe(addressKey("2001:db8:1:2::2", s));
    expect(addressKey("2001:db8:1:2::1", s)).not.toBe(addressKey("2001:db8:1:2::1", `${s}x`));
    expect(addressKey("10.0.0.1", s)).toHaveLength(22);
  });
});
