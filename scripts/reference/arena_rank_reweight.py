"""
Reference numbers for reweighted sandwich intervals (LMArena, July 2025), computed from the
formulas published in lmarena/arena-rank (arena_rank/utils/data_utils.py PairDataset.from_pandas,
arena_rank/models/bradley_terry.py BradleyTerry.loss_function and compute_hessian_and_covariance,
compute_ratings_and_cis with ci_method="sandwich"), reimplemented here in numpy/scipy because
arena-rank itself needs jax, which is not installable where these references are made. Nothing
is imported from arena-rank; every formula is written out below with the line it mirrors.

Not run by npm test. Usage:
  python3 scripts/reference/arena_rank_reweight.py VOTES.csv OUT.json "NOTE ABOUT THE INPUT" [FIRST]

FIRST: use only the file's first FIRST votes.

VOTES.csv has model_a,model_b,winner columns (FastChat's vocabulary: model_a, model_b, tie,
tie (bothbad)). The output has, per model, the plain (unweighted) and the reweighted
(weights 1/max(n_pair, 50)) sandwich ratings and 95% bounds.
"""

import csv
import json
import math
import sys

import numpy as np
from scipy.stats import norm

SCALE, BASE, INIT = 400.0, 10.0, 1000.0
ALPHA = SCALE / math.log(BASE)  # arena-rank's self.alpha
HESSIAN_REG = 1e-5  # BradleyTerry(hessian_reg=1e-5)
MIN_PAIR_COUNT = 50  # PairDataset.from_pandas(min_pair_count=50)
SIGNIFICANCE = 0.05


def outcome(winner):
    # default_outcome_map: model_a 1, model_b 0, tie / both_bad 0.5, anything else 0.5
    return {"model_a": 1.0, "model_b": 0.0}.get(winner, 0.5)


def read_votes(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [(r["model_a"], r["model_b"], outcome(r["winner"])) for r in rows]


def pair_dataset(votes, reweighted):
    """PairDataset.from_pandas: unique (a, b, outcome) rows with counts; weights per pair."""
    competitors = sorted({m for a, b, _ in votes for m in (a, b)})  # pd.factorize(sort=True)
    index = {m: k for k, m in enumerate(competitors)}
    cells = {}
    for a, b, y in votes:
        key = (index[a], index[b], y)
        cells[key] = cells.get(key, 0) + 1
    keys = sorted(cells)
    pairs = np.array([(a, b) for a, b, _ in keys], dtype=np.int64)
    outcomes = np.array([y for _, _, y in keys], dtype=np.float64)
    counts = np.array([cells[k] for k in keys], dtype=np.float64)
    # pair_counts: all battles of the UNORDERED pair (both orientations, every outcome)
    unordered = {}
    for (a, b, _), c in zip(keys, counts):
        u = (min(a, b), max(a, b))
        unordered[u] = unordered.get(u, 0.0) + c
    pair_counts = np.array([unordered[(min(a, b), max(a, b))] for a, b, _ in keys])
    if reweighted:
        weights = 1.0 / np.maximum(pair_counts, MIN_PAIR_COUNT)  # not divided by the mean
    else:
        weights = np.ones_like(pair_counts)
    opt_weights = weights * counts
    return competitors, pairs, outcomes, counts, weights, opt_weights


def fit(n, pairs, outcomes, opt_weights):
    """
    argmin of loss_function: −Σ w·(y·d − softplus(d)) / Σ w, d = r_a − r_b (no penalty).
    arena-rank runs L-BFGS from zeros (gtol = ftol = 1e-9); its iterates stay on Σr = 0 because
    every gradient sums to zero. Here: Newton on the same loss with the same gauge, run until
    the gradient is at rounding level, i.e. the exact optimum L-BFGS approaches.
    """
    r = np.zeros(n)
    a, b = pairs[:, 0], pairs[:, 1]
    total = opt_weights.sum()
    for _ in range(200):
        d = r[a] - r[b]
        p = 1.0 / (1.0 + np.exp(-d))
        g_vals = opt_weights * (p - outcomes) / total
        grad = np.zeros(n)
        np.add.at(grad, a, g_vals)
        np.add.at(grad, b, -g_vals)
        h_vals = opt_weights * p * (1 - p) / total
        hess = np.zeros((n, n))
        np.add.at(hess, (a, a), h_vals)
        np.add.at(hess, (b, b), h_vals)
        np.add.at(hess, (a, b), -h_vals)
        np.add.at(hess, (b, a), -h_vals)
        if np.max(np.abs(grad)) < 1e-15:
            break
        step = np.linalg.solve(hess + np.ones((n, n)) / n, grad)  # 11ᵀ/n: the Σr = 0 gauge
        r = r - step
        r -= r.mean()
    return r, float(np.max(np.abs(grad)))


def sandwich(n, r, pairs, outcomes, counts, opt_weights, reweighted):
    """compute_hessian_and_covariance and the sandwich branch of compute_ratings_and_cis."""
    a, b = pairs[:, 0], pairs[:, 1]
    probs = 1.0 / (1.0 + np.exp(-(r[a] - r[b])))
    grad_vals = (outcomes - probs) * opt_weights
    var_grad_vals = grad_vals**2 / counts  # = counts · w² · (y − p)²
    hess_vals = probs * (1.0 - probs) * opt_weights

    def assemble(vals):  # assemble_parwise_matrix
        m = np.zeros((n, n))
        np.add.at(m, (a, a), vals)
        np.add.at(m, (b, b), vals)
        np.add.at(m, (a, b), -vals)
        np.add.at(m, (b, a), -vals)
        return m

    total_battles = counts.sum()
    # is_unweighted = allclose(weights, 1): the ridge is 1e-5 · N unweighted, 1e-5 reweighted
    effective_reg = HESSIAN_REG * (1.0 if reweighted else total_battles)
    hessian = assemble(hess_vals) + np.eye(n) * effective_reg
    grad_cov = assemble(var_grad_vals)
    h_inv = np.linalg.inv(hessian)
    cov = h_inv @ grad_cov @ h_inv
    se = np.sqrt(np.diag(cov))
    z = norm.ppf(1 - SIGNIFICANCE / 2)
    scale = lambda x: x * ALPHA + INIT  # noqa: E731
    return scale(r), scale(r - z * se), scale(r + z * se)


def main():
    votes_path, out_path, input_note = sys.argv[1], sys.argv[2], sys.argv[3]
    votes = read_votes(votes_path)
    if len(sys.argv) > 4:
        votes = votes[: int(sys.argv[4])]
    result = {}
    for reweighted in (False, True):
        competitors, pairs, outcomes, counts, weights, opt_weights = pair_dataset(votes, reweighted)
        n = len(competitors)
        r, grad_norm = fit(n, pairs, outcomes, opt_weights)
        ratings, lower, upper = sandwich(n, r, pairs, outcomes, counts, opt_weights, reweighted)
        result["reweighted" if reweighted else "plain"] = (competitors, ratings, lower, upper, grad_norm)
    competitors = result["plain"][0]
    models = []
    for k, m in enumerate(competitors):
        row = {"model": m}
        for view in ("plain", "reweighted"):
            _, ratings, lower, upper, _ = result[view]
            row[view] = {
                "rating": round(float(ratings[k]), 6),
                "lower": round(float(lower[k]), 6),
                "upper": round(float(upper[k]), 6),
            }
        models.append(row)
    models.sort(key=lambda row: -row["reweighted"]["rating"])
    pair_sizes = {}
    for a, b, _ in votes:
        u = tuple(sorted((a, b)))
        pair_sizes[u] = pair_sizes.get(u, 0) + 1
    out = {
        "note": (
            f"Reference numbers for reweighted sandwich intervals on {input_note} ({len(votes)} votes, "
            f"{len(competitors)} models, {len(pair_sizes)} unordered pairs, "
            f"{sum(1 for c in pair_sizes.values() if c < MIN_PAIR_COUNT)} of them with fewer than "
            f"{MIN_PAIR_COUNT} battles). Produced by scripts/reference/arena_rank_reweight.py: "
            "lmarena/arena-rank's published formulas (commit 3900eae: PairDataset.from_pandas with "
            "reweighted=True, min_pair_count=50, i.e. each battle weighted by 1/max(n_pair, 50) with "
            "n_pair all battles of the unordered pair, ties included; BradleyTerry.loss_function; "
            "compute_hessian_and_covariance with hessian_reg 1e-5, times N when unweighted; sandwich "
            "Cov = H^-1 G H^-1, bounds scale(r -/+ z·se), z = norm.ppf(0.975), scale 400/ln 10, "
            "offset 1000) reimplemented in numpy because arena-rank needs jax, not installable here; "
            "the optimum is found by Newton on arena-rank's loss (sum-zero gauge, as its L-BFGS from "
            "zeros keeps) to a gradient max-norm below 1e-15 instead of its L-BFGS. 'plain' is the "
            "same with weights 1 (arena-rank's unweighted sandwich). "
            f"numpy {np.__version__}, scipy {__import__('scipy').__version__}."
        ),
        "votes": len(votes),
        "minPairCount": MIN_PAIR_COUNT,
        "finalGradientNorm": {v: result[v][4] for v in ("plain", "reweighted")},
        "models": models,
    }
    with open(out_path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
