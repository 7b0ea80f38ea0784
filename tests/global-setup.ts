import { dropTemplate } from "./helpers/postgres";

/** Once per run: a fresh test template on PostgreSQL (the migrations may have changed). */
export default async function setup(): Promise<void> {
  await dropTemplate();
}
