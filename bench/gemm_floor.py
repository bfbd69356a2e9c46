"""How far a study run is from the floor its matrix work sets on this CPU.

Counts the FLOPs of the study's Typhoon step (bundled MiniLM, full CoLA, joint, MLM weight 0.1, batch 32, max length 64)
on real batches with `torch.utils.flop_counter.FlopCounterMode`, measures this CPU's one-thread GEMM rate at the
encoder's shapes in fp32 and bf16, and prints the floor of a 3-epoch run (its FLOPs at that rate, nothing else)
beside the measured time of one step, in the same process. The full CoLA training set ships with the package.

    python bench/gemm_floor.py [--steps 20]     (--toy: 2 steps, a smoke test)
"""
import argparse, time
import torch
from torch.utils.flop_counter import FlopCounterMode
from typhoon_nb.core import cola_dir
from typhoon_nb.model import load_backbone
from typhoon_nb.data import load_glue, tokenize_glue
from typhoon_nb.train import TrainConfig, TrainStep
from bench_step import our_update      # the step as `fit` runs it: step, clip, AdamW, schedule, mask entropy

def gemm_rate(dtype, shapes=((700, 384, 1536), (700, 1536, 384), (700, 384, 384)), reps:int=20)->float:
    "One thread's GFLOP/s over the encoder's GEMM shapes (2 x tokens rows: the clean and the masked copy)."
    flops = secs = 0.0
    for m, k, n in shapes:
        a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
        for _ in range(3): a @ b
        t = time.perf_counter()
        for _ in range(reps): a @ b
        secs += time.perf_counter() - t; flops += 2 * m * k * n * reps
    return flops / secs / 1e9

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=20, help="steps timed and counted (as many again warm up first)")
    p.add_argument("--toy", action="store_true", help="2 steps: the suite's smoke test")
    a = p.parse_args(argv)
    if a.toy: a.steps = 2
    torch.set_num_threads(1)
    backbone = load_backbone("minilm-bundled", seed=0)
    data = tokenize_glue(load_glue("cola", cola_dir()), backbone[1], "cola", 64)
    rows = list(data["train"]); steps_per_epoch = -(-len(rows) // 32)
    print(f"torch {torch.__version__}; one thread; {steps_per_epoch} steps an epoch, 3 epochs")
    for prec in ("fp32", "bf16"):
        cfg = TrainConfig(task="cola", strategy="typhoon", seed=0, epochs=3, max_length=64, mlm_weight=0.1, device="cpu",
                          precision=prec)
        model, tok, _ = load_backbone("minilm-bundled", seed=0)
        step = TrainStep(model, tok, cfg); update = our_update(step, len(rows))
        bs = list(step.epoch_batches(rows, 0))[:a.steps * 2]
        for b in bs[:a.steps // 2]: update(b)          # warm-up
        t = time.perf_counter()
        for b in bs[a.steps:]: update(b)
        per_step = (time.perf_counter() - t) / (len(bs) - a.steps)
        with FlopCounterMode(display=False) as fc:
            for b in bs[a.steps:]: update(b)
        flops = fc.get_total_flops() / (len(bs) - a.steps)
        rate = gemm_rate(torch.float32 if prec == "fp32" else torch.bfloat16)
        floor = flops / (rate * 1e9)
        print(f"{prec}: {flops / 1e9:.1f} GFLOP a step; GEMM {rate:.0f} GFLOP/s; floor {floor * 1e3:.0f} ms a step, "
              f"{floor * steps_per_epoch * 3:.0f} s for 3 epochs; measured {per_step * 1e3:.0f} ms a step "
              f"({per_step * steps_per_epoch * 3:.0f} s of training for 3 epochs): {floor / per_step:.0%} of the floor's speed")

if __name__ == "__main__": main()
