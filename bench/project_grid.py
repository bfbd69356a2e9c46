"""Project the wall time of a whole grid from a partial run of it (a grid stopped by a time limit).

Finished runs count with their measured seconds. A run not finished counts with the median seconds of finished runs of the
same backbone and task; where there is none, with the same backbone's other task scaled by steps and by the
per-step time ratio between the two tasks that other backbones showed in the same grid (same contention). The
projection is the start-up time plus the total run-seconds divided by the number of workers (all busy until the end:
the queue runs the longest runs first, so the tail is short).

With --bench (the JSON of bench/bench_gpu.py on the same machine) it also reports the grid's achieved tokens/s and
model FLOP utilisation (12 x non-embedding parameters per clean-batch token: the task and MLM copies, forward and
backward) beside the bf16 peak.

    python bench/project_grid.py bench/results/paper_grid_h200_2026-11-27.jsonl --workers 16 --startup 27 \
        --bench bench/results/bench_gpu_h200_2026-11-27.json
"""
import argparse, json, statistics
from collections import defaultdict

def project(records, workers, startup, backbones=("tinybert", "distilbert", "bert-base"), tasks=("mrpc", "cola"), per_cell=15):
    cells = defaultdict(list)
    for r in records: cells[(r["config"]["backbone"], r["config"]["task"])].append(r)
    step_s = {k: statistics.median(r["seconds"] / r["steps"] for r in rs) for k, rs in cells.items()}
    steps = {k: rs[0]["steps"] for k, rs in cells.items()}
    est, how = {}, {}
    for b in backbones:
        for t in tasks:
            if (b, t) in cells:
                est[b, t], how[b, t] = statistics.median(r["seconds"] for r in cells[b, t]), f"median of {len(cells[b, t])} finished"
                continue
            o = next(x for x in tasks if x != t)
            ratios = [step_s[bb, t] / step_s[bb, o] for bb in backbones if (bb, t) in step_s and (bb, o) in step_s]
            if (b, o) not in cells or not ratios: raise ValueError(f"cannot estimate {b}/{t}: no finished runs to scale from")
            n_steps = next((steps[bb, t] for bb in backbones if (bb, t) in steps), steps[b, o])
            est[b, t] = step_s[b, o] * statistics.mean(ratios) * n_steps
            how[b, t] = f"{b}/{o} per step x {statistics.mean(ratios):.2f} (mean {t}/{o} ratio of {len(ratios)} backbones) x {n_steps} steps"
    total = 0.0
    for k in est:
        done = sum(r["seconds"] for r in cells.get(k, []))
        total += done + (per_cell - len(cells.get(k, []))) * est[k]
    return dict(estimates=est, how=how, run_seconds=total, wall_seconds=startup + total / workers,
                steps={(b, t): next((steps[bb, t] for bb in backbones if (bb, t) in steps), None) for b in backbones for t in tasks})

def utilisation(proj, bench:dict, per_cell=15, peak=989e12):
    "(tokens/s, model FLOP utilisation) of the whole projected grid."
    tok = flops = 0.0
    for r in bench["results"]:
        n = proj["steps"].get((r["shape"], r["task"]))
        if n is None: continue
        tok += per_cell * n * r["tokens_per_step"]
        flops += per_cell * n * r["tokens_per_step"] * 12 * r["nonembedding_params"]
    return tok / proj["wall_seconds"], flops / proj["wall_seconds"] / peak

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results"); p.add_argument("--workers", type=int, required=True)
    p.add_argument("--startup", type=float, default=0.0, help="seconds before the first runs start (imports, tokenising)")
    p.add_argument("--bench", default=None, help="bench_gpu.py JSON from the same machine: adds tokens/s and MFU")
    p.add_argument("--peak", type=float, default=989e12, help="bf16 dense peak FLOP/s (H100/H200 datasheet: 989e12)")
    a = p.parse_args(argv)
    recs = [json.loads(l) for l in open(a.results) if l.strip()]
    out = project(recs, a.workers, a.startup)
    for k, v in out["estimates"].items(): print(f"  {k[0]}/{k[1]}: {v:6.1f} s per run ({out['how'][k]})")
    print(f"{len(recs)} finished runs; projected total {out['run_seconds']:.0f} run-seconds -> "
          f"{out['wall_seconds']:.0f} s = {out['wall_seconds'] / 60:.1f} min wall on {a.workers} workers")
    if a.bench:
        tps, mfu = utilisation(out, json.load(open(a.bench)), peak=a.peak)
        print(f"whole grid: {tps:,.0f} padded tokens/s (clean batch), model FLOP utilisation {mfu:.1%} of {a.peak / 1e12:.0f} TFLOP/s bf16")
    return out

if __name__ == "__main__": main()
