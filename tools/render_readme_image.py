"""Render the README's token view to images/token_view.png with headless Chromium (Debian's `chromium`).

    python tools/render_readme_image.py
"""
import subprocess, tempfile
from pathlib import Path
from transformers import AutoTokenizer
from typhoon_nb.core import bundled_minilm_path, FIXTURES
from typhoon_nb.explore import load_snapshots, mask_view, render_tokens

root = Path(__file__).resolve().parents[1]
tok = AutoTokenizer.from_pretrained(bundled_minilm_path())
snaps = load_snapshots(FIXTURES / "ema_snapshots.safetensors", tok)
text = "The committee unexpectedly rejected the proposal after a long and heated debate ."
parts, views = [], {s: mask_view(tok, text, s, 0.15, seed=1, ema=snaps[-1][1]) for s in ("random", "wwm", "typhoon")}
vmax = max(float(v["probs"].max()) for v in views.values())
for strat, v in views.items():
    name = {"random": "Random masking", "wwm": "Whole-word masking", "typhoon": f"Typhoon (EMA after {snaps[-1][0]} CoLA steps)"}[strat]
    parts.append(render_tokens(v["tokens"], v["probs"], v["mask"], f"{name}, budget 15%, seed 1", vmax=vmax))
html = f'<html><body style="background:white;margin:16px;width:900px">{"<hr>".join(parts)}</body></html>'
with tempfile.TemporaryDirectory() as d:
    f = Path(d) / "view.html"; f.write_text(html)
    out = root / "images" / "token_view.png"; out.parent.mkdir(exist_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", f"--user-data-dir={d}/prof", "--hide-scrollbars",
                    f"--screenshot={out}", "--window-size=940,520", f"file://{f}"], check=True, capture_output=True, timeout=120)
print(out)
