import fs from "node:fs";
import path from "node:path";

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
