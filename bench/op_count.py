"""Operations per training step: k seeds one by one vs the same k seeds stacked in one model (typhoon_nb.stacked).

A device-independent stand-in for GPU kernel launches, which is what limits small-model fine-tuning on a GPU
(bench/results/paper_grid_h200_2026-11-27.txt). Counts the aten operations that compute something (views,
allocations and host reads left out) in one training step: masking, forward, backward, EMA update. The
optimizer is left out (fused AdamW is a few kernels on a GPU either way). While operations are being counted,
torch computes attention on the math path (matmuls and a softmax; one fused kernel on a GPU), for all stacked
seeds at once as on a GPU; dropout is four operations each time it is applied.

    python bench/op_count.py --data-dir ../shared/data/glue          # the paper's shapes, real batches
    python bench/op_count.py --toy                                    # tiny shape, bundled fixture
"""
import os, platform
from contextlib import nullcontext
import torch
from typhoon_nb.train import OpCounter
from bench_gpu import bench_parser, task_data

def count(shape, task, data_dir, k, batch_size, toy):
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import batches
    from typhoon_nb.train import TrainConfig, make_strategy, train_step, step_slots
    from typhoon_nb.saliency import SaliencyRecorder
    from typhoon_nb.stacked import StackedModels, group_slots
    dev = torch.device("cpu")
    bbs = [load_backbone(shape, seed=s, random_init=True) for s in range(k)]
    tok = bbs[0][1]
    data = task_data(task, tok, data_dir, 32 if toy else None)
    bl = list(batches(data["train"], batch_size, seed=0, pad_id=tok.pad_token_id, group_by_length=True))[:k]
    special = sorted(set(tok.all_special_ids))
    rows = []
    for strategy in ("none", "random", "wwm", "typhoon"):
        cfg = TrainConfig(task=task, strategy=strategy, device="cpu")
        one = OpCounter()
        for s, (m, _, _) in enumerate(bbs):
            strat, ema = make_strategy(cfg, m.get_input_embeddings().num_embeddings, dev)
            if strat is not None and hasattr(strat, "check"): strat.check = False      # the GPU path: no validation syncs
            rec = SaliencyRecorder(m) if ema is not None else None
            slots = step_slots(strat, bl[s], special)            # on the CPU batch, outside the count, as fine_tune does
            with one: train_step(m, bl[s], cfg, strat, ema, rec, special, tok, torch.Generator().manual_seed(s), nullcontext(), slots)
            if rec: rec.remove()
            m.zero_grad(set_to_none=True)
        sm = StackedModels([m for m, _, _ in bbs])
        strat, _ = sm.masking([cfg] * k)
        st = OpCounter()
        slots = group_slots(strat, bl, special)
        with st: sm.step(bl, cfg, strat, [torch.Generator().manual_seed(s) for s in range(k)], special, tok, nullcontext(), dev, slots)
        rows.append(dict(shape=shape, task=task, strategy=strategy, one_by_one=one.total, stacked=st.total))
        del sm
    return rows

def main(argv=None):
    p = bench_parser(__doc__)
    p.add_argument("--k", type=int, default=5, help="seeds per stacked group")
    p.add_argument("--batch-size", type=int, default=4, help="rows per batch (operation counts do not depend on it)")
    p.add_argument("--toy", action="store_true", help="tiny shape on the bundled fixture: a smoke test")
    a = p.parse_args(argv)
    torch.manual_seed(0)
    shapes = ["tiny"] if a.toy else a.shapes.split(",")
    print(f"cpu ({os.cpu_count()} cores); torch {torch.__version__}; python {platform.python_version()}; {a.k} seeds, one training step each")
    print(f"{'shape/task':<18} {'strategy':<8} {'one by one':>10} {'stacked':>8} {'ratio':>6}")
    for shape in shapes:
        for task in a.tasks.split(","):
            for r in count(shape, task, a.data_dir, a.k, a.batch_size, a.toy):
                print(f"{shape + '/' + task:<18} {r['strategy']:<8} {r['one_by_one']:10d} {r['stacked']:8d} {r['stacked'] / r['one_by_one']:6.2f}", flush=True)
    print("operations: aten calls that compute (views, allocations, host reads left out); ratio = stacked / one by one (lower: fewer launches)")

if __name__ == "__main__": main()
