import { describe, expect, it } from "vitest";
import { newVoterId, signVoterId, verifyVoterCookie } from "./voter-id";

const SECRET = "a-test-secret-of-enough-length";

describe("voter cookie", () => {
  it("round-trips a signed id", () => {
    const id = newVoterId();
    expect(verifyVoterCookie(signVoterId(id, SECRET), SECRET)).toBe(id);
  });

  it("rejects tampering, another secret and junk", () => {
    const id = newVoterId();
    const signed = signVoterId(id, SECRET);
    const other = newVoterId();
    expect(verifyVoterCookie(`${other}${signed.slice(id.length)}`, SECRET)).toBeNull();
    expect(verifyVoterCookie(signed, "another-secret-of-enough-length")).toBeNull();
    expect(verifyVoterCookie(`${signed}x`, SECRET)).toBeNull();
    for (const junk of [undefined, "", ".", "abc", `${id}.`, `.${signed}`]) {
      expect(verifyVoterCookie(junk, SECRET)).toBeNull();
    }
  });
});
