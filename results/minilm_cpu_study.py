"""Why no strategy wins, on this CPU: the no-MLM control, an MLM-weight ablation and the authors' two-stage protocol.

Bundled MiniLM (real weights), full GLUE CoLA from `GLUE_DIR` (default ../shared/data/glue), 3 epochs of
fine-tuning (two-stage: after 1 epoch of stage 1; one epoch alone leaves plain fine-tuning at MCC 0), in the order of
what matters most if time runs out: (1) none / random / Typhoon, joint, MLM weight 0.1, for every seed; (2) the authors'
two-stage protocol and Typhoon variant (budget 0.3); (3) random / Typhoon at MLM weight 1.0. Two worker processes of
one thread each.
Resumable: run it again and only the missing runs train. Then: `typhoon_nb report results/minilm_cpu_study.jsonl`.
"""
import os, sys
from pathlib import Path
from typhoon_nb.experiments import make_grid
from typhoon_nb.executors import run_grid_parallel
from typhoon_nb.train import AUTHORS_TYPHOON

glue = os.environ.get("GLUE_DIR", "../shared/data/glue")
seeds = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "0,1,2").split(",")]
common = dict(tasks=["cola"], backbones=["minilm-bundled"], epochs=3, stage1_epochs=1, data_dir=glue, device="cpu")
joint = lambda s, **kw: make_grid(seeds=[s], **common, **kw)
grid = ([c for s in seeds for c in joint(s, strategies=["none", "random", "typhoon"])]                 # 1. the control, joint protocol
        + [c for s in seeds for c in joint(s, strategies=["random", "typhoon"], protocol="two-stage", budget=0.3, **AUTHORS_TYPHOON)]  # 2. the authors'
        + [c for s in seeds for c in joint(s, strategies=["random", "typhoon"], mlm_weight=1.0)])      # 3. the MLM weight at 1.0
print(f"{len(grid)} runs")
run_grid_parallel(grid, Path(__file__).with_name("minilm_cpu_study.jsonl"), workers=2, progress="lines")
