/**
 * Coding: the prompt asks to write, explain, debug or run code, or to use a programming language,
 * framework, shell or developer tool. One clear signal is enough, because what it names is
 * unambiguous (a code line, `pytorch`, `ffmpeg`); names that are also ordinary words (Swift, Go,
 * Rust, C, R) count only where the text uses them as a language ("in C", "Swift code"). Each
 * signal found is returned as a reason an admin can read.
 */

/** Fenced code: only when what is fenced looks like code (people fence prose too). */
const FENCED = /(```|~~~)[^\n]*\n([\s\S]*?)(\1|$)/g;

/**
 * A line shaped like source code, a shell command or markup. Case-sensitive: keywords are
 * lowercase in code and capitalised in prose ("If you agree, answer:" is not an if statement).
 */
const CODE_LINE = new RegExp(
  [
    String.raw`^\s*(async\s+)?def \w+\s*\(`,
    String.raw`^\s*class \w+\s*[:({]`,
    String.raw`^\s*(export\s+)?(async\s+)?(fn|func|function)\s*\w*\s*\(`,
    String.raw`^\s*(import [\w.]+(\s+as\s+\w+)?\s*;?\s*$|import .+ from ['"]|from [\w.]+ import \w)`,
    String.raw`^\s*#(include|define)\b`,
    String.raw`^\s*(var|let|const|auto|int|float|double|char|bool|string|String)\s+\w+\s*(=|;|\[)`,
    String.raw`^\s*(public|private|protected|static)\s+[\w<>[\]]+\s+\w+\s*[({=;]`,
    String.raw`^\s*(package [\w.]+;|using [\w.]+;|namespace \w+)`,
    String.raw`^\s*SELECT\b.+\bFROM\b|^\s*(INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE|ALTER TABLE)\b`,
    String.raw`^\s*(for|while|if|switch)\s*\(.*\)\s*\{?\s*$`,
    String.raw`^\s*(for \w+(, ?\w+)? in [\w.()[\], ]+|(if|elif|while) [\w.()[\]'" ]*[=<>!%()[\].][\w.()[\]=<>!%+\-*/'" ]*|else|try|except( \w+)?):\s*$`,
    String.raw`^\s*<\/?[a-z][\w-]*(\s+[\w-]+(="[^"]*")?)*\s*\/?>`,
    String.raw`^\s*(\$|>>>|PS>)\s*\w`,
    String.raw`^\s*(sudo \w|apt(-get)? (install|update)|(npm|yarn|pnpm) (install|run|i|add)\b|pip3? install|conda (install|create|activate)|brew install|git (clone|commit|push|pull|checkout|add|status|log|rebase|merge|reset)\b|docker (run|build|compose|ps|exec)\b|kubectl \w|curl -|wget https?:|chmod [+0-7]|cargo (build|run|new)\b|gcc |g\+\+ |javac |python3? \S+\.py|node \S+\.js)`,
    String.raw`(console\.log|System\.out\.print(ln)?|printf|print)\s*\(`,
    String.raw`^[^\n]{0,200}[\w)\]]\s*(=|\+=|-=|==|=>|->)\s*[^\n]{0,200};\s*$`,
    String.raw`^\s*[}\])];?\s*$`,
    String.raw`^[^\n]{0,200}\)\s*\{\s*$`,
  ].join("|"),
  "m",
);

/** Names of languages, frameworks, libraries and developer tools that mean little else. */
const TECH_NAMES = new RegExp(
  String.raw`(?<![\w.])(${[
    // languages and formats used to program
    "python\\d?",
    "javascript",
    "typescript",
    "ecmascript",
    "jsp",
    "kotlin",
    "c\\+\\+",
    "cpp",
    "c#",
    "csharp",
    "unityc#",
    "f#",
    "golang",
    "php",
    "perl",
    "haskell",
    "ocaml",
    "erlang",
    "clojure",
    "lua",
    "fortran",
    "cobol",
    "matlab",
    "vba",
    "visual basic",
    "vb\\.net",
    "objective-c",
    "assembly language",
    "webassembly",
    "wasm",
    "sql",
    "mysql",
    "postgres(ql)?",
    "sqlite",
    "mongodb",
    "redis",
    "graphql",
    "html5?",
    "css3?",
    "js",
    "regex(es)?",
    "regexp",
    "regular expressions?",
    "zsh",
    "powershell",
    "shell script",
    // frameworks and libraries
    "react\\.?js",
    "react native",
    "vue\\.?js",
    "angularjs",
    "svelte",
    "next\\.js",
    "node\\.?js",
    "nodejs",
    "deno",
    "express(\\.?js)",
    "expressjs",
    "jquery",
    "three\\.js",
    "d3\\.js",
    "discord\\.js",
    "discord\\.py",
    "fastapi",
    "spring boot",
    "ruby on rails",
    "laravel",
    "asp\\.net",
    "\\.net",
    "dotnet",
    "swiftui",
    "jetpack compose",
    "xamarin",
    "unity3d",
    "unreal engine",
    "godot",
    "pygame",
    "pybullet",
    "tkinter",
    "pyqt",
    "xlib",
    "opengl",
    "vulkan",
    "directx",
    "cuda",
    "opencl",
    "tensorflow",
    "pytorch",
    "pytorch geometric",
    "keras",
    "numpy",
    "scipy",
    "scikit-learn",
    "sklearn",
    "matplotlib",
    "seaborn",
    "opencv",
    "huggingface",
    "hugging face",
    "langchain",
    "lang chain",
    "llamaindex",
    "onnx",
    "gradio",
    "streamlit",
    "pytest",
    "junit",
    "webpack",
    "vite",
    "bootstrap css",
    "wordpress plugin",
    "apache spark",
    "pyspark",
    "hadoop",
    "elasticsearch",
    "ansible",
    // developer tools and platforms
    "git",
    "github",
    "gitlab",
    "docker(file)?",
    "docker-compose",
    "kubernetes",
    "k8s",
    "kubectl",
    "npm",
    "pip",
    "conda",
    "virtualenv",
    "ffmpeg",
    "imagemagick",
    "rsync",
    "grep",
    "awk",
    "cron(tab)?",
    "ssh",
    "nginx",
    "systemd",
    "vscode",
    "vs code",
    "visual studio",
    "intellij",
    "xcode",
    "eclipse ide",
    "emacs",
    "jupyter",
    "colab",
    "stack ?overflow",
    "api",
    "apis",
    "rest api",
    "sdk",
    "ide",
    "cli",
    "command[- ]line",
    "terminal command",
  ].join("|")})(?![\w])`,
  "gi",
);

/** Language names that are also ordinary words: counted only when used as a language. */
/**
 * Names that are also ordinary words (a snake, a bird, a film, a lab flask, Franz Kafka, a
 * birthday bash): counted only when the text uses them as a language or tool ("in C",
 * "using pandas", "Swift code", "a Flask app").
 */
const AMBIGUOUS_NAME =
  "(c|r|go|java|rust|swift|ruby|dart|julia|groovy|nim|zig|vb|elm|pascal|prolog|lisp|scheme|scala|elixir|solidity|bash|latex|unity|node|react|vue|angular|flutter|django|flask|pandas|kafka|selenium|cypress|tailwind|spring|spark)";
/** Tool names too common as words to count after a preposition: only as "X install", "X config". */
const SUFFIX_ONLY_NAME = "(yarn|mocha|babel|jest|helm|terraform|airflow|homebrew|sed|vim|qt)";
const TOOL_SUFFIX =
  "(code|script|program|programm(er|ing)|function|class|language|developer|library|package|module|framework|app|application|project|compiler|macro|formula|snippet|syntax|file|schema|parser|server|api|component|plugin|config|configuration|install|command|test|tests|dataframe|webpage|website|route|endpoint|query|error|exception)s?";
const LANGUAGE_IN_USE = new RegExp(
  String.raw`(\b(in|using|use|with|into|on)\s+${AMBIGUOUS_NAME}(?![\w#+/])(?!\s+(of|is|was|and)\b)|\b${AMBIGUOUS_NAME}\s+${TOOL_SUFFIX}\b|\b${SUFFIX_ONLY_NAME}\s+${TOOL_SUFFIX}\b)`,
  "i",
);

/**
 * Asking for a program: "write a bubble sort", "implement a web server", "give me a python gui";
 * not a zip code, a training program or the function of the liver.
 */
const CODE_REQUEST =
  /\b(write|writing|create|implement|generate|build|make|give me|show me|code|develop|convert|translate|refactor|debug|fix|optimi[sz]e|explain)\b[^.?!\n]{0,60}\b((?<!(zip|postal|area|dress|morse|promo|discount|coupon|country|qr|bar|vinci|secret|cheat|access|source|moral|penal|civil|tax) )code(?! of)|(?<!(training|exercise|workout|fitness|tv|television|radio|loyalty|study|degree|master's|exchange|diet|meal|rewards?|mentorship|internship|school|summer|wellness|marketing|treatment|recovery|reading|space|government|social|research|outreach|volunteer) )program(?! of)|function(?! of)|snippet|algorithm|regex|sql query|webserver|web server|http server|rest api|endpoint|web ?app|gui|cli tool|discord bot|telegram bot|unit tests?|dataset class|bubble sort|quick ?sort|merge sort|binary search|linked list|data structure)s?\b/i;

/** Words about programming itself. */
const PROGRAMMING_TERMS =
  /\b(programming|coding|source code|codebase|code review|compiler|compile|interpreter|debugger|debugging|stack trace|traceback|segfault|segmentation fault|syntax error|runtime error|exception handling|null pointer|design patterns?|factory (method )?pattern|singleton pattern|object[- ]oriented|functional programming|recursion|recursive function|linked lists?|binary (search )?trees?|hash ?(map|table)s?|bubble sort|quick ?sort|merge sort|big[- ]o notation|time complexity|n\+1 quer(y|ies)|programming languages?|interpreted languages?|unit tests?|pull request|merge conflict|git repository|backend|frontend|front-end|back-end|full[- ]stack|devops|microservices?|web ?socket|http request|rest(ful)? endpoint|json schema|json file|parse json|data ?frame|numpy array|function call|lambda function|for loop|while loop|if statement|match statement|integer overflow|floating[- ]point|null pointer|string literal|excel (formulas?|macros?|vba)|open[- ]source (project|library|framework|tool))\b/i;

/** Operating-system how-tos are shell work. */
const SHELL_HOWTO =
  /\b(how (do|can|to|should) (i|you|we)?\s*|how to\b)[^?\n]{0,80}\b(linux|ubuntu|debian|fedora|centos|freebsd|arch linux|linux mint|macos terminal|windows terminal|command prompt|cmd\.exe|the terminal|shell)\b|\b(linux|linux's|unix)\b[^?\n]{0,40}\b(command|commands|package|packages|kernel module|terminal|shell)\b/i;

/** A creative piece about code ("a poem about programming") is not coding unless it shows code. */
export const CREATIVE =
  /^\s*(please\s+)?(write|compose|create|make|tell|give|generate)( me| us)?( (a|an|some|one|two|three|\d+))?( [\w'’-]+){0,6} (poem|story|stories|song|haiku|limerick|joke|essay|rap|sonnet|tweet|screenplay|(film|movie|video|comedy|play) script|standup|stand-up|comedy|letter|email|cover letter|resume|résumé|cv|job description|job ad|bio|biography|speech|toast)\b/i;

export interface Reason {
  rule: string;
  /** What in the text triggered it, shortened. */
  match: string;
}

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

function fencedCode(text: string): string | undefined {
  for (const m of text.matchAll(FENCED)) {
    const body = m[2] ?? "";
    if (CODE_LINE.test(body) || codeSymbolShare(body) > 0.06) return body;
  }
  return undefined;
}

/** Share of characters typical of code and rare in prose. */
function codeSymbolShare(s: string): number {
  if (s.length < 10) return 0;
  return (s.match(/[{}();=<>[\]]/g)?.length ?? 0) / s.length;
}

export function codingReasons(text: string): Reason[] {
  const reasons: Reason[] = [];
  const fenced = fencedCode(text);
  if (fenced !== undefined) reasons.push({ rule: "fenced code", match: clip(fenced) });
  const line = text.match(CODE_LINE);
  if (line) reasons.push({ rule: "code-shaped line", match: clip(line[0]) });
  if (CREATIVE.test(text)) return reasons;
  const names = new Set([...text.matchAll(TECH_NAMES)].map((m) => (m[1] ?? "").toLowerCase()));
  if (names.size)
    reasons.push({ rule: "programming language or tool", match: [...names].join(", ") });
  const inUse = text.match(LANGUAGE_IN_USE);
  if (inUse) reasons.push({ rule: "language named in use", match: clip(inUse[0]) });
  const request = text.match(CODE_REQUEST);
  if (request) reasons.push({ rule: "asks for code", match: clip(request[0]) });
  const term = text.match(PROGRAMMING_TERMS);
  if (term) reasons.push({ rule: "programming term", match: clip(term[0]) });
  const shell = text.match(SHELL_HOWTO);
  if (shell) reasons.push({ rule: "shell how-to", match: clip(shell[0]) });
  return reasons;
}
