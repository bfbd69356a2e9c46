"""Keep README.md saying what nbs/index.ipynb says (nbdev_readme needs quarto, which this project does not assume).

The README's first part, between the two `generated` markers, is the tutorial notebook rendered as Markdown:
its Markdown cells as they are, its code cells (but `#| hide` ones) as Python blocks, links to ../images made
relative to the repository root. The rest of the README is written by hand. With --check, nothing is written:
the exit code says whether the README is in sync, and whether .ci/run still runs the README's set-up commands.

    python tools/sync_readme.py            # after editing nbs/index.ipynb
    python tools/sync_readme.py --check    # in CI
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- begin: generated from nbs/index.ipynb by tools/sync_readme.py; edit the notebook -->", "<!-- end: generated from nbs/index.ipynb -->"

def render(nb_path:Path)->str:
    "The notebook as Markdown: Markdown cells, and code cells that are not hidden."
    out = []
    for cell in json.loads(nb_path.read_text())["cells"]:
        src = "".join(cell["source"]).strip()
        if not src: continue
        if cell["cell_type"] == "markdown": out.append(src.replace("](../images/", "](images/"))
        elif cell["cell_type"] == "code" and not src.startswith("#| hide"):
            out.append("```python\n" + "\n".join(l for l in src.splitlines() if not l.startswith("#|")) + "\n```")
    return "\n\n".join(out)

def synced(readme:str, body:str)->str:
    "The README with its generated part replaced by `body`."
    if BEGIN not in readme or END not in readme: raise SystemExit(f"README.md lacks the markers {BEGIN!r} and {END!r}")
    head, rest = readme.split(BEGIN, 1)
    return head + BEGIN + "\n" + body + "\n" + END + rest.split(END, 1)[1]

def setup_commands(readme:str)->list:
    "The bash commands of the README's 'Set up' section."
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [c.strip() for c in re.findall(r"```bash\n(.*?)```", section, re.S)]

if __name__ == "__main__":
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text()
    new = synced(readme, render(ROOT / "nbs" / "index.ipynb"))
    if "--check" not in sys.argv:
        readme_path.write_text(new); print("README.md written from nbs/index.ipynb"); sys.exit(0)
    ci = (ROOT / ".ci" / "run").read_text()
    missing = [c for c in setup_commands(new) if c not in ci]
    if new != readme: print("README.md is out of sync with nbs/index.ipynb: run python tools/sync_readme.py")
    if missing: print(f".ci/run does not run the README's set-up commands: {missing}")
    sys.exit(1 if new != readme or missing else 0)
