"""Operations per training step: k seeds one by one vs the same k seeds stacked in one model (typhoon_nb.stacked).

A device-independent stand-in for GPU kernel launches, which limit small-model fine-tuning on a GPU. Counts
the aten operations that compute something (views, allocations and host reads left out: `typhoon_nb.testing.
OpCounter`) in one training step on the GPU path (fixed MLM slots, no validation): masking, forward, backward,
EMA update. The optimizer is left out (fused AdamW is a few kernels on a GPU either way).

    python bench/op_count.py --data-dir ../shared/data/glue          # the paper's shapes, real batches
    python bench/op_count.py --toy                                    # tiny shape, bundled fixture
"""
import argparse, os, platform
import torch
from bench_step import task_data

def count(shape, task, data_dir, k, batch_size):
    "{strategy: (operations one by one, stacked)} for one step of k seeds."
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import batches
    from typhoon_nb.train import TrainConfig, TrainStep
    from typhoon_nb.stacked import StackedStep
    from typhoon_nb.testing import OpCounter
    bbs = [load_backbone(shape, seed=s, random_init=True) for s in range(k)]
    tok = bbs[0][1]
    bl = list(batches(task_data(task, tok, data_dir)["train"], batch_size, seed=0, pad_id=tok.pad_token_id, group_by_length=True))[:k]
    out = {}
    for strategy in ("none", "random", "wwm", "typhoon"):
        cfgs = [TrainConfig(task=task, strategy=strategy, seed=s, device="cpu") for s in range(k)]
        one = OpCounter()
        for (m, _, _), b, c in zip(bbs, bl, cfgs):
            st = TrainStep(m, tok, c); st.fixed_slots = True
            if st.strategy is not None: st.strategy.check = False
            slots = st.slots(b)                                  # from the CPU batch, outside the count
            with one: st.run(b, slots)
            st.close(); m.zero_grad(set_to_none=True)              # as the optimizer step does: no accumulation in the next count
        ss = StackedStep([m for m, _, _ in bbs], tok, cfgs)
        for s in ss.strategies:
            if s is not None: s.check = False
        slots = ss.slots(bl)
        with OpCounter() as stacked: ss.run(bl, slots)
        out[strategy] = (one.total, stacked.total)
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default=None, help="GLUE folder; default: the bundled fixture")
    p.add_argument("--shapes", default="tinybert,distilbert,bert-base")
    p.add_argument("--tasks", default="mrpc,cola")
    p.add_argument("--seeds", type=int, default=5, help="k: seeds per stacked model")
    p.add_argument("--toy", action="store_true", help="the tiny shape on the fixture: a smoke test")
    a = p.parse_args(argv)
    shapes, bs = (["tiny"], 8) if a.toy else (a.shapes.split(","), 32)
    print(f"cpu ({os.cpu_count()} cores); torch {torch.__version__}; python {platform.python_version()}; {a.seeds} seeds, one training step each")
    print(f"{'shape/task':<18} {'strategy':<8} {'one by one':>10} {'stacked':>8} {'ratio':>6}")
    for shape in shapes:
        for task in a.tasks.split(","):
            for strategy, (one, st) in count(shape, task, a.data_dir, a.seeds, bs).items():
                print(f"{shape + '/' + task:<18} {strategy:<8} {one:10d} {st:8d} {st / one:6.2f}", flush=True)
    print("operations: aten calls that compute (views, allocations, host reads left out); ratio = stacked / one by one (lower: fewer launches)")

if __name__ == "__main__": main()
