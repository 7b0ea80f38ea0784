import { describe, expect, it } from "vitest";
import { externalLink, httpLink } from "./external-link";

const HOSTILE = [
  "javascript:alert(1)",
  " JavaScript:alert(1)",
  "java\tscript:alert(1)",
  "\u0000javascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "ftp://example.com/x",
  "//evil.example/x",
  "/relative/path",
  "not a url",
  "http://",
];

describe("external links", () => {
  it("accepts http(s) only, normalised", () => {
    expect(externalLink("https://example.com/model")).toEqual({
      href: "https://example.com/model",
      host: "example.com",
    });
    expect(externalLink(" HTTP://Example.COM:8080")).toEqual({
      href: "http://example.com:8080/",
      host: "example.com:8080",
    });
    expect(externalLink("http://10.0.0.5/m")?.host).toBe("10.0.0.5");
  });

  it("refuses every other scheme and anything that is not an absolute URL", () => {
    for (const link of HOSTILE) {
      expect(externalLink(link), link).toBeNull();
      expect(httpLink().safeParse(link).success, link).toBe(false);
    }
    expect(externalLink(null)).toBeNull();
    expect(externalLink("")).toBeNull();
  });
});
