"""GPU benchmark (issue 6): our fine-tuning step vs Hugging Face Trainer, random vs Typhoon, and the projected grid time.

For each backbone shape (random weights: timing only) and task, on the same batches (batch 32, length-grouped,
dynamic padding, the grid's max lengths: MRPC 128, CoLA 64), in one process:
  - ours, plain fine-tuning step vs Trainer fine-tuning the same model (bf16 on CUDA, DataCollatorWithPadding)
  - ours, joint step with random masking vs with Typhoon masking
  - ours, joint random-masking step vs Trainer + DataCollatorForLanguageModeling on an MLM model
  - k seeds (default 5) stacked in one model (typhoon_nb.stacked) vs the same k seeds one by one, random and Typhoon
  - with --compile: the Typhoon step with the encoder under torch.compile(dynamic=True) vs eager, and the seconds the
    first pass over every batch shape takes (compilation included), reported apart
Times are medians over timed steps after warm-up, converted to per-epoch times with the task's steps per epoch.
The projected grid time is the paper's 90-run grid (3 strategies x 5 seeds x 3 epochs + dev evaluation each epoch)
run one run at a time with these step times.

    python bench/bench_gpu.py --data-dir ../shared/data/glue --out bench/results/gpu.json      # on the GPU
    python bench/bench_gpu.py --toy                                                           # CPU smoke test
"""
import argparse, json, math, os, platform, statistics, sys, time
import torch

PEAK_BF16 = {"H100": 989e12, "H200": 989e12, "A100": 312e12}

def bench_parser(doc:str)->argparse.ArgumentParser:
    "The arguments the bench scripts share: where the data is, which shapes and tasks."
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default=None, help="GLUE folder; default: the bundled fixture")
    p.add_argument("--shapes", default="tinybert,distilbert,bert-base")
    p.add_argument("--tasks", default="mrpc,cola")
    return p

def task_data(task:str, tok, data_dir=None, max_length=None, max_train=None):
    "The task tokenised as the grid tokenises it (`max_length` None: the grid's), from `data_dir` or the bundled fixture."
    from typhoon_nb.core import fixture_dir
    from typhoon_nb.data import load_glue, tokenize_glue
    from typhoon_nb.experiments import DEFAULT_MAX_LENGTH
    return tokenize_glue(load_glue(task, data_dir or fixture_dir(), max_train), tok, task, max_length or DEFAULT_MAX_LENGTH[task])

def sync(dev):
    if dev.type == "cuda": torch.cuda.synchronize()

def _stepper(model, tok, strategy, dev):
    "A function running one full training step on a CPU batch (train_step + clip + fused AdamW), and a cleanup."
    from typhoon_nb.train import TrainConfig, train_step, make_strategy, step_slots, _autocast
    from typhoon_nb.core import to_device
    from typhoon_nb.saliency import SaliencyRecorder
    cfg = TrainConfig(strategy=strategy, device=str(dev))
    model.to(dev).train()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5, fused=dev.type == "cuda")
    strat, ema = make_strategy(cfg, model.get_input_embeddings().num_embeddings, dev)
    rec = SaliencyRecorder(model) if ema is not None else None
    gen = torch.Generator(device=dev).manual_seed(0)
    ac = _autocast(dev)
    special = sorted(set(tok.all_special_ids))
    def step(b, update=True):
        slots = step_slots(strat, b, special)                  # as fine_tune: from the CPU batch, no host sync in the step
        b = to_device(b, dev)
        train_step(model, b, cfg, strat, ema, rec, special, tok, gen, ac, slots)
        if update:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        opt.zero_grad(set_to_none=True)
        if ema is not None: ema.entropy()                       # logged every step by fine_tune
    return step, (rec.remove if rec else (lambda: None))

def our_steps(model, tok, batches, strategy, dev, warmup, first_pass:list|None=None):
    "Per-step times of our training step (train_step + clip + fused AdamW); the untimed first pass's seconds go to `first_pass`."
    step, done = _stepper(model, tok, strategy, dev)
    times = []
    sync(dev); t = time.perf_counter()
    for b in batches: step(b, update=False)                    # untimed pass: every batch shape seen once (kernel selection, caches, compilation)
    sync(dev)
    if first_pass is not None: first_pass.append(time.perf_counter() - t)
    for i, b in enumerate(batches):
        sync(dev); t = time.perf_counter()
        step(b)
        sync(dev)
        if i >= warmup: times.append(time.perf_counter() - t)
    done()
    return times

def count_syncs(model, tok, batches, strategy, dev, steps=4):
    "Host-device syncs per training step (CUDA only: torch's sync debug mode), and the lines that caused them."
    import warnings, collections
    if dev.type != "cuda": return float("nan"), {}
    step, done = _stepper(model, tok, strategy, dev)
    step(batches[0])
    torch.cuda.synchronize()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.cuda.set_sync_debug_mode("warn")
        try:
            for b in batches[1:1 + steps]: step(b)
        finally: torch.cuda.set_sync_debug_mode(0)
    done()
    where = collections.Counter(f"{os.path.basename(w.filename)}:{w.lineno}" for w in caught if "synchroniz" in str(w.message).lower())
    return sum(where.values()) / steps, dict(where)

def _stacked_stepper(shape, tok, strategy, dev, k):
    "A function running one training step of k stacked seeds on k CPU batches (step + per-seed clip + fused AdamW), and the models."
    from typhoon_nb.train import TrainConfig, _autocast
    from typhoon_nb.model import load_backbone
    from typhoon_nb.stacked import StackedModels, group_slots
    cfg = TrainConfig(strategy=strategy, device=str(dev))
    sm = StackedModels([load_backbone(shape, random_init=True, seed=s)[0].to(dev).train() for s in range(k)])
    opt = torch.optim.AdamW(sm.params.values(), lr=2e-5, fused=dev.type == "cuda")
    strat, _ = sm.masking([cfg] * k)
    gens = [torch.Generator(device=dev).manual_seed(s) for s in range(k)]
    ac = _autocast(dev)
    special = sorted(set(tok.all_special_ids))
    def step(bs, update=True):
        sm.step(bs, cfg, strat, gens, special, tok, ac, dev, group_slots(strat, bs, special))
        if update: sm.clip(1.0); opt.step()
        opt.zero_grad(set_to_none=True)
        if sm.emas: sm.ema_entropy()                            # logged every step by fine_tune_stacked
    return step, sm, cfg, ac

def stacked_steps(shape, tok, batches, strategy, dev, warmup, k, data_val=None):
    "Per-step times of k seeds trained as one stacked model (member i takes batch j+i: members' lengths differ), and the eval time."
    step, sm, cfg, ac = _stacked_stepper(shape, tok, strategy, dev, k)
    n = len(batches)
    group = lambda j: [batches[(j + i) % n] for i in range(k)]
    for j in range(n): step(group(j), update=False)            # untimed pass, as for one run
    times = []
    for j in range(n):
        sync(dev); t = time.perf_counter(); step(group(j)); sync(dev)
        if j >= warmup: times.append(time.perf_counter() - t)
    ev = float("nan")
    if data_val is not None:
        sm.predict(data_val, cfg, tok.pad_token_id, dev, ac)
        sync(dev); t = time.perf_counter(); sm.predict(data_val, cfg, tok.pad_token_id, dev, ac); sync(dev); ev = time.perf_counter() - t
    return times, ev

def our_eval(model, data, tok, dev):
    from typhoon_nb.train import TrainConfig, predict, _autocast
    ac = _autocast(dev)
    cfg = TrainConfig(device=str(dev))
    predict(model, data, cfg, tok.pad_token_id, dev, ac)                      # warm-up
    sync(dev); t = time.perf_counter(); predict(model, data, cfg, tok.pad_token_id, dev, ac); sync(dev)
    return time.perf_counter() - t

def trainer_steps(hf_model, examples, collator, dev, warmup, bs):
    "Per-step times of transformers.Trainer on the given examples, in the given order."
    from transformers import Trainer, TrainingArguments, TrainerCallback
    from torch.utils.data import SequentialSampler
    class Seq(Trainer):
        def _get_train_sampler(self, *a, **k): return SequentialSampler(self.train_dataset)
    stamps = []
    class Clock(TrainerCallback):
        def on_step_begin(self, args, state, control, **kw): sync(dev); stamps.append(("b", time.perf_counter()))
        def on_step_end(self, args, state, control, **kw): sync(dev); stamps.append(("e", time.perf_counter()))
    args = TrainingArguments(output_dir="/tmp/bench_trainer", per_device_train_batch_size=bs, max_steps=len(examples) // bs,
                             learning_rate=2e-5, bf16=dev.type == "cuda", report_to=[], save_strategy="no", logging_strategy="no",
                             dataloader_num_workers=0, use_cpu=dev.type != "cuda", disable_tqdm=True, remove_unused_columns=False)
    Seq(model=hf_model, args=args, train_dataset=examples, data_collator=collator, callbacks=[Clock()]).train()
    # step time = from one step's end to the next step's end (includes data loading and collation, as in a real epoch)
    ends = [t for k, t in stamps if k == "e"]
    return [b - a for a, b in zip(ends[warmup:], ends[warmup + 1:])]

def n_params(m):
    emb = sum(p.numel() for n, p in m.named_parameters() if "embeddings" in n)
    return sum(p.numel() for p in m.parameters()) - emb

def bench_one(shape, task, data_dir, dev, steps, warmup, toy, stack=5, compile=False):
    from transformers import AutoModelForSequenceClassification, AutoModelForMaskedLM, DataCollatorWithPadding, DataCollatorForLanguageModeling
    from typhoon_nb.model import load_backbone, shape_config
    from typhoon_nb.data import batches
    bs = 32 if not toy else 8
    model, tok, _ = load_backbone(shape, random_init=True, seed=0)
    data = task_data(task, tok, data_dir, 32 if toy else None)
    n_train, n_dev = len(data["train"]), len(data["validation"])
    steps_per_epoch = math.ceil(n_train / bs)
    use = min(warmup + steps, steps_per_epoch)
    bl = list(batches(data["train"], bs, seed=0, pad_id=tok.pad_token_id, group_by_length=True))[:use]
    order = [i for b in bl for i in b["idx"].tolist()]
    rows = data["train"].to_list()
    tokens = sum(int(b["attention_mask"].numel()) for b in bl[warmup:]) / max(1, use - warmup)   # padded tokens per step
    res = dict(shape=shape, task=task, steps_per_epoch=steps_per_epoch, timed_steps=use - warmup, tokens_per_step=tokens,
               nonembedding_params=n_params(model.mlm_model))
    for strat in ("none", "random", "typhoon"):
        m, _, _ = load_backbone(shape, random_init=True, seed=0)
        res[f"syncs_{strat}"], res[f"sync_sites_{strat}"] = count_syncs(m, tok, bl, strat, dev)
        res[f"ours_{strat}"] = statistics.median(our_steps(m, tok, bl, strat, dev, warmup))
        if strat == "none": res["ours_eval"] = our_eval(m, data["validation"], tok, dev)
        del m
    if compile:                                                 # the encoder compiled for every length at once (dynamic shapes)
        m, _, _ = load_backbone(shape, random_init=True, seed=0)
        m.encoder = torch.compile(m.encoder, dynamic=True)
        first = []
        res["compiled_typhoon"] = statistics.median(our_steps(m, tok, bl, "typhoon", dev, warmup, first))
        res["compile_first_pass_seconds"] = first[0]
        del m
    if stack:
        for strat in ("random", "typhoon"):
            t, ev = stacked_steps(shape, tok, bl, strat, dev, warmup, stack, data["validation"] if strat == "random" else None)
            res[f"stacked_{strat}"] = statistics.median(t)
            if strat == "random": res["stacked_eval"] = ev
            if dev.type == "cuda": torch.cuda.empty_cache()
        res["stack"] = stack
    cfg = shape_config(shape, len(tok)); cfg.num_labels = 2
    keep = ("input_ids", "attention_mask", "token_type_ids")
    ex_cls = [dict({k: rows[i][k] for k in keep if k in rows[i]}, labels=rows[i]["label"]) for i in order]
    torch.manual_seed(0)
    res["trainer_plain"] = statistics.median(trainer_steps(AutoModelForSequenceClassification.from_config(cfg), ex_cls, DataCollatorWithPadding(tok), dev, warmup, bs))
    ex_mlm = [{k: rows[i][k] for k in keep if k in rows[i]} for i in order]
    torch.manual_seed(0)
    res["trainer_mlm"] = statistics.median(trainer_steps(AutoModelForMaskedLM.from_config(cfg), ex_mlm, DataCollatorForLanguageModeling(tok, mlm_probability=0.15), dev, warmup, bs))
    res["n_dev"] = n_dev
    return res

def main(argv=None):
    p = bench_parser(__doc__)
    p.add_argument("--steps", type=int, default=40, help="timed steps per measurement")
    p.add_argument("--warmup", type=int, default=8)
    p.add_argument("--toy", action="store_true", help="tiny shapes and sizes on the CPU: a smoke test")
    p.add_argument("--stack", type=int, default=5, help="also time this many seeds stacked in one model (typhoon_nb.stacked); 0: skip")
    p.add_argument("--compile", action="store_true", help="also time the Typhoon step with the encoder under torch.compile")
    p.add_argument("--out", default=None, help="write the measurements as JSON here")
    a = p.parse_args(argv)
    dev = torch.device("cuda" if torch.cuda.is_available() and not a.toy else "cpu")
    shapes = ["tiny"] if a.toy else a.shapes.split(",")
    steps, warmup = (4, 2) if a.toy else (a.steps, a.warmup)
    name = torch.cuda.get_device_name(0) if dev.type == "cuda" else f"cpu ({os.cpu_count()} cores)"
    peak = next((v for k, v in PEAK_BF16.items() if k in name), None)
    print(f"device: {name}; torch {torch.__version__}; python {platform.python_version()}", flush=True)
    results = []
    for shape in shapes:
        for task in a.tasks.split(","):
            t = time.time()
            r = bench_one(shape, task, a.data_dir, dev, steps, warmup, a.toy, a.stack, a.compile)
            results.append(r)
            print(f"  {shape}/{task}: measured in {time.time() - t:.0f} s: " + ", ".join(f"{k}={v:.4f}" for k, v in r.items() if k.startswith(("ours", "trainer"))), flush=True)
    # projections
    grid_s = 0.0
    print(f"\n{'shape/task':<18} {'ours plain':>10} {'Trainer':>9} {'ratio':>6} | {'random':>8} {'typhoon':>8} {'ratio':>6} | {'Trainer MLM':>11} {'ratio':>6} | {'tok/s (typhoon)':>15} {'MFU':>6}")
    for r in results:
        spe = r["steps_per_epoch"]
        ep = {k: r[k] * spe for k in ("ours_none", "ours_random", "ours_typhoon", "trainer_plain", "trainer_mlm")}
        per_run = {s: 3 * (ep[f"ours_{s}"] + r["ours_eval"]) for s in ("random", "typhoon")}
        per_run["wwm"] = per_run["random"]                       # same step cost as random masking (measured in bench_core on CPU)
        grid_s += 5 * sum(per_run.values())
        tps = r["tokens_per_step"] / r["ours_typhoon"]
        mfu = 12 * r["nonembedding_params"] * tps / peak if peak else float("nan")   # task fwd+bwd + MLM fwd+bwd: ~12 N flops/token
        r.update(epoch_seconds=ep, tokens_per_second_typhoon=tps, mfu_typhoon=mfu)
        print(f"{r['shape'] + '/' + r['task']:<18} {ep['ours_none']:9.2f}s {ep['trainer_plain']:8.2f}s {ep['ours_none'] / ep['trainer_plain']:6.2f} | "
              f"{ep['ours_random']:7.2f}s {ep['ours_typhoon']:7.2f}s {ep['ours_typhoon'] / ep['ours_random']:6.3f} | "
              f"{ep['trainer_mlm']:10.2f}s {ep['ours_random'] / ep['trainer_mlm']:6.2f} | {tps:15,.0f} {mfu:6.1%}")
    print("host syncs per step (ours): " + "; ".join(f"{r['shape']}/{r['task']} none {r['syncs_none']:.1f}, random {r['syncs_random']:.1f}, "
                                                     f"typhoon {r['syncs_typhoon']:.1f}" for r in results))
    print("  where: " + json.dumps({s: r[f"sync_sites_{s}"] for s in ("none", "random", "typhoon") for r in results[:1]}))
    print(f"\nprojected paper grid (90 runs x 3 epochs + eval, one run at a time): {grid_s / 60:.1f} min on {name} (target < 5 min on one H100)")
    stacked_grid_s = None
    if a.stack:
        stacked_grid_s, k = 0.0, a.stack
        print(f"\n{k} seeds stacked in one model vs the same {k} seeds one by one (per-epoch seconds for all {k}; ratio < 1: stacking is faster)")
        print(f"{'shape/task':<18} {'random x'+str(k):>10} {'stacked':>8} {'ratio':>6} | {'typhoon x'+str(k):>11} {'stacked':>8} {'ratio':>6}")
        for r in results:
            spe = r["steps_per_epoch"]
            seq = {s: k * r[f"ours_{s}"] * spe for s in ("random", "typhoon")}
            st = {s: r[f"stacked_{s}"] * spe for s in ("random", "typhoon")}
            r.update(stacked_epoch_seconds=st)
            # the grid's 5 seeds of each setting as one stacked run: 3 epochs of stacked steps + stacked eval, per strategy (wwm ~ random)
            stacked_grid_s += (5 / k) * 3 * (2 * (st["random"] + r["stacked_eval"]) + st["typhoon"] + r["stacked_eval"])
            print(f"{r['shape'] + '/' + r['task']:<18} {seq['random']:9.2f}s {st['random']:7.2f}s {st['random'] / seq['random']:6.2f} | "
                  f"{seq['typhoon']:10.2f}s {st['typhoon']:7.2f}s {st['typhoon'] / seq['typhoon']:6.2f}")
        print(f"projected paper grid with the seeds of each setting stacked, one stacked run at a time: {stacked_grid_s / 60:.1f} min on {name}")
    if a.compile:
        print("\ntorch.compile (encoder, dynamic shapes), Typhoon step: per-epoch seconds eager vs compiled; first pass = one step on "
              "every timed batch, compilation included")
        for r in results:
            spe = r["steps_per_epoch"]
            print(f"{r['shape'] + '/' + r['task']:<18} eager {r['ours_typhoon'] * spe:7.2f}s  compiled {r['compiled_typhoon'] * spe:7.2f}s  "
                  f"ratio {r['compiled_typhoon'] / r['ours_typhoon']:5.2f}  first pass {r['compile_first_pass_seconds']:6.1f}s")
    print("columns: per-epoch seconds; ratios are ours / baseline in time (lower is faster); targets: plain <= 1.0, typhoon/random <= 1.05")
    if a.out:
        os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
        json.dump(dict(device=name, torch=torch.__version__, results=results, projected_grid_seconds=grid_s,
                       projected_stacked_grid_seconds=stacked_grid_s), open(a.out, "w"), indent=1)
    return results, grid_s

if __name__ == "__main__": main()
