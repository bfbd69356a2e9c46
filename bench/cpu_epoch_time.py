"""Seconds per training epoch on this machine, per backbone shape and task (issue 3).

Times our joint step (task forward + MLM forward on a random-masked copy + backward + AdamW) on batches
spread evenly over a length-grouped epoch (batch 32, MRPC max 128 tokens, CoLA max 64), and projects the
epoch as mean step time x steps per epoch. Random weights (shape only): timing, not accuracy.

    python bench/cpu_epoch_time.py --data-dir ../shared/data/glue
    python bench/cpu_epoch_time.py --data-dir ../shared/data/glue --compare-slots   # MLM slots vs the exact count

Steps are timed as `fine_tune` runs them on a CPU: the MLM head sized by the exact masked count.
`--compare-slots` also times each step with the head sized by fixed slots (`step_slots`, what a GPU
run uses to avoid a host sync) right after it, and prints the ratio.
"""
import argparse, math, os, statistics, time, platform
import torch
from bench_gpu import task_data

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--shapes", default="tinybert,minilm-bundled,distilbert,bert-base")
    p.add_argument("--steps", type=int, default=6, help="timed steps per shape and task (after one warm-up)")
    p.add_argument("--strategy", default="random")
    p.add_argument("--compare-slots", action="store_true", help="also time each step with fixed MLM slots (the GPU path)")
    a = p.parse_args(argv)
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import batches
    from typhoon_nb.train import TrainConfig, train_step, make_strategy, step_slots
    from contextlib import nullcontext
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"{'shape':<16} {'task':<5} {'s/step':>7} {'steps/epoch':>11} {'s/epoch':>8}" + ("  s/step(slots) slots/count" if a.compare_slots else ""))
    for shape in a.shapes.split(","):
        model, tok, _ = load_backbone(shape, random_init=True)
        for task in ("mrpc", "cola"):
            data = task_data(task, tok, a.data_dir)             # as the grid tokenises it (MRPC 128 tokens, CoLA 64)
            bl = list(batches(data["train"], 32, seed=0, pad_id=tok.pad_token_id, group_by_length=True))
            pick = [bl[int(i * len(bl) / (a.steps + 1))] for i in range(a.steps + 1)]
            cfg = TrainConfig(task=task, strategy=a.strategy, device="cpu")
            strat, ema = make_strategy(cfg, len(tok), "cpu")
            opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
            g = torch.Generator().manual_seed(0)
            special = sorted(set(tok.all_special_ids))
            ts, tc = [], []
            def timed(b, slots):
                t = time.perf_counter()
                train_step(model, b, cfg, strat, ema, None, special, tok, g, nullcontext(), slots)
                opt.step(); opt.zero_grad(set_to_none=True)
                return time.perf_counter() - t
            for i, b in enumerate(pick):
                t = timed(b, None)
                if i: tc.append(t)
                if a.compare_slots:
                    t = timed(b, step_slots(strat, b, special))
                    if i: ts.append(t)
            s = statistics.mean(tc)
            extra = f"  {statistics.mean(ts):14.2f} {statistics.mean(ts) / s:11.3f}" if a.compare_slots else ""
            print(f"{shape:<16} {task:<5} {s:7.2f} {len(bl):11d} {s * len(bl):8.0f}{extra}", flush=True)

if __name__ == "__main__": main()
