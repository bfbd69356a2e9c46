"""Run a notebook's code cells top to bottom in IPython, with nothing but a plain install of the package.

nbdev's test runner (execnb) is a development extra; a student who only did `pip install` has IPython
(ipywidgets depends on it), so this is how CI checks that the tutorial runs for them. Cells marked
`#| eval: false` are skipped, and so are cells flagged `#| slow` or `#| cuda` (settings.ini's tst_flags),
as nbdev_test skips them. Exits non-zero at the first failing cell.

    python tools/run_notebook.py nbs/index.ipynb
"""
import json, os, sys, time
from pathlib import Path

def run(path:str)->float:
    "Run the notebook at `path` in its own folder; return the seconds it took."
    from IPython.core.interactiveshell import InteractiveShell
    nb = json.loads(Path(path).read_text())
    os.chdir(Path(path).resolve().parent)
    shell = InteractiveShell.instance()
    t0 = time.time()
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"])
        if cell["cell_type"] != "code" or any(f in src for f in ("#| eval: false", "#| slow", "#| cuda")): continue
        result = shell.run_cell(src, silent=True)
        if not result.success:
            print(f"{path}: cell {i} failed:\n{src}", file=sys.stderr)
            result.raise_error()
    return time.time() - t0

if __name__ == "__main__":
    for p in sys.argv[1:]: print(f"{p}: ran in {run(p):.1f} s")
