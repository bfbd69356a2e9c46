"""A `TyphoonTrainer` step against a stock `Trainer` + `DataCollatorForLanguageModeling` step: same model, same batches.

Both train masked-LM on the same padded batches of CoLA sentences (the stage-1 objective: the stock Trainer's
whole job), the stock one with Hugging Face's collator masking 15% at random, ours with masks drawn inside the step
(random, then Typhoon with its saliency and EMA update). Rounds are interleaved in one process and each step is
timed by a callback; the median step time over the rounds is reported, and the ratio to the stock step.

    python bench/bench_trainer.py [--shape tiny|tinybert|minilm] [--steps 12] [--rounds 3] [--batch 16]
"""
import argparse, statistics, tempfile, time
from dataclasses import replace
import torch
from transformers import Trainer, TrainingArguments, TrainerCallback, DataCollatorForLanguageModeling, logging
from transformers.trainer_callback import PrinterCallback
from typhoon_nb.core import fixture_dir
from typhoon_nb.data import load_glue, tokenize_glue
from typhoon_nb.model import load_backbone
from typhoon_nb.hf import TyphoonTrainer, TyphoonModel
from typhoon_nb.train import TrainConfig

logging.set_verbosity_error()

class StepTimes(TrainerCallback):
    "Wall time of each optimisation step."
    def __init__(self): self.times, self.t = [], None
    def on_step_begin(self, *a, **k): self.t = time.perf_counter()
    def on_step_end(self, *a, **k): self.times.append(time.perf_counter() - self.t)

def args(d, steps, batch):
    return TrainingArguments(output_dir=d, per_device_train_batch_size=batch, max_steps=steps, use_cpu=True, report_to=[], save_strategy="no",
                             logging_strategy="no", disable_tqdm=True, remove_unused_columns=False, seed=0, dataloader_drop_last=True)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shape", default="tiny"); p.add_argument("--steps", type=int, default=12)
    p.add_argument("--rounds", type=int, default=3); p.add_argument("--batch", type=int, default=16)
    a = p.parse_args()
    joint, tok, _ = load_backbone(a.shape, seed=0, random_init=True)
    ds = tokenize_glue(load_glue("cola", fixture_dir()), tok, "cola", 64)["train"]
    rows = [dict(input_ids=r["input_ids"], attention_mask=r["attention_mask"], token_type_ids=r["token_type_ids"], label=r["label"]) for r in ds]
    mlm_rows = [{k: v for k, v in r.items() if k != "label"} for r in rows]
    cfg = TrainConfig(task="cola", backbone=a.shape, budget=0.15, device="cpu")
    runs = {
        "stock Trainer + DataCollatorForLanguageModeling": lambda d: Trainer(model=joint.mlm_model, args=args(d, a.steps, a.batch), train_dataset=mlm_rows,
                                                                          data_collator=DataCollatorForLanguageModeling(tok, mlm_probability=0.15)),
        "TyphoonTrainer, random (stage 1: MLM)": lambda d: TyphoonTrainer(TyphoonModel(joint, replace(cfg, strategy="random"), objective="mlm"),
                                                                           args(d, a.steps, a.batch), tok, train_dataset=rows),
        "TyphoonTrainer, Typhoon (stage 1: MLM)": lambda d: TyphoonTrainer(TyphoonModel(joint, replace(cfg, strategy="typhoon", saliency_loss="mlm"), objective="mlm"),
                                                                            args(d, a.steps, a.batch), tok, train_dataset=rows),
    }
    times = {k: [] for k in runs}
    for r in range(a.rounds):
        for name, make in runs.items():
            with tempfile.TemporaryDirectory() as d:
                tr, cb = make(d), StepTimes()
                tr.add_callback(cb); tr.remove_callback(PrinterCallback); tr.train()
                times[name] += cb.times[2:]                      # the first steps warm up
    base = statistics.median(times[next(iter(runs))])
    print(f"# {a.shape} (random init), batch {a.batch}, CoLA fixture rows (max length 64), {a.rounds} interleaved rounds x {a.steps} steps, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, t in times.items():
        m = statistics.median(t)
        print(f"{name:55s} median step {m * 1e3:8.1f} ms  ratio {m / base:5.2f}")

if __name__ == "__main__": main()
