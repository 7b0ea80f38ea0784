import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const ORIGIN = "https://arena.example.com";

describe("safeCallbackPath", () => {
  it("keeps paths on this arena, with their query and fragment", () => {
    expect(safeCallbackPath("/admin/models")).toBe("/admin/models");
    expect(safeCallbackPath("/admin/votes?voter=abc&page=2#top")).toBe(
      "/admin/votes?voter=abc&page=2#top",
    );
    expect(safeCallbackPath("/")).toBe("/");
    expect(safeCallbackPath("/admin/a%20b")).toBe("/admin/a%20b");
  });

  it("keeps absolute URLs on this very origin, as paths", () => {
    expect(safeCallbackPath(`${ORIGIN}/admin/import`, { origin: ORIGIN })).toBe("/admin/import");
    expect(safeCallbackPath(ORIGIN, { origin: ORIGIN })).toBe("/");
    // Without the origin known, only paths pass.
    expect(safeCallbackPath(`${ORIGIN}/admin`)).toBe("/admin");
  });

  const offSite = [
    "//other-host/x",
    "///other-host/x",
    "/\\other-host/x",
    "\\\\other-host/x",
    "\\/other-host/x",
    "/%2Fother-host/x",
    "/%2F%2Fother-host/x",
    "%2F%2Fother-host/x",
    "/%5Cother-host/x",
    "/%252F%252Fother-host/x",
    "/\t/other-host/x",
    "/\n/other-host",
    " //other-host",
    "/admin/../..//other-host/x",
    "https://other-host/x",
    "http://other-host",
    "HTTPS://other-host/x",
    "https:other-host/x",
    "http:/other-host/x",
    "https://arena.example.com.other-host/x",
    "https://arena.example.com@other-host/x",
    "http://arena.example.com/x",
    "https://arena.example.com:8443/x",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "admin",
    "?next=1",
    "",
    `/${"a".repeat(2100)}`,
  ];
  it.each(offSite)("refuses %j", (value) => {
    expect(safeCallbackPath(value, { origin: ORIGIN })).toBe("/admin");
    expect(safeCallbackPath(value)).toBe("/admin");
  });

  it("refuses what is not a string, and uses the given fallback", () => {
    expect(safeCallbackPath(undefined)).toBe("/admin");
    expect(safeCallbackPath(["/admin/models"])).toBe("/admin");
    expect(safeCallbackPath("//other-host", { fallback: "/" })).toBe("/");
  });

  it("never returns something a browser resolves to another origin", () => {
    for (const value of offSite) {
      const path = safeCallbackPath(value, { origin: ORIGIN });
      expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});
