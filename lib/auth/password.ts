import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";

/** bcrypt at cost 12: about a quarter second per check, slow enough to blunt guessing. */
const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A password for a generated admin: 18 random bytes, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
