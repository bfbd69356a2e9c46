"""Parity of `TyphoonTrainer` with `fine_tune` on real weights: the same config and seed through both loops.

The bundled MiniLM, Typhoon (joint protocol), a GLUE task from `--data-dir` (default: the bundled fixture), on the CPU.
Prints each run's dev metric, the one-class baseline, and how many of the top-20 EMA types the runs share: the
Trainer run against `fine_tune` with the same seed, beside two `fine_tune` seeds against each other (seed noise).

    python bench/hf_parity.py [--task cola] [--data-dir ../shared/data/glue] [--max-train 2000] [--epochs 3]
"""
import argparse, json, tempfile, time
from dataclasses import replace
from transformers import logging
from typhoon_nb.core import fixture_dir
from typhoon_nb.data import load_glue, tokenize_glue
from typhoon_nb.model import load_backbone
from typhoon_nb.train import TrainConfig, fine_tune
from typhoon_nb.hf import TyphoonTrainer, TyphoonModel, training_arguments
from typhoon_nb.metrics.glue import MAIN_METRIC
from typhoon_nb.report import constant_baseline

logging.set_verbosity_error()

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", default="cola"); p.add_argument("--data-dir", default=None)
    p.add_argument("--max-train", type=int, default=None); p.add_argument("--epochs", type=int, default=3)
    a = p.parse_args()
    cfg = TrainConfig(task=a.task, strategy="typhoon", epochs=a.epochs, device="cpu", data_dir=str(a.data_dir or fixture_dir()), max_train=a.max_train)
    _, tok, _ = load_backbone(cfg.backbone, seed=0)
    data = tokenize_glue(load_glue(cfg.task, cfg.data_dir, cfg.max_train), tok, cfg.task, 64 if cfg.task == "cola" else 128)
    m = MAIN_METRIC[cfg.task]
    out = {}
    for s in (0, 1):
        t0 = time.time()
        r = fine_tune(replace(cfg, seed=s), data, load_backbone(cfg.backbone, seed=s), progress=False, log_ema_top=20)
        out[f"fine_tune s{s}"] = dict(metric=r["metrics"][m], top=[t["id"] for t in r["ema_top"]], seconds=time.time() - t0)
    base = constant_baseline(cfg.task, r["dev_labels"])
    with tempfile.TemporaryDirectory() as d:
        t0 = time.time()
        joint, tok, _ = load_backbone(cfg.backbone, seed=0)
        tr = TyphoonTrainer(TyphoonModel(joint, cfg), training_arguments(cfg, d, len(data["train"]), save_strategy="no", logging_strategy="no",
                                                                          disable_tqdm=True), tok, train_dataset=data["train"], eval_dataset=data["validation"])
        tr.train(); ev = tr.evaluate()
        out["TyphoonTrainer s0"] = dict(metric=ev[f"eval_{m}"], top=[int(i) for i in tr.ema.top(20)[0]], seconds=time.time() - t0)
    print(f"# bundled MiniLM, {cfg.task} from {cfg.data_dir} ({len(data['train'])} train / {len(data['validation'])} dev rows), "
          f"Typhoon joint, {cfg.epochs} epochs, CPU; one-class baseline {m} {base:.3f}")
    for k, v in out.items(): print(f"{k:20s} dev {m} {v['metric']:.3f}   {v['seconds']:.0f} s")
    share = lambda x, y: len(set(out[x]["top"]) & set(out[y]["top"]))
    print(f"top-20 EMA types shared: fine_tune s0 vs s1 {share('fine_tune s0', 'fine_tune s1')}; TyphoonTrainer s0 vs fine_tune s0 "
          f"{share('TyphoonTrainer s0', 'fine_tune s0')}; TyphoonTrainer s0 vs fine_tune s1 {share('TyphoonTrainer s0', 'fine_tune s1')}")
    print("top-10 types:", json.dumps({k: tok.convert_ids_to_tokens(v["top"][:10]) for k, v in out.items()}))

if __name__ == "__main__": main()
