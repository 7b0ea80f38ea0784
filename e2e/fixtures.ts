import fs from "node:fs";
import path from "node:path";

export const ADMIN = {
  email: "admin@example.com",
  password: "e2e-admin-password",
  token: "e2e-admin-token-0123456789abcdef",
};

interface DemoModel {
  slug: string;
  displayName: string;
  organization: string;
}

/** Every string that would give a demo model away: slug, display name, organization. */
export function identityStrings(): string[] {
  const models: DemoModel[] = JSON.parse(
    fs.readFileSync(path.resolve("db/seed/demo/models.json"), "utf8"),
  );
  return models.flatMap((m) => [m.slug, m.displayName, m.organization]);
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** `app/admin/(x)/models/[id]/page.tsx` → `/admin/models/1`: the URL a file-system route answers. */
function routeUrl(file: string, leaf: string): string {
  const rel = path.relative(path.resolve("app"), path.dirname(file));
  const parts = rel
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? "1" : s));
  void leaf;
  return `/${parts.join("/")}`;
}

/** Every admin page URL, found on disk so a new page cannot be forgotten. */
export function adminPages(): string[] {
  return walk(path.resolve("app/admin"))
    .filter((f) => /page\.tsx$/.test(f))
    .map((f) => routeUrl(f, "page"));
}

/** Every admin API route with the HTTP methods its file exports. */
export function adminApiRoutes(): { url: string; methods: string[] }[] {
  return walk(path.resolve("app/api/admin"))
    .filter((f) => /route\.ts$/.test(f))
    .map((f) => {
      const src = fs.readFileSync(f, "utf8");
      const methods = [
        ...src.matchAll(
          /export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b|as (GET|POST|PUT|PATCH|DELETE)\b/g,
        ),
      ].map((m) => (m[1] ?? m[2]) as string);
      return { url: routeUrl(f, "route"), methods: [...new Set(methods)] };
    });
}
