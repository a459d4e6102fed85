"""The layers of DESIGN.md hold: import-linter's contracts pass, and no module is in an import cycle.

grimp (import-linter's graph) sees imports inside functions too; the first test
makes sure of that, so that the lazy imports csdrill uses for start-up speed are
checked like the others.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("cs_drill", cache_dir=None)


def test_the_graph_sees_imports_inside_functions(graph: grimp.ImportGraph) -> None:
    # cache.compile_file imports the validator when a file is parsed, not at import time
    assert graph.direct_import_exists(importer="cs_drill.bank.cache", imported="cs_drill.bank.validate")
    details = graph.get_import_details(importer="cs_drill.bank.cache", imported="cs_drill.bank.validate")
    assert any("import" in d["line_contents"] and d["line_contents"].startswith("from") for d in details)


def test_no_module_takes_part_in_an_import_cycle(graph: grimp.ImportGraph) -> None:
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("cs_drill") and graph.chain_exists(imported=module, importer=imported):
                cycles.append(f"{module} -> {imported}")
    assert cycles == []


def test_the_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    done = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "broken" not in done.stdout.split("Contracts:")[-1].replace("0 broken", "")
