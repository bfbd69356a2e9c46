"""Peak memory of one stacked training step (issue 6): how many stacked groups fit on one GPU at once.

`typhoon_run --stack-seeds` trains the 5 seeds of a setting as one stacked model; with several worker processes
sharing a GPU, each holds its group's peak. This measures, for each backbone shape and task, one Typhoon step
of k stacked seeds (random weights, batch 32) on the task's *longest* training rows (the worst step of an
epoch), with per-seed clipping and a fused AdamW step, and reports the group's peak: weights, gradients, AdamW
state and activations. On a GPU the numbers are the CUDA allocator's (`max_memory_allocated`); the last line
says how many of the largest group fit in the GPU's memory at once.

On a CPU (no CUDA) it counts the bytes of tensors alive at once during the step (bf16 autocast as on the GPU)
and, by default, for one seed: the stacked step is the members' steps batched, so a group of k needs k times
that (checked with --k). It is an upper bound for a GPU: on the CPU the attention probabilities are
materialised (the fused CUDA kernels keep none) and dropout keeps fp32 masks (bool on CUDA).

    python bench/stacked_memory.py --data-dir ../shared/data/glue            # on the GPU: k=5, every shape
    python bench/stacked_memory.py --data-dir ../shared/data/glue --k 1      # on the CPU, scaled to 5 seeds
    python bench/stacked_memory.py --toy                                     # smoke test
"""
import json, os, platform, time, weakref
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten
from bench_gpu import bench_parser, task_data

class LiveBytes(TorchDispatchMode):
    "Peak bytes of the tensor storage allocated by operations inside the block and alive at the same time."
    def __init__(self): super().__init__(); self.refs, self.size, self.live, self.peak = {}, {}, 0, 0
    def _release(self, ptr):
        self.refs[ptr] -= 1
        if self.refs[ptr] == 0: self.live -= self.size.pop(ptr); del self.refs[ptr]
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        seen = {t.untyped_storage().data_ptr() for t in tree_flatten((args, kwargs))[0] if isinstance(t, torch.Tensor)}
        out = func(*args, **(kwargs or {}))
        for t in tree_flatten(out)[0]:
            if not isinstance(t, torch.Tensor): continue
            st = t.untyped_storage(); ptr = st.data_ptr()
            if ptr == 0 or (ptr in seen and ptr not in self.refs): continue     # in place or a view of a tensor made outside
            if ptr not in self.refs:
                self.refs[ptr], self.size[ptr] = 0, st.nbytes()
                self.live += st.nbytes(); self.peak = max(self.peak, self.live)
            self.refs[ptr] += 1
            weakref.finalize(t, self._release, ptr)                              # storage freed when its last tensor dies
        return out

def measure(shape, task, data_dir, k, batch_size, dev, toy):
    from typhoon_nb.model import load_backbone
    from typhoon_nb.data import collate
    from typhoon_nb.train import TrainConfig, _optimizer
    from typhoon_nb.stacked import StackedModels, group_slots
    bbs = [load_backbone(shape, seed=s, random_init=True) for s in range(k)]
    tok = bbs[0][1]
    data = task_data(task, tok, data_dir, 32 if toy else None)
    longest = collate(sorted(data["train"].to_list(), key=lambda r: -len(r["input_ids"]))[:batch_size], tok.pad_token_id)
    cfg = TrainConfig(task=task, strategy="typhoon", device=str(dev))
    sm = StackedModels([m for m, _, _ in bbs], dev); del bbs
    opt = _optimizer(sm.params.items(), cfg, fused=dev.type == "cuda")
    strat, _ = sm.masking([cfg] * k)
    gens = [torch.Generator(device=dev).manual_seed(s) for s in range(k)]
    ac = torch.autocast(dev.type, dtype=torch.bfloat16)
    special = sorted(set(tok.all_special_ids))
    def step():
        sm.step([longest] * k, cfg, strat, gens, special, tok, ac, dev, group_slots(strat, [longest] * k, special))
        sm.clip(cfg.max_grad_norm); opt.step(); opt.zero_grad(set_to_none=True)
    step()                                                      # creates the AdamW state
    nbytes = lambda ts: sum(t.numel() * t.element_size() for t in ts)
    weights = nbytes(sm.params.values())
    adam = nbytes(v for s in opt.state.values() for v in s.values() if torch.is_tensor(v))
    t = time.time()
    if dev.type == "cuda":
        torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated(); step(); torch.cuda.synchronize()
        peak_step = torch.cuda.max_memory_allocated() - base
        reserved = torch.cuda.max_memory_reserved()
    else:
        lb = LiveBytes()
        with lb: step()
        peak_step, reserved = lb.peak, None
    return dict(shape=shape, task=task, k=k, batch_size=batch_size, tokens=tuple(longest["input_ids"].shape), seconds=time.time() - t,
                weights=weights, adam=adam, step_peak=peak_step, group_peak=weights + adam + peak_step, reserved=reserved)

def main(argv=None):
    p = bench_parser(__doc__)
    p.add_argument("--k", type=int, default=None, help="seeds stacked (default: 5 on a GPU, 1 on a CPU, scaled to 5)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--toy", action="store_true", help="tiny shape on the bundled fixture, CPU: a smoke test")
    p.add_argument("--out", default=None, help="write the measurements as JSON here")
    a = p.parse_args(argv)
    cuda = torch.cuda.is_available() and not a.toy
    dev = torch.device("cuda" if cuda else "cpu")
    k = a.k or (5 if cuda else 1)
    name = torch.cuda.get_device_name(0) if cuda else f"cpu ({os.cpu_count()} cores)"
    print(f"device: {name}; torch {torch.__version__}; python {platform.python_version()}; {k} seed(s) stacked, batch {a.batch_size}, Typhoon", flush=True)
    gib, scale, rows = 2 ** 30, 5 / k, []
    print(f"{'shape/task':<18} {'longest':>9} {'weights':>8} {'AdamW':>7} {'step':>7} {'group':>7} {'x5 seeds':>9}  (GiB)")
    for shape in (["tiny"] if a.toy else a.shapes.split(",")):
        for task in a.tasks.split(","):
            r = measure(shape, task, a.data_dir, k, 8 if a.toy else a.batch_size, dev, a.toy); rows.append(r)
            print(f"{shape + '/' + task:<18} {'x'.join(map(str, r['tokens'])):>9} {r['weights'] / gib:8.2f} {r['adam'] / gib:7.2f} "
                  f"{r['step_peak'] / gib:7.2f} {r['group_peak'] / gib:7.2f} {r['group_peak'] * scale / gib:9.2f}", flush=True)
            if cuda: torch.cuda.empty_cache()
    worst = max(rows, key=lambda r: r["group_peak"])
    print("weights: stacked fp32 weights; AdamW: its state; step: the most memory the step, clipping and the optimizer "
          "add at once (gradients, activations, bf16 copies); group = weights + AdamW + step")
    if cuda:
        total = torch.cuda.get_device_properties(0).total_memory
        fit = int(0.9 * total // (worst["group_peak"] + 0.5 * gib))   # ~0.5 GiB per process for the CUDA context
        print(f"largest group: {worst['shape']}/{worst['task']}, {worst['group_peak'] / gib:.1f} GiB; {name} has {total / gib:.0f} GiB: "
              f"WORKERS={max(1, fit)} such groups fit at once (90% of the memory, 0.5 GiB per process for CUDA)")
    else:
        print(f"largest group scaled to 5 seeds: {worst['shape']}/{worst['task']}, {worst['group_peak'] * scale / gib:.1f} GiB "
              "(a CPU count: an upper bound for a GPU, see the docstring)")
    if a.out:
        os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
        json.dump(dict(device=name, torch=torch.__version__, k=k, results=rows), open(a.out, "w"), indent=1)
    return rows

if __name__ == "__main__": main()
