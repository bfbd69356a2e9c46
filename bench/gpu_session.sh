#!/usr/bin/env bash
# One device call (issue 6): install the carried wheels, run the GPU benchmark, then the real-weight MiniLM grid
# (3 strategies x 5 seeds x MRPC/CoLA, 3 epochs) with parallel workers. Everything it reports lands in $OUT.
# Carried (git-ignored): .whl (datasets, evaluate, fastcore, dill, multiprocess wheels; .whl/alt for an older pyarrow),
# .devcarry/minilm (a half-precision copy of the bundled MiniLM, loaded back in fp32), .devcarry/glue (MRPC, CoLA).
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
BENCH_S=${BENCH_S:-200}; GRID_S=${GRID_S:-240}; WORKERS=${WORKERS:-8}; MLM_WEIGHT=${MLM_WEIGHT:-1.0}; SKIP_BENCH=${SKIP_BENCH:-0}
GRID_OUT=${GRID_OUT:-gpu_runs/minilm_gpu.jsonl}
PA=$(python3 -c "import pyarrow; print(pyarrow.__version__.split('.')[0])")
if [ "$PA" -ge 24 ]; then W=$(ls .whl/*.whl); else W="$(ls .whl/alt/*.whl) $(ls .whl/evaluate*.whl .whl/fastcore*.whl)"; fi
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site $W || exit 1
export PYTHONPATH=/tmp/site:$PWD TYPHOON_NB_MINILM=$PWD/.devcarry/minilm
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
python3 -c "import typhoon_nb.train, datasets, evaluate, transformers, torch; print('pyarrow', '$PA', 'datasets', datasets.__version__, 'transformers', transformers.__version__, 'torch', torch.__version__)" || exit 1
echo "== benchmark ($(date +%T))"
[ "$SKIP_BENCH" = 1 ] || timeout "$BENCH_S" python3 bench/bench_gpu.py --data-dir .devcarry/glue --steps 30 --warmup 6 --out "$OUT/bench_gpu.json" > "$OUT/bench_gpu.log" 2>&1
echo "bench exit $?"; grep -v -E "tokenis|Map|it/s\]|train_runtime|warn" "$OUT/bench_gpu.log" | tail -20
echo "== real-weight grid ($(date +%T))"
mkdir -p gpu_runs
timeout "$GRID_S" python3 -c "from typhoon_nb.cli import main; main(['run','--tasks','mrpc,cola','--backbones','minilm-bundled','--strategies','random,wwm,typhoon','--seeds','0,1,2,3,4','--epochs','3','--data-dir','.devcarry/glue','--out','$GRID_OUT','--mlm-weight','$MLM_WEIGHT','--workers','$WORKERS','--no-progress'])" > "$OUT/grid.log" 2>&1
echo "grid exit $?"; grep -v -E "tokenis|Map|it/s\]|Loading weights" "$OUT/grid.log" | tail -15
python3 -c "from typhoon_nb.experiments import ResultsStore, _merge_parts; s=ResultsStore('$GRID_OUT'); _merge_parts(s); print(len(s.records()), 'records')"
tar czf "$OUT/minilm_gpu.tgz" gpu_runs
echo "done ($(date +%T))"
