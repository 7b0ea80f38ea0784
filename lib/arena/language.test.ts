import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { languageCategory } from "./categories";
import { detectLanguage, scriptLanguage } from "./language";

const fixture = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/language-sentences.json", import.meta.url), "utf8"),
) as { sentences: Record<string, string[]> };

describe("detectLanguage", () => {
  it("gets the category right for ≥95% of real sentences in each of ten languages", () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const [language, sentences] of Object.entries(fixture.sentences)) {
      let rightHere = 0;
      for (const s of sentences) {
        expect(s.length).toBeGreaterThanOrEqual(20);
        total++;
        if (languageCategory(detectLanguage(s)) === languageCategory(language)) {
          right++;
          rightHere++;
        } else wrong.push(`${language}: ${s} → ${detectLanguage(s)}`);
      }
      // no language carried by the others
      expect(rightHere / sentences.length, language).toBeGreaterThanOrEqual(0.9);
    }
    expect(Object.keys(fixture.sentences)).toHaveLength(10);
    expect(right / total, wrong.join("\n")).toBeGreaterThanOrEqual(0.95);
  });

  it("no longer reads every Latin-script prompt as English", () => {
    expect(detectLanguage("Quels sont les meilleurs restaurants de Lyon ?")).toBe("fr");
    expect(detectLanguage("Wie funktioniert ein Kühlschrank eigentlich?")).toBe("de");
  });

  it("gives English a near tie: short English full of foreign names", () => {
    expect(detectLanguage("Who is Jacques Cousteau?")).toBe("en");
  });

  it("falls back to the script below 20 characters, and leaves code and links out", () => {
    expect(detectLanguage("什么是闭包？")).toBe("zh");
    expect(detectLanguage("Привет")).toBe("ru");
    expect(detectLanguage("こんにちは")).toBe("ja");
    expect(detectLanguage("Hola amigo")).toBe("en");
    expect(
      detectLanguage("Corrige ce code:\n```python\nfor i in range(10):\n    print(i)\n```"),
    ).toBe("en");
    expect(scriptLanguage("안녕하세요")).toBe("ko");
  });
});
