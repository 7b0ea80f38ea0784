/**
 * `arena leaderboard --battles FILE` and the admin import read files through one reader: for
 * every case here both accept the file with the same votes, or both refuse it with the same
 * message naming the line (and field).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isImportError, parseImport } from "@/lib/import/parse";
import { runLeaderboard } from "./leaderboard";

const dir = mkdtempSync(join(tmpdir(), "arena-votes-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = "model_a,model_b,winner";
const CASES: { name: string; file: string; text: string; accepted: true | RegExp }[] = [
  {
    name: "winner in another case",
    file: "case.csv",
    text: `${HEADER}\nx,y,Model_A\n`,
    accepted: true,
  },
  {
    name: "a stray quote inside an unquoted field",
    file: "stray.csv",
    text: `${HEADER}\nx,y"z,model_a\n`,
    accepted: true,
  },
  {
    name: "text after a closing quote",
    file: "after-quote.csv",
    text: `${HEADER}\nx,"y"z,model_a\n`,
    accepted: /^line 2: unexpected "z" after a closing quote/,
  },
  {
    name: "a byte-order mark",
    file: "bom.csv",
    text: `\uFEFF${HEADER}\nx,y,tie\n`,
    accepted: true,
  },
  {
    name: "CRLF line ends",
    file: "crlf.csv",
    text: `${HEADER}\r\nx,y,model_b\r\n`,
    accepted: true,
  },
  {
    name: "a JSON array",
    file: "votes.json",
    text: '[{"model_a":"x","model_b":"y","winner":"model_b"},\n {"model_a":"y","model_b":"z","winner":"tie"}]',
    accepted: true,
  },
  {
    name: "JSON Lines",
    file: "votes.jsonl",
    text: '{"model_a":"x","model_b":"y","winner":"model_a"}\n\n{"model_a":"y","model_b":"x","winner":"tie (bothbad)"}\n',
    accepted: true,
  },
  {
    name: "a tie (bothbad)",
    file: "bothbad.csv",
    text: `${HEADER}\nx,y,tie (bothbad)\n`,
    accepted: true,
  },
  {
    name: "a header without model_b",
    file: "no-b.csv",
    text: "model_a,winner\nx,model_a\n",
    accepted: /^could not recognise the format.*the CSV header has columns model_a, winner$/,
  },
  {
    name: "a record without model_b",
    file: "no-b.jsonl",
    text: '{"model_a":"x","model_b":"y","winner":"tie"}\n{"model_a":"x","winner":"tie"}\n',
    accepted: /^line 2, field "model_b": is missing$/,
  },
  {
    name: "a winner that is no outcome",
    file: "left.csv",
    text: `${HEADER}\nx,y,model_a\nx,y,left\n`,
    accepted:
      /^line 3, field "winner": "left" is not one of model_a, model_b, tie, tie \(bothbad\)$/,
  },
  {
    name: "a short row",
    file: "short.csv",
    text: `${HEADER}\nx,y\n`,
    accepted: /^line 2: expected 3 columns/,
  },
  {
    name: "a model against itself",
    file: "self.csv",
    text: `${HEADER}\nx,x,tie\n`,
    accepted: /^line 2, field "model_b": is the same model as model_a/,
  },
];

/** What the admin import makes of the file: its votes, or its error message. */
async function viaImport(text: string, fileName: string) {
  try {
    const parsed = await parseImport(text, { fileName, votes: true });
    return { votes: parsed.votes.map((v) => `${v.modelA}|${v.modelB}|${v.winner}`) };
  } catch (e) {
    if (!isImportError(e)) throw e;
    return { error: e.message };
  }
}

async function viaCli(path: string) {
  let stdout = "";
  let stderr = "";
  const code = await runLeaderboard(["--battles", path, "--format", "json", "--bootstrap", "20"], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe("one votes reader for the CLI and the admin import", () => {
  for (const c of CASES) {
    it(`${c.accepted === true ? "both accept" : "both refuse"} ${c.name}`, async () => {
      const path = join(dir, c.file);
      writeFileSync(path, c.text);
      const imported = await viaImport(c.text, c.file);
      const cli = await viaCli(path);
      if (c.accepted === true) {
        expect(imported.error).toBeUndefined();
        expect(cli.stderr).toBe("");
        expect(cli.code).toBe(0);
        // every vote the import read is ranked: each vote counts for two models
        const rows = JSON.parse(cli.stdout) as { votes: number }[];
        expect(rows.reduce((s, r) => s + r.votes, 0)).toBe(2 * (imported.votes?.length ?? 0));
      } else {
        expect(imported.error).toMatch(c.accepted);
        expect(cli.code).toBe(1);
        expect(cli.stderr).toBe(`arena leaderboard: ${path}: ${imported.error}\n`);
      }
    });
  }
});
