"""Where a training step's time goes on a GPU: wall time per step against the GPU's busy (kernel) time and the kernel count.

If the kernels take a small part of the wall time, the step is bound by the host (Python, dispatch, launches), and
running several runs at once on the GPU is what fills it. With --stack k (default 5) each shape/strategy is also
profiled as k seeds stacked in one model (typhoon_nb.stacked): compare its kernels per step with one run's. On a CPU (--toy) it only checks that the script runs.

    python bench/profile_step.py --data-dir ../shared/data/glue          # on the GPU
    python bench/profile_step.py --toy
"""
import argparse, statistics, time
import torch

def profile(shape, task, strategy, data_dir, dev, steps, toy, stack=0):
    from torch.profiler import profile as tprofile, ProfilerActivity
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import batches
    import bench_gpu
    model, tok, _ = load_backbone(shape, random_init=True, seed=0)
    data = bench_gpu.task_data(task, tok, data_dir, max_train=32 * (2 * steps + 4))
    bl = list(batches(data["train"], 8 if toy else 32, seed=0, pad_id=tok.pad_token_id, group_by_length=True))
    if stack:                                                  # k seeds stacked in one model: step on k batches at once
        kstep, batch_list, n = bench_gpu._stacked_stepper(shape, tok, strategy, dev, stack)[0], bl, len(bl)
        step, done = (lambda j: kstep([batch_list[(j + i) % n] for i in range(stack)])), (lambda: None)
        bl = list(range(n))                                   # what the loops below iterate: batch positions
    else:
        step, done = bench_gpu._stepper(model, tok, strategy, dev)
    for b in bl[:4]: step(b)
    run = bl[4:4 + steps]
    if not run: raise ValueError(f"{shape}/{task}: {len(bl)} batches, need more than 4 (4 warm-up steps): use the full data or --toy")
    bench_gpu.sync(dev); t = time.perf_counter()
    for b in run: step(b)
    bench_gpu.sync(dev); wall = (time.perf_counter() - t) / len(run)
    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if dev.type == "cuda" else [])
    with tprofile(activities=acts) as prof:
        for b in run: step(b)
        bench_gpu.sync(dev)
    done()
    ev = prof.key_averages()
    kernels = [e for e in ev if getattr(e, "device_type", None) is not None and "CUDA" in str(e.device_type)]
    gpu_us = sum(e.self_device_time_total for e in kernels) if kernels else float("nan")
    n_kernels = sum(e.count for e in kernels)
    return dict(shape=shape, task=task, strategy=strategy + (f" x{stack} stacked" if stack else ""), wall_ms=wall * 1e3, gpu_busy_ms=gpu_us / 1e3 / len(run),
                kernels_per_step=n_kernels / len(run))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--shapes", default="tinybert,bert-base")
    p.add_argument("--strategies", default="none,typhoon")
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--stack", type=int, default=5, help="also profile a step of this many seeds stacked in one model; 0: skip")
    p.add_argument("--toy", action="store_true")
    a = p.parse_args(argv)
    dev = torch.device("cuda" if torch.cuda.is_available() and not a.toy else "cpu")
    shapes = ["tiny"] if a.toy else a.shapes.split(",")
    print(f"{'shape/task/strategy':<36} {'wall ms/step':>12} {'GPU busy ms':>11} {'busy %':>7} {'kernels/step':>12}")
    out = []
    for shape in shapes:
        for strat in a.strategies.split(","):
            for stack in ([0, a.stack] if a.stack else [0]):
                r = profile(shape, "mrpc", strat, a.data_dir, dev, 2 if a.toy else a.steps, a.toy, stack)
                out.append(r)
                print(f"{shape + '/mrpc/' + r['strategy']:<36} {r['wall_ms']:12.1f} {r['gpu_busy_ms']:11.2f} {r['gpu_busy_ms'] / r['wall_ms']:7.1%} {r['kernels_per_step']:12.0f}", flush=True)
    return out

if __name__ == "__main__":
    import sys, os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
