/**
 * Math: the prompt asks to solve or explain something mathematical (arithmetic, algebra,
 * calculus, statistics, probability, proofs, unit conversion, word problems). Signals, each
 * returned as a reason:
 * - a formula (LaTeX, or an equation or arithmetic written with operators);
 * - a mathematical term that means nothing else ("derivative", "square root", "theorem");
 * - a word problem: a quantity question ("how many", "how old", "which is bigger") over two or
 *   more numbers in a short prompt;
 * - a unit conversion ("how many furlongs in a parsec").
 * Code is read out first (fenced blocks, code-shaped lines): `i = i + 1` is not algebra. A prompt
 * that is coding ("a Python script for the first 100 primes") is not math too unless it also
 * carries a formula; a prompt that
 * hands over a long text to summarise, rewrite or translate is not a word problem because its
 * text has numbers in it.
 */
import { CREATIVE, codingReasons, type Reason } from "./classify-coding";

const LATEX_COMMAND =
  /\\(frac|dfrac|sqrt|int|iint|oint|sum|prod|lim|binom|cdot|times|div|leq?|geq?|neq|approx|equiv|pm|infty|mathbb|mathrm|partial|nabla|alpha|beta|gamma|theta|lambda|sigma|omega|pi|log|ln|sin|cos|tan|vec|overline|begin\{(align|equation|pmatrix|bmatrix|cases)\})(?![a-z])/i;
/** Pandoc's inline math: `$x^2$`, no space inside the dollars, something mathematical inside. */
const DOLLAR_MATH = /\$\$[^$]+\$\$|\$(?=\S)[^$\n]{1,120}(?<=\S)\$(?!\d)/;
const MATHY = /[\\^_=+\-*/<>]|\d/;

/**
 * An equation or inequality with an unknown: `2x + 4 = 8`, `A+b=c`, `5x+8=-5x²`, `f(x) = x^2`.
 * Operands are numbers, single letters (optionally with a coefficient or power) and calls f(x).
 */
const OPERAND = String.raw`(\d+(\.\d+)?\s*[a-zA-Z]?|[a-zA-Z]|[a-zA-Z]\s*\(\s*[a-zA-Z0-9]\s*\)|\(\s*[^()\n]{1,30}\))\s*(\^\s*\(?-?\d+\)?|[²³])?`;
const OP = String.raw`\s*[-+*/×÷^]\s*`;
const REL = String.raw`\s*(=|<=|>=|≤|≥|≠)\s*`;
const EQUATION = new RegExp(
  String.raw`(?<![\w$.])(${OPERAND}(${OP}${OPERAND}){0,8}${REL}-?${OPERAND}(${OP}${OPERAND}){0,8}|${OPERAND}(${OP}${OPERAND}){1,8}${REL}(\?|-?${OPERAND}))(?![\w(])`,
);
/** Arithmetic on numbers: `45 + 45`, `2^(2^(2^2))`, `211 modulo 7`, `12 * 7`, `√2`. */
const ARITHMETIC =
  /(?<![\w.\-/:])\d+(\.\d+)?\s*([+*×÷^]|\bmod(ulo)?\b|\bdivided by\b|\btimes\b|\bplus\b|\bminus\b)\s*\(?\d|√\s*\d|\b\d+\s*!\s*(\?|$)/i;

/** Terms that are mathematical wherever they appear. */
const MATH_TERMS =
  /(?<![\w-])(square roots?|cube roots?|factorials?|derivatives? of|(a|the) derivative\b(?! (contract|product|work|market))|partial derivatives?|integral of|integrals|(definite|indefinite) integral|integrate (x|f|the function|\d)|differentiate (x|f|the function|\d|[^.?!\n]{0,30}with respect to)|differential equations?|polynomials?|quadratic|linear equations?|(?<!chemical )equations?|inequalit(y|ies)|logarithms?|exponents|exponential (growth|function|decay)|theorems?|lemma|axioms?|proof (that|sketch)|prove (that|it|this)|(mathematical|formal|rigorous) proofs?|proofs? of (the|this|a|an) (theorem|lemma|claim|conjecture|statement|identity|inequality|formula)|irrational numbers?|rational numbers?|real numbers?|complex numbers?|natural numbers?|integers|prime factori[sz]ation|prime numbers?|is \d+ (a )?prime|greatest common divisor|least common multiple|gcd|lcm|modulo|modular arithmetic|remainder (is|when|of)|divisible by|divided by \d+|probability|probabilities|expected value|variance|standard deviation|median of|mean of|average of|permutations?|number of combinations|binomial|matrix (multiplication|inverse|of)|inverse of (a|the) matrix|\d+ ?[x×] ?\d+ matrix|matrices|determinant|eigen\w*|vectors? (space|product)|dot product|cross product|arithmetic|algebra(ic)?|calculus|geometry|trigonometry|sine(?! qua)|cosine|tangent of|hypotenuse|pythagorean|perimeter|circumference|(area|volume) of (a|an|the) (circle|triangle|square|rectangle|polygon|trapezoid|sphere|cube|cylinder|cone|shape|region)|right triangle|(arithmetic|geometric|number|infinite|fibonacci|convergent|taylor|power|fourier) (sequence|series)|next number in the sequence|sum of the series|converge[sn]?|divergen(t|ce)|infinit(y|e) (numbers?|sets?)|larger than infinit\w*|cardinality|set theory|number theory|fibonacci|percent(age)? of \d|\d+ ?% of|fractions|decimal places?|significant (digits?|figures?)|significative digit|solve for|simplify (the|this) (expression|fraction|equation)|evaluate the expression|x-?intercept|slope of|function f)\b/i;

/** Asking for a quantity. */
const QUANTITY_QUESTION =
  /\b(how (many|much|old|long|far|fast|tall|big|heavy|often)|what('s| is| was| were| are| will be)?( (the|her|his|their|its|your|my|each|this|that))?( [\w'’]+){0,2} (total|sum|difference|product|price|cost|costs|average|mean|number|value|result|ratio|speed|distance|area|age|salary|income|profit|loss|weight|weights|amount|percentage|percent|fraction|rate|time|length|width|height|volume|change|balance|score|measure|temperature)|what will [\w ]{1,30} (cost|pay|earn|weigh|be left)|which is (bigger|larger|greater|smaller|less|more)|(bigger|larger|greater|smaller) than|calculate|compute|work out|find the|what is \d|what's \d|next number|how old)\b/i;
/** A question sentence: with three numbers before it, most often a problem to work out. */
const ASKED_QUESTION = /(^|[.!?]\s+|\n)(what|how|which)\b[^.!?\n]{3,150}\?/i;
const DIGITS = /(?<![\w.:])\.?\d+(?![\d:])/g;
const NUMBER =
  /(?<![\w.:])\d+([.,]\d+)?(?![\d:])|(?<![\w.])\.\d+|(?<![\w.])(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|half|third|quarter|twice|double|triple|dozen)s?(?![\w])/gi;

const UNITS =
  "(furlongs?|parsecs?|light[- ]?years?|miles?|kilometers?|kilometres?|km|meters?|metres?|centimeters?|cm|millimeters?|mm|feet|foot|inch(es)?|yards?|nautical miles?|pounds?|lbs?|ounces?|oz|kilograms?|kg|grams?|tons?|tonnes?|liters?|litres?|gallons?|quarts?|pints?|cups?|tablespoons?|teaspoons?|seconds?|minutes?|hours?|days?|weeks?|months?|years?|acres?|hectares?|celsius|fahrenheit|kelvin|degrees?|calories|joules?|watts?|bytes?|kilobytes?|megabytes?|gigabytes?|bits?)";
const UNIT_CONVERSION = new RegExp(
  String.raw`\bhow many ${UNITS} (are )?(there )?(in|per) (a|an|one|\d+(\.\d+)?) ${UNITS}\b|\bconvert \d+(\.\d+)? ?${UNITS} (in)?to ${UNITS}\b|\b\d+(\.\d+)? ?${UNITS} (in|to) ${UNITS}\b`,
  "i",
);

/** Prompts that hand over a text to work on: its numbers are not a problem to solve. */
const TEXT_TASK =
  /^[\s#]*(please\s+)?(instructions?:|summari[sz]e|rewrite|paraphrase|translate|proofread|correct|edit|extract|classify|explain this|act as|you are|given the|read the|here is|below is)\b/i;

/** Fenced blocks and lines that read as code, removed before looking for formulas. */
function proseOnly(text: string): string {
  return text
    .replace(/(```|~~~)[\s\S]*?(\1|$)/g, " ")
    .split("\n")
    .filter(
      (l) =>
        !/[;{}]\s*$|^\s*(def|class|function|return|import|const|let|var|for|while|if|print)\b|==|!=|\w+\.\w+\(|\w\[\w*\]/.test(
          l,
        ),
    )
    .join("\n");
}

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

export function mathReasons(text: string): Reason[] {
  const prose = proseOnly(text);
  const formulas: Reason[] = [];
  const latex = prose.match(LATEX_COMMAND);
  if (latex) formulas.push({ rule: "formula (LaTeX)", match: clip(latex[0]) });
  const dollars = prose.match(DOLLAR_MATH);
  if (dollars && MATHY.test(dollars[0].replace(/\$/g, "")))
    formulas.push({ rule: "formula (LaTeX)", match: clip(dollars[0]) });
  const equation = prose.match(EQUATION);
  if (equation) formulas.push({ rule: "equation", match: clip(equation[0]) });
  const arithmetic = prose.match(ARITHMETIC);
  if (arithmetic) formulas.push({ rule: "arithmetic", match: clip(arithmetic[0]) });

  const words: Reason[] = [];
  const term = prose.match(MATH_TERMS);
  if (term) words.push({ rule: "mathematical term", match: clip(term[0]) });
  const numbers = prose.match(NUMBER) ?? [];
  const question = prose.match(QUANTITY_QUESTION);
  if (question && numbers.length >= 2 && prose.length <= 1200)
    words.push({
      rule: "word problem",
      match: `${clip(question[0])} over ${numbers.length} numbers`,
    });
  else if ((prose.match(DIGITS) ?? []).length >= 3 && prose.length <= 800) {
    const asked = prose.match(ASKED_QUESTION);
    if (asked)
      words.push({
        rule: "word problem",
        match: `${clip(asked[0])} over ${numbers.length} numbers`,
      });
  }
  const conversion = prose.match(UNIT_CONVERSION);
  if (conversion) words.push({ rule: "unit conversion", match: clip(conversion[0]) });

  // Handed-over texts and stories are not problems; a program request only counts with a formula;
  // in a long prompt one stray word is not enough.
  if (TEXT_TASK.test(text) || CREATIVE.test(text) || prose.length > 1500) return [];
  if (codingReasons(text).length) return formulas;
  const all = [...formulas, ...words];
  return prose.length > 600 && all.length < 2 ? [] : all;
}
