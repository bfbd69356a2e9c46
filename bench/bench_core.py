"""Benchmarks for the masking core, ratios measured side by side in one process, on the CPU.

1. Saliency overhead: one full training step (forward, backward, AdamW) of a BERT-base-shaped random
   classifier with the SaliencyRecorder on vs off, batch 32 x 128 tokens, on CPU. Target <= 1.05.
2. Masking throughput on the tokenised MRPC train set (batch 32): our collator with random / Typhoon
   masking vs transformers' DataCollatorForLanguageModeling (token masking), and our whole-word
   masking vs its whole_word_mask=True. Both sides pad the same examples and corrupt 80/10/10.
   Targets: ours >= HF for token masking; our whole-word masking >= 2x HF's.

    python bench/bench_core.py --data-dir ../shared/data/glue          # full size
    python bench/bench_core.py --toy                                   # seconds, for tests
"""
import argparse, os, platform, time, statistics
import torch

def timeit(fn, repeats):
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return ts

def bench_saliency(toy, repeats):
    from transformers import BertConfig, BertForSequenceClassification
    from typhoon_nb.saliency import SaliencyRecorder
    cfg = BertConfig(num_labels=2) if not toy else BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128, num_labels=2)
    B, T = (32, 128) if not toy else (8, 32)
    torch.manual_seed(0)
    model = BertForSequenceClassification(cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    ids = torch.randint(1000, cfg.vocab_size, (B, T))
    batch = dict(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids), labels=torch.randint(0, 2, (B,)))
    rec = SaliencyRecorder(model)
    def step(record):
        opt.zero_grad(set_to_none=True)
        if record:
            with rec.record(): loss = model(**batch).loss
        else: loss = model(**batch).loss
        loss.backward(); opt.step()
        if record: assert rec.saliency is not None and rec.saliency.shape == (B, T)
    step(True); step(False)                                   # warm-up
    on, off = [], []
    for _ in range(repeats):                                  # interleave so drift hits both alike
        off += timeit(lambda: step(False), 1); on += timeit(lambda: step(True), 1)
    return dict(shape=f"BERT-base {B}x{T}" if not toy else f"toy {B}x{T}", off=statistics.median(off), on=statistics.median(on))

def bench_masking(data_dir, toy, repeats):
    from transformers import AutoTokenizer, DataCollatorForLanguageModeling
    from typhoon_nb.core import bundled_minilm_path, fixture_dir
    from typhoon_nb.data import load_glue
    from typhoon_nb.masking import RandomMasking, WholeWordMasking, TyphoonMasking
    from typhoon_nb.corruption import MaskingCollator
    from typhoon_nb.data import encoding_word_ids
    from typhoon_nb.ema import SaliencyEMA
    tok = AutoTokenizer.from_pretrained(bundled_minilm_path())
    ds = load_glue("mrpc", data_dir or fixture_dir())["train"]
    enc = tok(list(ds["sentence1"]), list(ds["sentence2"]), truncation=True, max_length=128, return_offsets_mapping=True, return_special_tokens_mask=True)
    n = len(enc["input_ids"])
    ours = [dict(input_ids=enc["input_ids"][i], attention_mask=enc["attention_mask"][i], token_type_ids=enc["token_type_ids"][i],
                 word_ids=encoding_word_ids(enc, i)) for i in range(n)]
    hf = [dict(input_ids=enc["input_ids"][i], attention_mask=enc["attention_mask"][i], token_type_ids=enc["token_type_ids"][i],
               special_tokens_mask=enc["special_tokens_mask"][i]) for i in range(n)]
    # HF's whole-word masking reads offset_mapping, which tokenizer.pad cannot pad: pre-pad each batch of
    # 32 to its longest row, so both sides see the same padded shapes
    B = 32
    hf_wwm = []
    for s in range(0, n, B):
        chunk = [dict(h, offset_mapping=[tuple(o) for o in enc["offset_mapping"][s + j]]) for j, h in enumerate(hf[s:s + B])]
        T = max(len(c["input_ids"]) for c in chunk)
        for c in chunk:
            k = T - len(c["input_ids"])
            hf_wwm.append(dict(input_ids=c["input_ids"] + [tok.pad_token_id] * k, attention_mask=c["attention_mask"] + [0] * k,
                               token_type_ids=c["token_type_ids"] + [0] * k, special_tokens_mask=c["special_tokens_mask"] + [1] * k,
                               offset_mapping=c["offset_mapping"] + [(0, 0)] * k))
    ema = SaliencyEMA(tok.vocab_size)
    g = torch.Generator().manual_seed(0)
    ema.scores = torch.rand(tok.vocab_size, generator=g); ema.counts += 1          # a warmed EMA
    def run(coll, exs): 
        for s in range(0, len(exs), B): coll(exs[s:s + B])
    cases = {
        "random (ours)": (MaskingCollator(tok, RandomMasking(0.15), seed=0), ours),
        "typhoon (ours)": (MaskingCollator(tok, TyphoonMasking(ema, 0.15), seed=0), ours),
        "token masking (HF)": (DataCollatorForLanguageModeling(tok, mlm_probability=0.15, seed=0), hf),
        "whole-word (ours)": (MaskingCollator(tok, WholeWordMasking(0.15), seed=0), ours),
        "whole-word (HF)": (DataCollatorForLanguageModeling(tok, whole_word_mask=True, mlm_probability=0.15, seed=0), hf_wwm),
    }
    times = {k: [] for k in cases}
    for k, (c, e) in cases.items(): run(c, e[:B * 2])                 # warm-up
    for _ in range(repeats):
        for k, (c, e) in cases.items(): times[k] += timeit(lambda: run(c, e), 1)
    return n, {k: statistics.median(v) for k, v in times.items()}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default=None, help="GLUE folder (MRPC/train.tsv); default: the bundled fixture")
    p.add_argument("--toy", action="store_true", help="tiny sizes: a smoke test in seconds")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--skip-saliency", action="store_true", help="only the masking comparison")
    a = p.parse_args(argv)
    torch.set_num_threads(os.cpu_count())
    reps = a.repeats or (2 if a.toy else 5)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, device cpu")
    s = bench_saliency(a.toy, reps) if not a.skip_saliency else dict(shape="skipped", on=float("nan"), off=1.0)
    print(f"train step ({s['shape']}): saliency off {s['off']:.3f} s, on {s['on']:.3f} s", flush=True)
    n, m = bench_masking(a.data_dir, a.toy, reps)
    rows = [
        (f"train step, saliency on / off ({s['shape']})", s["on"], s["off"], "<= 1.05"),
        (f"random masking, ours / HF token masking ({n} MRPC pairs)", m["random (ours)"], m["token masking (HF)"], "<= 1.0"),
        ("typhoon masking, ours / HF token masking", m["typhoon (ours)"], m["token masking (HF)"], "<= 1.0"),
        ("whole-word masking, ours / HF whole_word_mask", m["whole-word (ours)"], m["whole-word (HF)"], "<= 0.5"),
    ]
    print(f"\n{'comparison (time ratio, lower is faster)':<64} {'ours s':>9} {'base s':>9} {'ratio':>7}  target")
    for name, ours, base, tgt in rows: print(f"{name:<64} {ours:9.4f} {base:9.4f} {ours / base:7.3f}  {tgt}")
    return rows

if __name__ == "__main__": main()
