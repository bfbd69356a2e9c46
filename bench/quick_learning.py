"""Does the bundled MiniLM learn a task from a small training sample within a few CPU minutes?

Fine-tunes the bundled MiniLM on N random training rows of full GLUE MRPC or CoLA (seeded sample), for E
epochs, and scores a random 256 of the dev rows against the constant baseline (MCC 0 for CoLA; for MRPC the
F1 of predicting every pair a paraphrase). Prints one JSON line: dev scores per epoch, the share of dev
rows predicted positive, the constant baseline and the seconds the run took.

    python bench/quick_learning.py TASK N EPOCHS LR STRATEGY BATCH SEED [N_DEV]
    python bench/quick_learning.py cola 3000 1 1e-4 none 32 0
"""
import os, sys, time, json, numpy as np
from pathlib import Path
from typhoon_nb.model import load_backbone
from typhoon_nb.data import load_glue, tokenize_glue
from typhoon_nb.train import TrainConfig, fine_tune
import datasets
task, n, epochs, lr, strat, bs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
ndev = int(sys.argv[8]) if len(sys.argv) > 8 else 256
ml = {"mrpc": 128, "cola": 64}[task]
m, tok, info = load_backbone("minilm-bundled", seed=seed)
dd = load_glue(task, os.environ.get("GLUE_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "data" / "glue")))
rng = np.random.default_rng(123)
tr = dd["train"].select(sorted(rng.choice(len(dd["train"]), n, replace=False)))
dv = dd["validation"].select(sorted(rng.choice(len(dd["validation"]), ndev, replace=False)))
d = tokenize_glue(datasets.DatasetDict(train=tr, validation=dv), tok, task, ml)
t = time.time()
cfg = TrainConfig(task=task, strategy=strat, seed=seed, epochs=epochs, lr=lr, batch_size=bs, device="cpu", max_length=ml)
r = fine_tune(cfg, d, (m, tok, info), progress=False)
p = np.array(r["dev_predictions"]); y = np.array(r["dev_labels"])
allpos = 2 * y.mean() / (1 + y.mean())
print(json.dumps(dict(task=task, n=n, epochs=epochs, lr=lr, strat=strat, bs=bs, seed=seed, secs=round(time.time() - t), 
      epochs_scores=[{k: round(v, 3) for k, v in e.items() if k in ("f1", "accuracy", "matthews_correlation")} for e in r["epochs"]],
      pred_pos=round(float(p.mean()), 3), allpos_f1=round(float(allpos), 3))), flush=True)
