#!/usr/bin/env python3
# Reads meson's testlog.json and prints "N passed, N failed, N skipped":
# each GLib test case counts (parsed from its TAP output), other tests count once.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

passed = failed = skipped = 0
failures = []
try:
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
except OSError as e:
    print(f"test-summary: cannot read {sys.argv[1]}: {e}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

for line in lines:
    if not line.strip():
        continue
    t = json.loads(line)
    result = t.get("result")
    out = t.get("stdout") or ""
    oks = re.findall(r"^ok \d+ (.*)$", out, re.M)
    not_oks = re.findall(r"^not ok \d+ (.*)$", out, re.M)
    skips = [o for o in oks if "# SKIP" in o]
    if oks or not_oks:
        passed += len(oks) - len(skips)
        skipped += len(skips)
        failed += len(not_oks)
        failures += [f"{t['name']}: {n}" for n in not_oks]
        # A crash after the last case, or a timeout, still fails the test.
        if result not in ("OK", "EXPECTEDFAIL", "SKIP") and not not_oks:
            failed += 1
            failures.append(f"{t['name']}: {result}")
    elif result == "SKIP":
        skipped += 1
    elif result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    else:
        failed += 1
        failures.append(f"{t['name']}: {result}")

for f in failures:
    print(f"FAILED {f}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
