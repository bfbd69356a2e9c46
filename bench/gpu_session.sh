#!/usr/bin/env bash
# The device session of issue 6, everything it reports under $OUT. STAGE=grid and STAGE=bench were the 2026-11-27 session;
# STAGE=stacked is the next one (the grid as 18 stacked groups of 5 seeds; WORKERS from the memory measured on the GPU).
#   STAGE=grid : the paper's 90-run grid (TinyBERT/DistilBERT/BERT-base shapes, random weights: timing only; full MRPC and
#                CoLA; 3 epochs; dev evaluation every epoch) on WORKERS processes, timed end to end from the command line,
#                with GPU utilisation sampled every 2 s.
#   STAGE=stacked: bench/stacked_memory.py (peak memory of the largest stacked group, BERT-base MRPC, 5 seeds, its longest
#                batch), then the paper's grid with --stack-seeds on WORKERS processes, timed as for STAGE=grid (first, so
#                that an outer time limit cuts only the diagnostics after it), then bench/profile_step.py (kernels and GPU
#                busy time per step, one run vs 5 stacked seeds) and bench/bench_gpu.py on two shapes (includes 5 seeds
#                stacked vs one by one). E.g. STAGE=stacked GRID_S=300 BENCH_S=150.
#                bench_gpu.py --compile also times the Typhoon step with the encoder under torch.compile (its first pass,
#                compilation included, reported apart), e.g. STACK_BENCH_ARGS="--shapes tinybert --tasks mrpc --steps 12 --warmup 3 --compile".
#                WORKERS=auto (the default for this stage): as many as the measured largest group fits in the GPU's memory
#                (at most 6). On this CPU that group counts 30 GiB, an upper bound (bench/results/stacked_memory_cpu.txt):
#                2 on an 80 GB H100, 3 on an H200 if the GPU measured the same. If a worker fails (e.g. out of memory), the
#                grid resumes within the same time limit on half as many workers; the wall time covers both.
#   STAGE=bench: bench/bench_gpu.py (ours vs Trainer, random vs Typhoon, host syncs per step), then the real-weight MiniLM
#                grid (3 strategies x 5 seeds x MRPC/CoLA, 3 epochs) on WORKERS processes.
# Carried (git-ignored): .whl (datasets, evaluate, fastcore, dill, multiprocess wheels; .whl/alt for an older pyarrow),
# .devcarry/minilm (a half-precision copy of the bundled MiniLM, loaded back in fp32), .devcarry/glue (MRPC, CoLA).
# Both are built by bench/prepare_carry.sh.
# On a CPU (a smoke test): LOCAL=1 GRID_ARGS="..." bash bench/gpu_session.sh
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export PYTORCH_CUDA_ALLOC_CONF=${PYTORCH_CUDA_ALLOC_CONF:-expandable_segments:True}   # many processes sharing one GPU: less fragmentation
STAGE=${STAGE:-grid}; WORKERS=${WORKERS:-$([ "$STAGE" = stacked ] && echo auto || echo 16)}; GRID_S=${GRID_S:-330}; BENCH_S=${BENCH_S:-150}; MINILM_S=${MINILM_S:-150}
DATA=${DATA:-.devcarry/glue}
GRID_ARGS=${GRID_ARGS:---paper --random-init}
MINILM_ARGS=${MINILM_ARGS:---backbones minilm-bundled --seeds 0,1,2,3,4}
BENCH_ARGS=${BENCH_ARGS:---steps 20 --warmup 4}
if [ "${LOCAL:-0}" != 1 ]; then
  PA=$(python3 -c "import pyarrow; print(pyarrow.__version__.split('.')[0])")
  if [ "$PA" -ge 24 ]; then W=$(ls .whl/*.whl); else W="$(ls .whl/alt/*.whl) $(ls .whl/evaluate*.whl .whl/fastcore*.whl)"; fi
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site $W || exit 1
  export PYTHONPATH=/tmp/site:$PWD TYPHOON_NB_MINILM=$PWD/.devcarry/minilm
  nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
fi
python3 -c "import typhoon_nb.train, datasets, evaluate, transformers, torch; print('datasets', datasets.__version__, 'transformers', transformers.__version__, 'torch', torch.__version__, 'cpus', __import__('os').cpu_count())" || exit 1
CLI='import sys; from typhoon_nb.cli import main; sys.exit(main(sys.argv[1:]))'
summary() { python3 - "$1" <<'EOF'
import sys, collections
from typhoon_nb.experiments import ResultsStore, _merge_parts
s = ResultsStore(sys.argv[1]); _merge_parts(s); recs = s.records()
by = collections.defaultdict(list)
for r in recs: by[(r["config"]["backbone"], r["config"]["task"])].append(r)
print(f"{len(recs)} records in {sys.argv[1]}")
for (b, t), rs in sorted(by.items()):
    print(f"  {b}/{t}: {len(rs)} runs, run seconds median {sorted(r['seconds'] for r in rs)[len(rs) // 2]:.1f}, "
          f"max {max(r['seconds'] for r in rs):.1f}, device {rs[0]['device']}")
EOF
}
util_summary() {  # FILE: mean GPU utilisation and most memory used, from nvidia-smi samples
  python3 - "$1" <<'EOF'
import sys, csv
try: rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 2 and r[1].strip().endswith("%")]
except FileNotFoundError: sys.exit()
u = [float(r[1].strip().rstrip(" %")) for r in rows]
m = [float(r[2].strip().split()[0]) for r in rows]
if u: print(f"GPU utilisation (nvidia-smi, every 2 s): mean {sum(u) / len(u):.0f}%, samples {len(u)}; memory used at most {max(m) / 1024:.1f} GiB")
EOF
}
timed_grid() {  # NAME SECONDS ARGS...: run a grid into gpu_runs/NAME.jsonl under a time limit; wall time and summary to $OUT/NAME_wall.txt
  local name=$1 limit=$2; shift 2
  mkdir -p gpu_runs; rm -rf gpu_runs/$name*
  echo "== $name, $WORKERS workers ($(date +%T))"
  local t0=$(date +%s.%N) s0=$(date +%s) w=$WORKERS
  timeout "$limit" python3 -c "$CLI" run "$@" --data-dir "$DATA" --workers "$w" --no-progress --out gpu_runs/$name.jsonl > "$OUT/$name.log" 2>&1
  local rc=$?
  while [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $w -gt 1 ] && [ $(( limit - ($(date +%s) - s0) )) -gt 10 ]; do   # resume what is left
    w=$(( w / 2 )); echo "$name: exit $rc, resuming on $w workers" | tee -a "$OUT/$name.log"
    timeout $(( limit - ($(date +%s) - s0) )) python3 -c "$CLI" run "$@" --data-dir "$DATA" --workers "$w" --no-progress --out gpu_runs/$name.jsonl >> "$OUT/$name.log" 2>&1
    rc=$?
  done
  local t1=$(date +%s.%N)
  echo "$name exit $rc; wall seconds $(python3 -c "print(round($t1 - $t0, 1))"); workers $WORKERS$([ $w != $WORKERS ] && echo ", resumed on $w")" | tee "$OUT/${name}_wall.txt"
  grep -v -E "tokenis|Map|it/s\]|Loading weights|warn" "$OUT/$name.log" | tail -8
  summary gpu_runs/$name.jsonl | tee -a "$OUT/${name}_wall.txt"
}
if [ "$STAGE" = stacked ]; then   # seeds stacked in one model: memory, the whole grid stacked, then kernels per step and a short side-by-side timing
  echo "== peak memory of the largest stacked group ($(date +%T))"
  timeout "${MEMORY_S:-90}" python3 bench/stacked_memory.py --data-dir "$DATA" ${MEMORY_ARGS:---shapes bert-base --tasks mrpc} \
    --out "$OUT/stacked_memory.json" > "$OUT/stacked_memory.log" 2>&1
  echo "memory exit $?"; grep -v -E "tokenis|Map|it/s\]|warn" "$OUT/stacked_memory.log" | tail -5
  if [ "$WORKERS" = auto ]; then
    WORKERS=$(grep -o "WORKERS=[0-9]*" "$OUT/stacked_memory.log" | tail -1 | cut -d= -f2)
    WORKERS=$(( ${WORKERS:-2} > 6 ? 6 : ${WORKERS:-2} )); echo "WORKERS=$WORKERS (from the measured memory)"
  fi
  command -v nvidia-smi >/dev/null && { nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -l 2 > "$OUT/gpu_util.csv" 2>&1 & }
  timed_grid stacked_grid "$GRID_S" ${STACKED_GRID_ARGS:---paper --random-init --stack-seeds}   # first: the number the issue asks for
  kill %1 2>/dev/null
  util_summary "$OUT/gpu_util.csv" | tee -a "$OUT/stacked_grid_wall.txt"
  cp gpu_runs/stacked_grid.jsonl "$OUT/" 2>/dev/null
  echo "== one step and 5 stacked seeds, profiled ($(date +%T))"
  timeout "${PROFILE_S:-60}" python3 bench/profile_step.py --data-dir "$DATA" --shapes tinybert,bert-base --strategies none,typhoon --stack 5 > "$OUT/profile_stacked.log" 2>&1
  echo "profile exit $?"; grep -E "^(shape|tiny|bert|distil)" "$OUT/profile_stacked.log"
  echo "== stacked vs one by one, short ($(date +%T))"
  timeout "${BENCH_S}" python3 bench/bench_gpu.py --data-dir "$DATA" ${STACK_BENCH_ARGS:---shapes tinybert,bert-base --tasks mrpc --steps 12 --warmup 3} \
    --out "$OUT/bench_stacked.json" > "$OUT/bench_stacked.log" 2>&1
  echo "bench exit $?"; grep -v -E "tokenis|Map|it/s\]|train_runtime|warn" "$OUT/bench_stacked.log" | tail -14
elif [ "$STAGE" = grid ]; then
  command -v nvidia-smi >/dev/null && { nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -l 2 > "$OUT/gpu_util.csv" 2>&1 & }
  echo "== one step, profiled ($(date +%T))"
  timeout "${PROFILE_S:-45}" python3 bench/profile_step.py --data-dir "$DATA" ${PROFILE_ARGS:-} > "$OUT/profile_step.log" 2>&1
  echo "profile exit $?"; grep -E "^(shape|tiny|bert|distil)" "$OUT/profile_step.log"
  timed_grid paper_grid "$GRID_S" $GRID_ARGS
  kill %1 2>/dev/null
  util_summary "$OUT/gpu_util.csv" | tee -a "$OUT/paper_grid_wall.txt"
  cp gpu_runs/paper_grid.jsonl "$OUT/" 2>/dev/null
else
  echo "== benchmark ($(date +%T))"
  timeout "$BENCH_S" python3 bench/bench_gpu.py --data-dir "$DATA" $BENCH_ARGS --out "$OUT/bench_gpu.json" > "$OUT/bench_gpu.log" 2>&1
  echo "bench exit $?"; grep -v -E "tokenis|Map|it/s\]|train_runtime|warn" "$OUT/bench_gpu.log" | tail -16
  timed_grid minilm_gpu "$MINILM_S" $MINILM_ARGS
  tar czf "$OUT/minilm_gpu.tgz" gpu_runs/minilm_gpu*
fi
echo "done ($(date +%T))"
