/**
 * A readable name and the maker for a model an import creates from its slug alone
 * (`oasst-pythia-12b` → "OpenAssistant Pythia 12B", LAION). Only a default: the admin edits it
 * under Models, and an import never renames a model that exists. Pure, no I/O.
 *
 * Two tables: brands and acronyms as their makers write them (with whether the brand joins the
 * version or size after it with a hyphen, "GPT-4", "ChatGLM-6B"), and the organization behind
 * each well-known family, matched on the slug's start.
 */

interface Brand {
  name: string;
  /** The next tokens it joins with a hyphen: "GPT-3.5", "MPT-7B", "FastChat-T5". */
  join?: RegExp;
}

const DIGIT = /^\d/;

const BRANDS: Record<string, Brand> = {
  gpt: { name: "GPT", join: /^(\d|j$|neox?$)/ },
  chatgpt: { name: "ChatGPT" },
  gpt4all: { name: "GPT4All" },
  chatglm: { name: "ChatGLM", join: DIGIT },
  chatglm2: { name: "ChatGLM2", join: DIGIT },
  chatglm3: { name: "ChatGLM3", join: DIGIT },
  glm: { name: "GLM", join: DIGIT },
  oasst: { name: "OpenAssistant" },
  openassistant: { name: "OpenAssistant" },
  stablelm: { name: "StableLM" },
  mpt: { name: "MPT", join: DIGIT },
  fastchat: { name: "FastChat", join: /^t5$/ },
  rwkv: { name: "RWKV", join: DIGIT },
  palm: { name: "PaLM" },
  wizardlm: { name: "WizardLM" },
  wizardcoder: { name: "WizardCoder" },
  codellama: { name: "Code Llama" },
  deepseek: { name: "DeepSeek" },
  openchat: { name: "OpenChat" },
  phi: { name: "Phi", join: DIGIT },
  dbrx: { name: "DBRX" },
  olmo: { name: "OLMo" },
  qwq: { name: "QwQ" },
  xai: { name: "xAI" },
  neox: { name: "NeoX" },
  // acronyms
  t5: { name: "T5" },
  it: { name: "IT" },
  hf: { name: "HF" },
  moe: { name: "MoE" },
  sft: { name: "SFT" },
  dpo: { name: "DPO" },
  rlhf: { name: "RLHF" },
  awq: { name: "AWQ" },
  gptq: { name: "GPTQ" },
  gguf: { name: "GGUF" },
};

/** The family's organization, by the start of the slug's (last path segment's) lower-cased name. */
const ORGANIZATIONS: [prefixes: string[], organization: string][] = [
  [["gpt4all"], "Nomic AI"],
  [["gpt-j", "gpt-neox", "gpt-neo"], "EleutherAI"],
  [["gpt", "chatgpt", "o1", "o3", "o4", "text-davinci", "davinci"], "OpenAI"],
  [["claude"], "Anthropic"],
  [["palm", "bard", "gemini", "gemma", "flan", "t5", "codey"], "Google"],
  [["llama", "codellama", "code-llama"], "Meta"],
  [["vicuna", "fastchat"], "LMSYS"],
  [["chatglm", "glm"], "Tsinghua"],
  [["oasst", "openassistant"], "LAION"],
  [["stablelm", "stable"], "Stability AI"],
  [["dolly", "dbrx"], "Databricks"],
  [["mpt"], "MosaicML"],
  [["rwkv"], "RWKV"],
  [["alpaca"], "Stanford"],
  [["koala"], "BAIR"],
  [["guanaco"], "UW"],
  [["mistral", "mixtral", "codestral", "ministral", "pixtral"], "Mistral AI"],
  [["qwen", "qwq"], "Alibaba"],
  [["yi"], "01.AI"],
  [["deepseek"], "DeepSeek"],
  [["phi", "wizardlm", "wizardcoder", "orca"], "Microsoft"],
  [["command", "c4ai", "aya"], "Cohere"],
  [["falcon"], "TII"],
  [["pythia"], "EleutherAI"],
  [["gorilla", "starling"], "UC Berkeley"],
  [["zephyr"], "Hugging Face"],
  [["grok"], "xAI"],
  [["nemotron"], "NVIDIA"],
  [["olmo"], "AI2"],
  [["openchat"], "OpenChat"],
  [["jamba"], "AI21 Labs"],
  [["reka"], "Reka"],
];

/**
 * Words some families write their own way: LLaMA (the first) but Llama 2 and later, and a
 * capital V in Dolly V2 and DeepSeek-V2 where Claude and Mistral write v1, v0.2.
 */
function familyWord(family: string, word: string, next: string | undefined): string | undefined {
  if (word === "llama") return next && /^\d+(\.\d+)?$/.test(next) ? "Llama" : "LLaMA";
  if ((family === "dolly" || family === "deepseek") && /^v\d/.test(word)) return word.toUpperCase();
  return undefined;
}

/** "13b" → "13B", "8x7b" → "8x7B", "1.5t" → "1.5T": parameter and token counts. */
const SIZE = /^(\d+x)?\d+(\.\d+)?[kmbt]$/;
/** "v1", "v0.2": versions, written lower-case unless a family says otherwise. */
const VERSION = /^v\d+(\.\d+)*$/;

function cased(family: string, raw: string, next: string | undefined): string {
  const word = raw.toLowerCase();
  const own = familyWord(family, word, next);
  if (own) return own;
  const brand = BRANDS[word];
  if (brand) return brand.name;
  if (SIZE.test(word)) return word.slice(0, -1) + word.slice(-1).toUpperCase();
  if (VERSION.test(word)) return word;
  // A brand with a version glued on ("qwen1.5", "chatglm2") keeps the brand's casing.
  const glued = /^([a-z]+)(\d[\d.]*)$/.exec(word);
  if (glued?.[1] && BRANDS[glued[1]]) return `${BRANDS[glued[1]]?.name}${glued[2]}`;
  // The slug's own capitals are the maker's ("RWKV-4-Raven-14B"): keep them.
  if (raw !== word) return raw;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function joins(word: string, next: string | undefined): boolean {
  const join = BRANDS[word.toLowerCase()]?.join;
  return join !== undefined && next !== undefined && join.test(next.toLowerCase());
}

/** The part after an `org/` prefix (`meta-llama/Llama-2-7b-chat-hf` → `Llama-2-7b-chat-hf`). */
function baseName(slug: string): string {
  return slug.trim().split("/").filter(Boolean).pop() ?? slug.trim();
}

/** `oasst-pythia-12b` → "OpenAssistant Pythia 12B": a readable default an admin can edit later. */
export function modelDisplayName(slug: string): string {
  const tokens = baseName(slug)
    .split(/[-_\s]+/)
    .filter(Boolean);
  const family = tokens[0]?.toLowerCase() ?? "";
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    let word = cased(family, token, next);
    if (next !== undefined && joins(token, next)) {
      word += `-${cased(family, next, tokens[i + 2])}`;
      i++;
    }
    out.push(word);
  }
  return out.join(" ");
}

/** The maker of a well-known family ("claude-instant-v1" → "Anthropic"); "" when unknown. */
export function modelOrganization(slug: string): string {
  const name = baseName(slug).toLowerCase();
  for (const [prefixes, organization] of ORGANIZATIONS) {
    for (const prefix of prefixes) {
      // a whole word, or a version glued on: "qwen1.5", "chatglm2", but not "phind" for "phi"
      if (name.startsWith(prefix) && !/[a-z]/.test(name.charAt(prefix.length))) return organization;
    }
  }
  return "";
}
