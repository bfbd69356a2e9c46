"""A fingerprint of what training produces, to show that a refactoring changes no number.

Runs a dozen tiny CPU runs (tiny random BERT, the bundled fixture; every strategy on both tasks one by one,
plus stacked seeds for the masking strategies) and writes every record with its per-step log and EMA
snapshots, minus what legitimately changes between two runs of the same code (timing, versions, paths, ids),
as canonical JSON. Run it before and after a change and compare the two files:

    python tools/behaviour_fingerprint.py /tmp/before.json
    python tools/behaviour_fingerprint.py /tmp/after.json && cmp /tmp/before.json /tmp/after.json
"""
import json, os, sys, tempfile
os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
import torch

TIMING = {"seconds", "group_seconds", "finished_at", "train_seconds", "eval_seconds", "env", "run_id", "artifacts", "device"}

def _plain(x):
    "Tensors to lists, dicts and lists recursively, timing fields dropped."
    if isinstance(x, torch.Tensor): return x.tolist()
    if isinstance(x, dict): return {k: _plain(v) for k, v in sorted(x.items()) if k not in TIMING}
    if isinstance(x, (list, tuple)): return [_plain(v) for v in x]
    return x

def fingerprint()->list:
    from typhoon_nb.core import fixture_dir
    from typhoon_nb.experiments import make_grid, run_grid, ResultsStore
    torch.set_num_threads(1)
    common = dict(backbones=("tiny",), random_init=True, data_dir=str(fixture_dir()), epochs=2, batch_size=16, device="cpu", n_snapshots=2)
    out = []
    with tempfile.TemporaryDirectory() as d:
        single = make_grid(("mrpc", "cola"), strategies=("none", "random", "wwm", "typhoon"), seeds=(0,), **common)
        single += make_grid(("cola",), strategies=("typhoon",), seeds=(3,), mask_target="input", **common)
        stacked = make_grid(("mrpc",), strategies=("random", "wwm", "typhoon"), seeds=(0, 1), **common)
        for name, cfgs, stack in (("single", single, False), ("stacked", stacked, True)):
            store = ResultsStore(f"{d}/{name}.jsonl")
            run_grid(cfgs, store, progress=False, stack_seeds=stack)
            for r in store.records():
                arts = store.load_artifacts(r)
                out.append(dict(kind=name, record=_plain(r), log=_plain(arts["log"]), snapshots=_plain(arts["ema_snapshots"])))
    return sorted(out, key=lambda e: json.dumps(e["record"]["config"], sort_keys=True) + e["kind"])

if __name__ == "__main__":
    fp = fingerprint()
    with open(sys.argv[1], "w") as fh: json.dump(fp, fh, sort_keys=True, indent=0)
    print(f"{len(fp)} records -> {sys.argv[1]}")
