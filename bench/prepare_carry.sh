#!/usr/bin/env bash
# Build the two git-ignored folders a device call carries for bench/gpu_session.sh (issue 6), from a clean clone:
#   .whl      wheels the device image lacks: datasets, evaluate, fastcore, dill, multiprocess (for Python 3.12), and in
#             .whl/alt the datasets/dill/multiprocess that work with an older pyarrow (< 24); gpu_session.sh picks by version
#   .devcarry glue/{MRPC,CoLA} (train and dev of the full data) and minilm/ (the bundled MiniLM in half precision: 45 MB,
#             under the 64 MiB carry limit; typhoon_nb loads it back in fp32)
# Needs the package registry, ../shared/data/glue (or GLUE=...) and this repo's environment (typhoon_nb and the MiniLM
# package installed). Then: run tool, command "STAGE=stacked GRID_S=300 BENCH_S=150 bash bench/gpu_session.sh",
# carry [".whl", ".devcarry"].
set -euo pipefail
cd "$(dirname "$0")/.."
GLUE=${GLUE:-../shared/data/glue}
rm -rf .whl .devcarry
mkdir -p .whl/alt .devcarry/minilm
PIP="python -m pip download -q --no-deps --only-binary=:all: --python-version 3.12"
$PIP -d .whl datasets==5.2.0 dill==0.4.1 evaluate==0.4.6 fastcore==1.14.5 multiprocess==0.70.19
$PIP -d .whl/alt datasets==4.8.5 dill==0.4.0 multiprocess==0.70.18
for t in MRPC CoLA; do mkdir -p .devcarry/glue/$t; cp "$GLUE/$t/train.tsv" "$GLUE/$t/dev.tsv" .devcarry/glue/$t/; done
python - <<'PY'
import shutil
from pathlib import Path
from safetensors.torch import load_file, save_file
from typhoon_nb.core import bundled_minilm_path
src, dst = bundled_minilm_path(), Path(".devcarry/minilm")
for f in ("config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"): shutil.copy(src / f, dst / f)
w = load_file(src / "model.safetensors")
save_file({k: v.half() if v.is_floating_point() else v for k, v in w.items()}, dst / "model.safetensors", metadata={"format": "pt"})
PY
du -sh .whl .devcarry
