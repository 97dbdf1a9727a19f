"""What every browser script shares: its progress lines, the accessibility check, and Chromium.

The scripts are run by the Swift browser tests with Playwright from PyPI driving Debian's
/usr/bin/chromium (or $CHROMIUM); a script's own directory is on the import path.
"""
import json, os

from axe_playwright_python.sync_playwright import Axe

_axe = None


def step(text):
    """One line of progress, which the Swift test reads."""
    print("ok:", text, flush=True)


def accessible(page, name):
    """axe-core finds no serious or critical violation on the page."""
    global _axe
    _axe = _axe or Axe()
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{name}: accessibility violations: " + json.dumps(
        [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad], ensure_ascii=False)
    step(f"{name}: no serious or critical accessibility violation ({len(results.response['passes'])} rules passed)")


def launch(playwright):
    """Headless Chromium as the tests run it (no sandbox: the suite may run as root)."""
    return playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), headless=True,
                                      args=["--no-sandbox", "--disable-dev-shm-usage"])
