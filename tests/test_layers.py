"""The layer contract: routes -> services -> repositories -> models, nothing upward."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_holds():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_services_never_import_routes_or_templates():
    offenders = []
    for path in (ROOT / "app" / "services").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "from app.routes" in text or "import app.routes" in text:
            offenders.append(str(path))
    assert not offenders
