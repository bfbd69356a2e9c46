"""Wall time of one of the study's runs, end to end, on one thread (as a study worker runs it).

Bundled MiniLM, full GLUE CoLA (GLUE_DIR, default ../shared/data/glue), Typhoon in the joint protocol, MLM weight 0.1,
budget 0.15, 3 epochs, batch 32, max length 64, seed 0: `fine_tune` alone (loading the model and data not counted),
after `executors.keep_freed_memory()` as the study's workers call it. Prints the seconds and the dev MCC.

    python bench/time_study_run.py [bf16|fp32|auto]
"""
import os, sys, time
from pathlib import Path
import torch
from typhoon_nb.executors import keep_freed_memory
from typhoon_nb.model import load_backbone
from typhoon_nb.data import load_glue, tokenize_glue
from typhoon_nb.train import TrainConfig, fine_tune

if __name__ == "__main__":
    torch.set_num_threads(1); keep_freed_memory()
    glue = os.environ.get("GLUE_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "data" / "glue"))
    cfg = TrainConfig(task="cola", strategy="typhoon", seed=0, epochs=3, max_length=64, mlm_weight=0.1, device="cpu",
                      precision=sys.argv[1] if len(sys.argv) > 1 else "auto")
    backbone = load_backbone(cfg.backbone, seed=cfg.seed)
    data = tokenize_glue(load_glue("cola", glue), backbone[1], "cola", 64)
    t = time.time(); r = fine_tune(cfg, data, backbone, progress=False)
    print(f"precision {cfg.precision}, one thread: {time.time() - t:.0f} s for 3 epochs "
          f"({r['steps']} steps), dev MCC {r['metrics']['matthews_correlation']:.3f}")
