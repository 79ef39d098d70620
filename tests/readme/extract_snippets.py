#!/usr/bin/env python3
"""Writes each C++ block of README.md marked `<!-- compiled: NAME -->` to OUT_DIR/NAME.cpp.

Usage: extract_snippets.py README.md OUT_DIR. Exits 1 when a marker is not followed by a
```cpp block, or a name repeats; files of blocks no longer in the README are removed."""
import os
import re
import sys

readme, out_dir = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
os.makedirs(out_dir, exist_ok=True)
names = []
for m in re.finditer(r"<!-- compiled: ([a-z0-9-]+) -->\n", text):
    name = m.group(1)
    block = re.match(r"```cpp\n(.*?)\n```\n", text[m.end():], re.S)
    if not block:
        sys.exit(f"README.md: the marker 'compiled: {name}' is not followed by a ```cpp block")
    if name in names:
        sys.exit(f"README.md: two snippets named {name}")
    names.append(name)
    path = os.path.join(out_dir, name + ".cpp")
    body = f"// From README.md, snippet '{name}'.\n" + block.group(1) + "\n"
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != body:
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
for f in os.listdir(out_dir):
    if f.endswith(".cpp") and f[:-4] not in names:
        os.remove(os.path.join(out_dir, f))
if not names:
    sys.exit("README.md: no compiled snippet found")
