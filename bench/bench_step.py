"""Time one training step: ours (`typhoon_nb.train.TrainStep`) against Hugging Face `Trainer`, on any device.

For each backbone shape (random weights: timing only) and task, on the same batches (batch 32, length-grouped,
dynamic padding, the grid's max lengths: MRPC 128, CoLA 64), side by side in one process. Each measurement is
the median over timed steps after an untimed pass over every batch (kernel selection, caches, compilation):
  - plain fine-tuning: our step with strategy `none` vs `Trainer` fine-tuning the same shape
  - our joint step with random masking vs with Typhoon masking
  - our joint random-masking step vs `Trainer` + `DataCollatorForLanguageModeling` on an MLM model
  - `--stack K`: K seeds stacked in one model (`typhoon_nb.stacked.StackedStep`) vs the same K seeds one by one
  - `--compile`: the Typhoon step with the encoder under `torch.compile(dynamic=True)`, first pass reported apart
  - `--compare-slots`: the MLM head in fixed slots (what a GPU step uses) vs sized by the masked count
  - `--profile`: on CUDA, the GPU's busy (kernel) time and kernel count per Typhoon step (is the step host-bound?)
Reported as seconds per epoch (median step x steps per epoch) and ratios ours / baseline; on CUDA also host
syncs per step (torch's sync debug mode), tokens/s, MFU and peak memory.

A maintainer with a GPU (one command; add --stack 5 --compile --profile for the speed designs):
    python bench/bench_step.py --data-dir glue_data --out bench/results/step_<device>_<date>.json
On a CPU, the paper's shapes (slow) or a smoke test in seconds:
    python bench/bench_step.py --data-dir ../shared/data/glue --device cpu --shapes tinybert --steps 8
    python bench/bench_step.py --toy
"""
import argparse, collections, contextlib, io, json, math, os, platform, statistics, time, warnings
import torch

PEAK_BF16 = {"H100": 989e12, "H200": 989e12, "A100": 312e12}   # dense bf16 FLOP/s, for MFU

def task_data(task:str, tok, data_dir=None, max_train=None):
    "The task tokenised as the grid tokenises it, from `data_dir` or the bundled fixture."
    from typhoon_nb.core import fixture_dir
    from typhoon_nb.data import load_glue, tokenize_glue
    from typhoon_nb.experiments import DEFAULT_MAX_LENGTH
    return tokenize_glue(load_glue(task, data_dir or fixture_dir(), max_train), tok, task, DEFAULT_MAX_LENGTH[task])

def sync(dev):
    if dev.type == "cuda": torch.cuda.synchronize()

def timed(update, inputs:list, dev, warmup:int)->tuple:
    "(per-step seconds after `warmup`, seconds of the untimed first pass) of `update` over `inputs`."
    sync(dev); t = time.perf_counter()
    for x in inputs: update(x)                                   # untimed: every batch shape seen once
    sync(dev); first = time.perf_counter() - t
    times = []
    for i, x in enumerate(inputs):
        sync(dev); t = time.perf_counter(); update(x); sync(dev)
        if i >= warmup: times.append(time.perf_counter() - t)
    return times, first

def our_update(step, n_train:int):
    "One optimisation step of a step object per input: the step, then `optimizer_step` (clip, AdamW, schedule)."
    from typhoon_nb.train import optimizer_for, optimizer_step
    opt, sched, _ = optimizer_for(step, n_train)
    def update(x):
        step(x); optimizer_step(step, opt, sched)
        if step.emas: step.mask_entropy()                        # logged every step by `fit`
    return update

def our_step(shape, tok, strategy, dev, model=None, **cfg):
    "A `TrainStep` of a fresh random-init `shape` model (or `model`)."
    from typhoon_nb.model import load_backbone
    from typhoon_nb.train import TrainConfig, TrainStep
    model = model or load_backbone(shape, random_init=True, seed=0)[0]
    return TrainStep(model, tok, TrainConfig(strategy=strategy, device=str(dev), **cfg))

def count_syncs(step, inputs, n_train, dev, steps=4)->tuple:
    "Host-device syncs per step on CUDA (torch's sync debug mode) and the lines that made them."
    if dev.type != "cuda": return float("nan"), {}
    update = our_update(step, n_train); update(inputs[0]); torch.cuda.synchronize()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always"); torch.cuda.set_sync_debug_mode("warn")
        try:
            for x in inputs[1:1 + steps]: update(x)
        finally: torch.cuda.set_sync_debug_mode(0)
    where = collections.Counter(f"{os.path.basename(w.filename)}:{w.lineno}" for w in caught if "synchroniz" in str(w.message).lower())
    return sum(where.values()) / steps, dict(where)

def trainer_steps(hf_model, examples, collator, dev, warmup, bs, bf16:bool)->list:
    "Per-step seconds of a stock `transformers.Trainer` on `examples`, in their order (data loading and collation included)."
    from transformers import Trainer, TrainingArguments, TrainerCallback
    from torch.utils.data import SequentialSampler
    class InOrder(Trainer):
        def _get_train_sampler(self, *a, **k): return SequentialSampler(self.train_dataset)
    ends = []
    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kw): sync(dev); ends.append(time.perf_counter())
    args = TrainingArguments(output_dir="/tmp/bench_trainer", per_device_train_batch_size=bs, max_steps=len(examples) // bs,
                             learning_rate=2e-5, bf16=bf16, report_to=[], save_strategy="no", logging_strategy="no",
                             dataloader_num_workers=0, use_cpu=dev.type != "cuda", disable_tqdm=True, remove_unused_columns=False)
    with contextlib.redirect_stdout(io.StringIO()):              # Trainer prints its final metrics
        InOrder(model=hf_model, args=args, train_dataset=examples, data_collator=collator, callbacks=[Clock()]).train()
    return [b - a for a, b in zip(ends[warmup:], ends[warmup + 1:])]   # one step's end to the next's

def profile(update, inputs, dev)->dict:
    "GPU busy (kernel) seconds and kernels per step against wall seconds per step (CUDA only)."
    from torch.profiler import profile as tprofile, ProfilerActivity
    sync(dev); t = time.perf_counter()
    with tprofile(activities=[ProfilerActivity.CUDA]) as prof:
        for x in inputs: update(x)
        sync(dev)
    wall = (time.perf_counter() - t) / len(inputs)
    kernels = [e for e in prof.events() if e.device_type.name == "CUDA"]
    busy = sum(e.device_time for e in kernels) / 1e6 / len(inputs)
    return dict(wall=wall, gpu_busy=busy, kernels_per_step=len(kernels) / len(inputs))

def _trainer_baselines(shape, tok, rows, order, dev, warmup, bs, bf16:bool)->dict:
    from transformers import AutoModelForSequenceClassification, AutoModelForMaskedLM, DataCollatorWithPadding, DataCollatorForLanguageModeling
    from typhoon_nb.model import shape_config
    cfg = shape_config(shape, len(tok)); cfg.num_labels = 2
    keep = ("input_ids", "attention_mask", "token_type_ids")
    plain = [dict({k: rows[i][k] for k in keep if k in rows[i]}, labels=rows[i]["label"]) for i in order]
    mlm = [{k: rows[i][k] for k in keep if k in rows[i]} for i in order]
    torch.manual_seed(0)
    out = dict(trainer_plain=statistics.median(trainer_steps(AutoModelForSequenceClassification.from_config(cfg), plain, DataCollatorWithPadding(tok), dev, warmup, bs, bf16)))
    torch.manual_seed(0)
    out["trainer_mlm"] = statistics.median(trainer_steps(AutoModelForMaskedLM.from_config(cfg), mlm, DataCollatorForLanguageModeling(tok, mlm_probability=0.15), dev, warmup, bs, bf16))
    return out

def _stacked(shape, tok, bl, strategy, dev, warmup, k, n_train, precision)->float:
    "Median seconds of a step of k stacked seeds (member i takes batch j + i, so the members' lengths differ)."
    from typhoon_nb.model import load_backbone
    from typhoon_nb.train import TrainConfig
    from typhoon_nb.stacked import StackedStep
    ss = StackedStep([load_backbone(shape, random_init=True, seed=s)[0] for s in range(k)], tok,
                     [TrainConfig(strategy=strategy, seed=s, device=str(dev), precision=precision) for s in range(k)])
    groups = [[bl[(j + i) % len(bl)] for i in range(k)] for j in range(len(bl))]
    return statistics.median(timed(our_update(ss, n_train), groups, dev, warmup)[0])

def bench_one(shape, task, a, dev)->dict:
    "Every measurement for one shape and task."
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import batches
    bs = 8 if a.toy else 32
    m0, tok, _ = load_backbone(shape, random_init=True, seed=0)
    data = task_data(task, tok, a.data_dir, 32 if a.toy else None)
    n_train, spe = len(data["train"]), math.ceil(len(data["train"]) / bs)
    bl = list(batches(data["train"], bs, seed=0, pad_id=tok.pad_token_id, group_by_length=True))[:min(a.warmup + a.steps, spe)]
    order, rows = [i for b in bl for i in b["idx"].tolist()], data["train"].to_list()
    r = dict(shape=shape, task=task, steps_per_epoch=spe, timed_steps=len(bl) - a.warmup,
             tokens_per_step=sum(b["attention_mask"].numel() for b in bl) / len(bl),
             nonembedding_params=sum(q.numel() for n, q in m0.mlm_model.named_parameters() if "embeddings" not in n))
    for strat in ("none", "random", "typhoon"):
        st = our_step(shape, tok, strat, dev, batch_size=bs, precision=a.precision)
        r[f"syncs_{strat}"], r[f"sync_sites_{strat}"] = count_syncs(our_step(shape, tok, strat, dev, batch_size=bs, precision=a.precision), bl, n_train, dev)
        if dev.type == "cuda": torch.cuda.reset_peak_memory_stats()
        r[f"ours_{strat}"] = statistics.median(timed(our_update(st, n_train), bl, dev, a.warmup)[0])
        if dev.type == "cuda": r[f"peak_gib_{strat}"] = torch.cuda.max_memory_allocated() / 2**30
        if strat == "typhoon" and a.profile and dev.type == "cuda": r["profile_typhoon"] = profile(our_update(st, n_train), bl, dev)
        if strat == "none":
            t = time.perf_counter(); st.predict(data["validation"]); sync(dev); r["eval_seconds"] = time.perf_counter() - t
        if strat == "random" and a.compare_slots:
            st.fixed_slots = not st.fixed_slots
            r["ours_random_other_slots"] = statistics.median(timed(our_update(st, n_train), bl, dev, a.warmup)[0])
        st.close()
    if a.compile:
        st = our_step(shape, tok, "typhoon", dev, batch_size=bs, precision=a.precision)
        st.model.encoder = torch.compile(st.model.encoder, dynamic=True)
        times, first = timed(our_update(st, n_train), bl, dev, a.warmup)
        r.update(compiled_typhoon=statistics.median(times), compile_first_pass_seconds=first)
    for strat in ("random", "typhoon") if a.stack else ():
        r[f"stacked_{strat}"] = _stacked(shape, tok, bl, strat, dev, a.warmup, a.stack, n_train, a.precision)
    r.update(_trainer_baselines(shape, tok, rows, order, dev, a.warmup, bs, a.precision == "bf16"))
    return r

def report(results:list, a, name:str):
    "Print the tables: per-epoch seconds and ratios (lower is faster)."
    peak = next((v for k, v in PEAK_BF16.items() if k in name), None)
    print(f"\n{'shape/task':<18} {'ours plain':>10} {'Trainer':>9} {'ratio':>6} | {'random':>8} {'typhoon':>8} {'ratio':>6} | {'Trainer MLM':>11} {'ratio':>6} | {'tok/s typhoon':>13} {'MFU':>6}")
    for r in results:
        ep = {k: r[k] * r["steps_per_epoch"] for k in ("ours_none", "ours_random", "ours_typhoon", "trainer_plain", "trainer_mlm")}
        tps = r["tokens_per_step"] / r["ours_typhoon"]
        mfu = 12 * r.get("nonembedding_params", 0) * tps / peak if peak and r.get("nonembedding_params") else float("nan")
        print(f"{r['shape'] + '/' + r['task']:<18} {ep['ours_none']:9.2f}s {ep['trainer_plain']:8.2f}s {ep['ours_none'] / ep['trainer_plain']:6.2f} | "
              f"{ep['ours_random']:7.2f}s {ep['ours_typhoon']:7.2f}s {ep['ours_typhoon'] / ep['ours_random']:6.3f} | "
              f"{ep['trainer_mlm']:10.2f}s {ep['ours_random'] / ep['trainer_mlm']:6.2f} | {tps:13,.0f} {mfu:6.1%}")
    if any(r["syncs_random"] == r["syncs_random"] for r in results):
        print("host syncs per step: " + "; ".join(f"{r['shape']}/{r['task']} none {r['syncs_none']:.1f}, random {r['syncs_random']:.1f}, typhoon {r['syncs_typhoon']:.1f}" for r in results))
    if a.stack:
        print(f"\n{a.stack} seeds stacked vs one by one, per-epoch seconds for all {a.stack} (ratio < 1: stacking is faster)")
        for r in results:
            for s in ("random", "typhoon"):
                one, st = a.stack * r[f"ours_{s}"] * r["steps_per_epoch"], r[f"stacked_{s}"] * r["steps_per_epoch"]
                print(f"{r['shape'] + '/' + r['task']:<18} {s:<8} one by one {one:8.2f}s  stacked {st:8.2f}s  ratio {st / one:5.2f}")
    if a.compile:
        print("\ntorch.compile (encoder, dynamic shapes), Typhoon step, per-epoch seconds; first pass = every timed batch once, compilation included")
        for r in results:
            spe = r["steps_per_epoch"]
            print(f"{r['shape'] + '/' + r['task']:<18} eager {r['ours_typhoon'] * spe:7.2f}s compiled {r['compiled_typhoon'] * spe:7.2f}s "
                  f"ratio {r['compiled_typhoon'] / r['ours_typhoon']:5.2f} first pass {r['compile_first_pass_seconds']:6.1f}s")
    if a.compare_slots:
        print("\nrandom-masking step with the other MLM sizing (fixed slots on a CPU, exact count on a GPU) / the default: "
              + "; ".join(f"{r['shape']}/{r['task']} {r['ours_random_other_slots'] / r['ours_random']:.3f}" for r in results))
    for r in results:
        if "profile_typhoon" in r:
            p = r["profile_typhoon"]
            print(f"profile {r['shape']}/{r['task']} typhoon: {p['wall'] * 1e3:.1f} ms/step wall, GPU busy {p['gpu_busy'] * 1e3:.1f} ms ({p['gpu_busy'] / p['wall']:.0%}), {p['kernels_per_step']:.0f} kernels")
    print("columns: per-epoch seconds; ratios are ours / baseline in time (lower is faster)")

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default=None, help="GLUE folder; default: the bundled fixture")
    p.add_argument("--shapes", default="tinybert,distilbert,bert-base")
    p.add_argument("--tasks", default="mrpc,cola")
    p.add_argument("--device", default=None, help="cuda, cpu... (default: CUDA if available; --toy: cpu)")
    p.add_argument("--steps", type=int, default=40, help="timed steps per measurement")
    p.add_argument("--warmup", type=int, default=8)
    p.add_argument("--toy", action="store_true", help="the tiny shape at toy sizes on the CPU: a smoke test")
    p.add_argument("--stack", type=int, default=0, help="also time this many seeds stacked in one model")
    p.add_argument("--compile", action="store_true", help="also time the Typhoon step with the encoder compiled")
    p.add_argument("--compare-slots", action="store_true", help="also time the random step with the other MLM head sizing")
    p.add_argument("--profile", action="store_true", help="on CUDA: GPU busy time and kernels per Typhoon step")
    p.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                   help="ours (TrainConfig.precision) and Trainer (bf16=) alike; auto: bf16 where native (CUDA, a CPU with AVX512-BF16/AMX)")
    p.add_argument("--threads", type=int, default=None, help="torch threads (the study's workers use 1)")
    p.add_argument("--out", default=None, help="write the measurements as JSON here")
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    if a.toy: a.shapes, a.steps, a.warmup, a.device = "tiny", 4, 2, "cpu"
    from typhoon_nb.core import get_device
    dev = get_device(a.device)
    from typhoon_nb.config import auto_precision
    if a.precision == "auto": a.precision = auto_precision(str(dev))
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else f"cpu ({os.cpu_count()} cores, {torch.get_num_threads()} threads)"
    print(f"device: {name}; precision {a.precision}; torch {torch.__version__}; python {platform.python_version()}", flush=True)
    results = []
    for shape in a.shapes.split(","):
        for task in a.tasks.split(","):
            t = time.time()
            results.append(bench_one(shape, task, a, dev))
            print(f"  {shape}/{task}: measured in {time.time() - t:.0f} s", flush=True)
    report(results, a, name)
    if a.out:
        os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
        json.dump(dict(device=name, torch=torch.__version__, argv=vars(a), results=results), open(a.out, "w"), indent=1)
    return results

if __name__ == "__main__": main()
