#!/usr/bin/env python3
"""docs_snippets_test: every ```cpp block in docs/ is a verbatim excerpt of a
file under examples/ (so the code the docs show is compiled and run by the
tests). A block may name its source on its first line: `// examples/x.cc`.
Usage: docs_snippets_test.py REPO_ROOT"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
examples = {p: p.read_text() for p in (root / "examples").rglob("*") if p.suffix in (".cc", ".h")}
failures = 0
blocks = 0
for doc in sorted((root / "docs").rglob("*.md")):
    for m in re.finditer(r"```cpp\n(.*?)```", doc.read_text(), re.S):
        blocks += 1
        lines = [l for l in m.group(1).splitlines() if not l.startswith("// examples/")]
        # Compare line by line, ignoring indentation and "..." elisions.
        chunks = [c for c in "\n".join(l.strip() for l in lines).split("...") if c.strip()]
        def found(chunk):
            want = "\n".join(l for l in chunk.strip().splitlines())
            for text in examples.values():
                if want in "\n".join(l.strip() for l in text.splitlines()):
                    return True
            return False
        missing = [c for c in chunks if not found(c)]
        if missing:
            failures += 1
            print(f"{doc.relative_to(root)}: a cpp block is not an excerpt of examples/:\n"
                  f"{missing[0].strip()[:300]}\n")
print(f"{blocks} cpp blocks checked, {failures} not from examples/")
sys.exit(1 if failures else 0)
