"""Structural rules of the house layout (issue 12): one of each shared thing, in its one place.

Each test reads the source tree; a twin added later fails here with the place to look.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def _python_files(folder: Path = APP) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _definitions(kind: type[ast.AST], name: str) -> list[str]:
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, kind) and getattr(node, "name", None) == name:
                found.append(str(path.relative_to(ROOT)))
    return found


def test_services_hold_domain_packages_and_few_shared_modules() -> None:
    top = sorted(p.name for p in (APP / "services").glob("*.py"))
    assert len(top) <= 10, top
    assert not [name for name in top if name.startswith("demo")]
    assert not list((APP / "services").rglob("demo*.py"))
    for domain in ("identity", "catalogue", "assessment", "budget", "ratings", "research"):
        for layer in ("services", "routes", "templates"):
            assert (APP / layer / domain).is_dir(), f"app/{layer}/{domain}/ is missing"
    assert (APP / "services" / "reports").is_dir() and (APP / "routes" / "reports").is_dir()


def test_one_statistics_module() -> None:
    assert _definitions(ast.ClassDef, "Estimate") == ["app/services/stats.py"]
    assert _definitions(ast.FunctionDef, "mean_ci") == ["app/services/stats.py"]
    assert _definitions(ast.FunctionDef, "t95") == ["app/services/stats.py"]


def test_one_disclosure_cell() -> None:
    assert _definitions(ast.ClassDef, "Cell") == ["app/services/disclosure.py"]
    assert len(re.findall(r"^MIN_CELL\s*=", _read("app/services/disclosure.py"), re.M)) == 1
    others = [p for p in _python_files() if re.search(r"^MIN_CELL\s*=", p.read_text(), re.M)]
    assert [str(p.relative_to(ROOT)) for p in others] == ["app/services/disclosure.py"]


def _read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def test_one_htmx_aware_redirect() -> None:
    places = [str(p.relative_to(ROOT)) for p in _python_files() if "HX-Redirect" in p.read_text()]
    assert places == ["app/routes/responses.py"], places


def test_one_place_sets_the_locale_cookie() -> None:
    places = [
        str(p.relative_to(ROOT))
        for p in _python_files()
        if re.search(r"set_cookie\(\s*(i18n\.)?LOCALE_COOKIE", p.read_text())
    ]
    assert places == ["app/i18n/cookie.py"], places


def test_no_label_dictionaries_outside_the_label_table() -> None:
    offenders = []
    for path in _python_files(APP / "routes") + _python_files(APP / "services"):
        if re.search(r"^[A-Z_]*LABELS\s*[:=]", path.read_text(), re.M):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_one_newest_budget_order() -> None:
    """Budgets are ordered by age in one place (repositories/budget.py), with one tie-break."""
    pattern = re.compile(r"order_by\([^)]*Budget\.(period_start|created_at)", re.S)
    places = [str(p.relative_to(ROOT)) for p in _python_files() if pattern.search(p.read_text())]
    assert places == ["app/repositories/budget.py"], places
