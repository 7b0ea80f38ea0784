/**
 * Links to the outside world (a model's homepage) come from admins and imports. A browser runs
 * `javascript:` (and `vbscript:`, and `data:` documents) when such a link is followed, so only
 * http(s) is ever accepted, stored or drawn as a link.
 */
import { z } from "zod";

/** The link, normalised, when it is an absolute http(s) URL; null for anything else. */
export function externalLink(
  value: string | null | undefined,
): { href: string; host: string } | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.host === "") return null;
  return { href: url.href, host: url.host };
}

const LINK_MESSAGE = "Link must be an http:// or https:// URL";

function toHref(v: string, ctx: z.core.$RefinementCtx<string>, message: string): string {
  const link = externalLink(v);
  if (link !== null) return link.href;
  ctx.issues.push({ code: "custom", message, input: v });
  return z.NEVER;
}

/** An http(s) URL, stored normalised; any other scheme is refused with `message`. */
export const httpLink = (message = LINK_MESSAGE) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => toHref(v, ctx, message));

/** A form field: empty means no link (null), anything else must be an http(s) URL. */
export const optionalHttpLink = (message = LINK_MESSAGE) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => (v === "" ? null : toHref(v, ctx, message)));
