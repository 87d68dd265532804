"""axe-core, the accessibility checker, run in a page of the browser tests."""

import json
from pathlib import Path

from tests.helpers import skip_or_fail

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page):
    """Run axe-core in the page against WCAG 2.0, 2.1 and 2.2 A and AA; return its violations."""
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT}: run `make install`")
    # A click that navigates returns before the new page has loaded: check the page, not a blank one.
    page.wait_for_load_state("load")
    # Evaluated rather than added as a <script>, so a Content-Security-Policy cannot block it.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", tags
    )


def describe_violations(violations):
    """Violations as a reader wants them on failure: rule, impact, help, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


class ScreenChecks:
    """The screens a test passes through, each checked by axe and for what went wrong loading it; all
    reported together at the end, so one run names every screen with a problem."""

    def __init__(self):
        self.found = {}

    def check(self, screen, tab):
        """Check the screen `tab` (a BrowsedPage) shows now, naming it `screen` in the report."""
        if tab.problems:
            self.found[f"{screen} (loading)"] = "\n".join(tab.problems)
        violations = axe_violations(tab.page)
        if violations:
            self.found[screen] = describe_violations(violations)
        # axe applies inline styles as it checks, which the Content-Security-Policy refuses: not the screen's.
        tab.problems.clear()

    def assert_none_found(self):
        assert self.found == {}, "\n".join(f"{screen}:\n{text}" for screen, text in self.found.items())
