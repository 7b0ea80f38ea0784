import { describe, expect, it } from "vitest";
import { escapeMalformedPath } from "./malformed-path.mjs";

function rewrite(url: string): string {
  const req = { url };
  escapeMalformedPath(req);
  return req.url;
}

describe("escapeMalformedPath", () => {
  it("takes a segment whose escapes do not decode literally", () => {
    expect(rewrite("/models/%E0%A4%A")).toBe("/models/%25E0%25A4%25A");
    expect(rewrite("/leaderboard/%C0%AF?ci=sandwich")).toBe("/leaderboard/%25C0%25AF?ci=sandwich");
    expect(rewrite("/models/%")).toBe("/models/%25");
    // only the broken segment changes
    expect(rewrite("/a%20b/%zz/c%2Fd")).toBe("/a%20b/%25zz/c%2Fd");
  });

  it("leaves every well-formed address alone, queries included", () => {
    for (const url of ["/", "/models/gpt-4", "/models/gpt%204", "/leaderboard?ci=%E0", "/x/%25"]) {
      expect(rewrite(url), url).toBe(url);
    }
  });
});
