"""Does keeping freed memory in the process (`executors.keep_freed_memory`) speed up a CPU training step?

The study's Typhoon step (bundled MiniLM, full CoLA from GLUE_DIR or ../shared/data/glue, batch 32, max length 64,
one thread), timed over the same batches in one process: first with glibc's defaults, then after
`keep_freed_memory()`. Prints the median step of each, their ratio, and the EMA's checksum after each pass (the
same model and batches: the allocator must not change a number).

    python bench/bench_allocator.py [bf16|fp32] [steps]
"""
import os, statistics, sys, time
from pathlib import Path
import torch
from typhoon_nb.executors import keep_freed_memory
from typhoon_nb.model import load_backbone
from typhoon_nb.data import load_glue, tokenize_glue, batches
from typhoon_nb.train import TrainConfig, TrainStep, optimizer_for, optimizer_step

def median_step(precision:str, bl:list, d, warm:int=5)->tuple:
    "(median seconds per step after `warm` steps, EMA checksum) of a fresh Typhoon step over `bl`."
    m, tok, _ = load_backbone("minilm-bundled", seed=0)
    st = TrainStep(m, tok, TrainConfig(task="cola", strategy="typhoon", device="cpu", precision=precision, max_length=64))
    opt, sched, _ = optimizer_for(st, len(d["train"]))
    times = []
    for i, b in enumerate(bl):
        t = time.perf_counter(); st(b); optimizer_step(st, opt, sched); st.mask_entropy()
        if i >= warm: times.append(time.perf_counter() - t)
    return statistics.median(times), float(st.ema.scores.sum())

if __name__ == "__main__":
    precision, steps = (sys.argv[1] if len(sys.argv) > 1 else "bf16"), int(sys.argv[2]) if len(sys.argv) > 2 else 30
    torch.set_num_threads(1)
    glue = os.environ.get("GLUE_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "data" / "glue"))
    tok = load_backbone("minilm-bundled", seed=0)[1]
    d = tokenize_glue(load_glue("cola", glue), tok, "cola", 64)
    bl = list(batches(d["train"], 32, seed=0, pad_id=tok.pad_token_id, group_by_length=True))[:steps]
    base, sum0 = median_step(precision, bl, d)
    kept = keep_freed_memory()
    fast, sum1 = median_step(precision, bl, d)
    print(f"{precision}, one thread, {steps} steps: glibc defaults {base * 1e3:.1f} ms/step; freed memory kept ({kept}) {fast * 1e3:.1f} ms/step; "
          f"ratio {fast / base:.2f}; EMA checksum {sum0:.6f} / {sum1:.6f} ({'same' if sum0 == sum1 else 'DIFFERENT'})")
