"""
Reference numbers for style control (tests/fixtures/fastchat-style*-reference.json), produced by
FastChat's own code. Not run by npm test: run by hand, with Debian 12's python3-numpy,
python3-scipy, python3-pandas, python3-regex and python3-tqdm, after copying two files of
lm-sys/FastChat, unchanged, into a scratch directory outside the repository:

  git show <commit>:fastchat/serve/monitor/rating_systems.py  > $SCRATCH/rating_systems.py
  git show <commit>:fastchat/serve/monitor/add_markdown_info.py > $SCRATCH/add_markdown_info.py
  /usr/bin/python3 scripts/reference/fastchat_style_reference.py --fastchat $SCRATCH \
      --battles ../shared/data/lmsys-2023-en-battles-with-text.jsonl \
      --tiktoken node_modules/gpt-tokenizer/data/cl100k_base.tiktoken \
      --out tests/fixtures/fastchat-style-reference.json

What comes from where:
- markdown counts: FastChat's add_markdown_info.get_element_counts on each side's conversation
  (the user prompt, then the response as the assistant turn);
- tokens: FastChat counts with tiktoken's cl100k_base (clean_battle_data.py: per turn,
  allowed_special="all"). tiktoken cannot be installed here, so this script encodes with the
  same encoding another way: the cl100k_base.tiktoken rank file (its SHA-256 is checked against
  the hash tiktoken pins for it), tiktoken's split pattern and special tokens, and the plain
  byte-pair merge of tiktoken's educational implementation — independent of the JavaScript
  tokenizer the app uses, so the per-battle counts written here test it;
- ratings and coefficients: FastChat's compute_style_control(df) with its defaults;
- sandwich bounds: FastChat has none for style control, so they are computed here from FastChat's
  fitted parameters and its own preprocess_for_style features, in FastChat's parametrisation
  (logit = ln10·(θ_a − θ_b) + z·γ, penalty reg/2·‖(θ, γ)‖²·½ as in contextual_bt_loss_and_grad):
  H = Σ p(1−p)·x xᵀ + reg·I, M = Σ (y − p)²·x xᵀ with x = (ln10·(e_a − e_b), z),
  Cov = H⁻¹ M H⁻¹, bounds = rating ± Φ⁻¹(0.975)·400·√Cov_mm.
"""

import argparse
import base64
import hashlib
import json
import math
import sys

import numpy as np
import pandas as pd
import regex
from scipy.stats import norm

CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
CL100K_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
CL100K_SPECIAL = ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"]


class Cl100k:
    def __init__(self, path):
        raw = open(path, "rb").read()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != CL100K_SHA256:
            sys.exit(f"{path}: sha256 {digest} is not cl100k_base's")
        self.ranks = {}
        for line in raw.splitlines():
            if line:
                token, rank = line.split()
                self.ranks[base64.b64decode(token)] = int(rank)
        self.pattern = regex.compile(CL100K_PATTERN)
        self.special = regex.compile("|".join(regex.escape(s) for s in CL100K_SPECIAL))
        self.cache = {}

    def piece_tokens(self, piece: bytes) -> int:
        if piece in self.ranks:
            return 1
        hit = self.cache.get(piece)
        if hit is not None:
            return hit
        parts = [piece[i : i + 1] for i in range(len(piece))]
        while len(parts) > 1:
            best, at = None, None
            for i in range(len(parts) - 1):
                r = self.ranks.get(parts[i] + parts[i + 1])
                if r is not None and (best is None or r < best):
                    best, at = r, i
            if best is None:
                break
            parts = parts[:at] + [parts[at] + parts[at + 1]] + parts[at + 2 :]
        self.cache[piece] = len(parts)
        return len(parts)

    def count(self, text: str) -> int:
        """len(cl100k_base.encode(text, allowed_special="all"))"""
        total, start = 0, 0
        for m in self.special.finditer(text):
            total += self.ordinary(text[start : m.start()]) + 1
            start = m.end()
        return total + self.ordinary(text[start:])

    def ordinary(self, text: str) -> int:
        return sum(self.piece_tokens(m.group(0).encode("utf-8")) for m in self.pattern.finditer(text))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fastchat", required=True, help="directory with FastChat's two files, unchanged")
    ap.add_argument("--battles", required=True)
    ap.add_argument("--tiktoken", required=True, help="cl100k_base.tiktoken")
    ap.add_argument("--out", required=True)
    ap.add_argument("--note", default="")
    args = ap.parse_args()
    sys.path.insert(0, args.fastchat)
    import add_markdown_info
    import rating_systems

    rows = [json.loads(line) for line in open(args.battles, encoding="utf-8") if line.strip()]
    df = pd.DataFrame(
        {
            "model_a": [r["model_a"] for r in rows],
            "model_b": [r["model_b"] for r in rows],
            "winner": [r["winner"] for r in rows],
            "conversation_a": [
                [{"role": "user", "content": r["prompt"]}, {"role": "assistant", "content": r["response_a"]}]
                for r in rows
            ],
            "conversation_b": [
                [{"role": "user", "content": r["prompt"]}, {"role": "assistant", "content": r["response_b"]}]
                for r in rows
            ],
        }
    )
    enc = Cl100k(args.tiktoken)
    md_a = add_markdown_info.get_element_counts(df, "conversation_a")
    md_b = add_markdown_info.get_element_counts(df, "conversation_b")

    def tokens(conv):
        return sum(enc.count(t["content"]) for t in conv if t["role"] == "assistant")

    meta = []
    for i in range(len(df)):
        m = {
            "sum_assistant_a_tokens": tokens(df.conversation_a[i]),
            "sum_assistant_b_tokens": tokens(df.conversation_b[i]),
        }
        meta.append(m | md_a[i] | md_b[i])
    df["conv_metadata"] = meta

    ratings, coefs = rating_systems.compute_style_control(df)

    # sandwich from FastChat's fitted parameters (see the docstring)
    matchups, features, outcomes, models = rating_systems.preprocess_for_style(df)
    alpha, reg, n = math.log(10.0), 0.5, len(models)
    theta = np.array([(ratings[m] - 1000.0) / 400.0 for m in models])
    params = np.concatenate([theta, coefs])
    X = np.zeros((len(df), n + features.shape[1]))
    X[np.arange(len(df)), matchups[:, 0]] += alpha
    X[np.arange(len(df)), matchups[:, 1]] -= alpha
    X[:, n:] = features
    p = 1.0 / (1.0 + np.exp(-(X @ params)))
    H = (X * (p * (1 - p))[:, None]).T @ X + reg * np.eye(len(params))
    M = (X * ((outcomes - p) ** 2)[:, None]).T @ X
    Hinv = np.linalg.inv(H)
    cov = Hinv @ M @ Hinv
    z = norm.ppf(0.975)
    se = np.sqrt(np.diag(cov))

    def side(i, s):
        c = meta[i]
        return [
            c[f"sum_assistant_{s}_tokens"],
            sum(c[f"header_count_{s}"].values()),
            sum(c[f"list_count_{s}"].values()),
            sum(c[f"bold_count_{s}"].values()),
        ]

    out = {
        "note": args.note,
        "battles": len(df),
        "modelOrder": models,
        "models": [
            {
                "model": m,
                "rating": round(float(ratings[m]), 6),
                "sandwichLower": round(float(ratings[m] - z * 400 * se[k]), 6),
                "sandwichUpper": round(float(ratings[m] + z * 400 * se[k]), 6),
            }
            for k, m in enumerate(models)
        ],
        "coefficients": {
            name: {
                "value": round(float(coefs[k]), 6),
                "lower": round(float(coefs[k] - z * se[n + k]), 6),
                "upper": round(float(coefs[k] + z * se[n + k]), 6),
            }
            for k, name in enumerate(["length", "headers", "lists", "bold"])
        },
        "featureStd": [round(float(x), 9) for x in np.std(
            (lambda v: (v[:4] - v[4:]) / (v[:4] + v[4:] + 1))(
                np.array([side(i, "a") + side(i, "b") for i in range(len(df))], dtype=float).T
            ), axis=1)],
        "features": {
            "columns": ["tokensA", "headersA", "listsA", "boldA", "tokensB", "headersB", "listsB", "boldB"],
            "rows": [side(i, "a") + side(i, "b") for i in range(len(df))],
        },
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
