"""Wall time of the README's main job, `typhoon_nb run --quick` and its report, end to end, as a user runs them.

Runs both commands in a fresh process each (imports and model loading included) on a new store, and prints
their wall seconds and the table the job ends with.

    python bench/time_quick.py                 # as the README runs it: --quick --workers 2
    python bench/time_quick.py --smoke         # any other `run` options instead
"""
import os, subprocess, sys, tempfile, time

def timed(cmd:list)->tuple:
    t = time.time(); out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode: raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return time.time() - t, out.stdout

if __name__ == "__main__":
    extra = sys.argv[1:] or ["--quick", "--workers", "2"]
    env_note = f"{os.cpu_count()} cores; `run {' '.join(extra)}`"
    with tempfile.TemporaryDirectory() as d:
        run_s, run_out = timed([sys.executable, "-m", "typhoon_nb", "run", *extra, "--no-progress", "--out", f"{d}/quick.jsonl"])
        rep_s, rep_out = timed([sys.executable, "-m", "typhoon_nb", "report", f"{d}/quick.jsonl"])
    print(run_out.strip().split("finished in")[-1].split("\n", 1)[-1])
    print(f"\n`typhoon_nb run`: {run_s:.0f} s wall; `typhoon_nb report`: {rep_s:.0f} s wall; together {run_s + rep_s:.0f} s ({env_note})")
