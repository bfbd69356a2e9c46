"""Time per append to a results store as it grows: the store's locked one-line append against rewriting the file.

Fills a store to each size with records of a realistic size (a full-CoLA run's record is ~12 KB: its 1,043 dev
predictions and labels), then times further appends, side by side in one process with the baseline the store
used to be: read the whole file and atomically replace it with one more line (O(n) per append). The store's
append should stay flat as the file grows; the baseline grows with it.

    python bench/bench_store.py                      # 100 and 10,000 records
    python bench/bench_store.py --sizes 100,1000 --appends 20
"""
import argparse, json, os, statistics, tempfile, time
from pathlib import Path

def record(i:int)->dict:
    "A record the size of a full-CoLA run's."
    return dict(run_id=f"cola-minilm-random-s{i}", config=dict(task="cola", strategy="random", seed=i), metrics=dict(matthews_correlation=0.25),
                dev_predictions=[i % 2] * 1043, dev_labels=[1] * 1043)

def rewrite_append(path:Path, rec:dict):
    "The baseline: read the whole store, write it back with one more line (temporary file, fsync, rename)."
    old = path.read_bytes() if path.exists() else b""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(old + json.dumps(rec, sort_keys=True).encode() + b"\n"); fh.flush(); os.fsync(fh.fileno())
    os.replace(tmp, path)

def time_appends(append, n:int)->float:
    "Median seconds of one append, over `n`."
    ts = []
    for i in range(n):
        t = time.perf_counter(); append(i); ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def main(argv=None):
    from typhoon_nb.store import ResultsStore
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100,10000", help="store sizes (records) at which to time appends")
    p.add_argument("--appends", type=int, default=30, help="appends timed at each size")
    a = p.parse_args(argv)
    line = (json.dumps(record(0), sort_keys=True) + "\n").encode()
    print(f"record size {len(line) / 1024:.1f} KiB; {a.appends} appends timed at each size (median)")
    print(f"{'records':>8} {'store append':>13} {'rewrite (baseline)':>19} {'ratio':>7}")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for n in [int(s) for s in a.sizes.split(",")]:
            ours, base = Path(d) / f"ours{n}.jsonl", Path(d) / f"base{n}.jsonl"
            for f in (ours, base):
                with open(f, "wb") as fh:                           # on disk before timing: no earlier writes left to flush
                    fh.write(b"".join((json.dumps(record(i), sort_keys=True) + "\n").encode() for i in range(n))); os.fsync(fh.fileno())
            store = ResultsStore(ours); store.done()                  # a reader that has caught up (a running grid's store)
            t_ours = time_appends(lambda i: store.append(record(n + i)), a.appends)
            t_base = time_appends(lambda i: rewrite_append(base, record(n + i)), a.appends)
            rows.append((n, t_ours, t_base))
            print(f"{n:8d} {t_ours * 1e3:11.2f}ms {t_base * 1e3:17.2f}ms {t_ours / t_base:7.3f}", flush=True)
    (n0, o0, b0), (n1, o1, b1) = rows[0], rows[-1]
    print(f"from {n0} to {n1} records: store append x{o1 / o0:.2f}, rewrite x{b1 / b0:.2f} (flat: close to x1)")
    return rows

if __name__ == "__main__": main()
