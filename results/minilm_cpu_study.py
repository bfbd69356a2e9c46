"""Why no strategy wins, on this CPU: the no-MLM control, an MLM-weight ablation and the authors' two-stage protocol.

Bundled MiniLM (real weights), full GLUE CoLA from `GLUE_DIR` (default ../shared/data/glue), 3 epochs of
fine-tuning (two-stage: after 1 epoch of stage 1; one epoch alone leaves plain fine-tuning at MCC 0), seeds in order (every setting of seed 0, then seed 1, ...), two worker processes of one thread each.
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
grid = []
for s in seeds:
    grid += make_grid(strategies=["none", "random", "typhoon"], seeds=[s], vary={"mlm_weight": [0.1, 1.0]}, **common)   # joint
    grid += make_grid(strategies=["random", "typhoon"], seeds=[s], protocol="two-stage", budget=0.3, **AUTHORS_TYPHOON, **common)
print(f"{len(grid)} runs")
run_grid_parallel(grid, Path(__file__).with_name("minilm_cpu_study.jsonl"), workers=2, progress="lines")
