"""Add mask diagnostics to the runs of a results store that were trained before runs recorded them (issue 27).

For each record with a masking strategy and no `mask_diagnostics`, the run's step is rebuilt from its config (bundled
or named backbone, its data, its training-set counts), Typhoon's EMA is restored from the run's final EMA snapshot (the
EMA at its last step), and `train.mask_diagnostics` computes what a run records today, on the same first 512 training
rows. The store is rewritten whole under its lock (a temporary file, then an atomic rename); every other field of
every record stays byte for byte as it was, and each added entry says it was recomputed.

    python results/add_mask_diagnostics.py results/minilm_cpu_study.jsonl

Run it while no `typhoon_nb run` writes to the store.
"""
import json, os, sys
from dataclasses import fields
from pathlib import Path
import torch
from typhoon_nb.store import ResultsStore
from typhoon_nb.ema import expand_snapshot
from typhoon_nb.config import TrainConfig
from typhoon_nb.train import TrainStep, mask_diagnostics, _train_data, _train_freqs
from typhoon_nb.model import load_backbone

def diagnostics(rec:dict, store:ResultsStore, cache:dict)->dict:
    "What `mask_diagnostics` says of this stored run, from its config and its final EMA snapshot."
    names = {f.name for f in fields(TrainConfig)}
    cfg = TrainConfig(**{**{k: v for k, v in rec["config"].items() if k in names}, "device": "cpu"})
    key = (cfg.backbone, cfg.task, cfg.data_dir, cfg.max_length, cfg.max_train)
    if cfg.backbone not in cache: cache[cfg.backbone] = load_backbone(cfg.backbone, seed=0, random_init=cfg.random_init)
    model, tok, _ = cache[cfg.backbone]
    if key not in cache: cache[key] = _train_data(cfg, None, tok)
    data, rows = cache[key]
    step = TrainStep(model, tok, cfg, train_freqs=_train_freqs(cfg, rows, tok, model))
    try:
        snaps = store.load_artifacts(rec).get("ema_snapshots", []) if step.ema is not None else []
        if step.ema is not None:
            if not snaps: raise ValueError(f"{rec['run_id']}: no EMA snapshot to restore Typhoon from")
            step.ema.load_state_dict(expand_snapshot(max(snaps, key=lambda s: s["step"])))
        return dict(mask_diagnostics(step, rows), recomputed="from the run's final EMA snapshot by results/add_mask_diagnostics.py")
    finally: step.close()

def main(path:str):
    store, cache = ResultsStore(path), {}
    lines = Path(path).read_text().splitlines(keepends=True)
    with store.lock():
        out, added = [], 0
        for line in lines:
            rec = json.loads(line) if line.strip() else None
            if rec is None or rec.get("mask_diagnostics") or rec.get("config", {}).get("strategy", "none") == "none": out.append(line); continue
            rec["mask_diagnostics"] = diagnostics(rec, store, cache)
            out.append(json.dumps(rec, sort_keys=True) + "\n"); added += 1   # as the store writes it
            print(f"{rec['run_id']}: shared with random {rec['mask_diagnostics']['shared_same_draws']:.3f} (same draws), "
                  f"{rec['mask_diagnostics']['shared_independent_draws']:.3f} (independent)", flush=True)
        tmp = Path(path).with_name(f".{Path(path).name}.{os.getpid()}.tmp")
        tmp.write_text("".join(out)); os.replace(tmp, path)
    print(f"added mask diagnostics to {added} runs of {path}")

if __name__ == "__main__": main(sys.argv[1])
