#!/usr/bin/env python3
"""Check the include layering DESIGN.md asks for:

- sim/ includes only sim/'s own headers (it knows nothing above IP);
- only models/emu itself and models/init (the one place that knows every
  model) include models/emu's headers: another model reaches emulation
  through a seam it registers (e.g. models/bgp's transport providers,
  bgp_sc_register_provider), never by name.

usage: layering_check.py SOURCE_DIR     (exit 1 naming each violation)
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(path):
    return INCLUDE.findall(path.read_text(errors="replace"))


def main():
    src = pathlib.Path(sys.argv[1])
    bad = []
    sim_h = {p.name for p in (src / "sim").glob("*.h")}
    emu_h = {p.name for p in (src / "models" / "emu").glob("*.h")}
    for f in sorted((src / "sim").glob("*.[ch]")):
        for h in includes(f):
            if h not in sim_h:
                bad.append(f"{f.relative_to(src)}: includes {h}, not a "
                           "header of sim/")
    for d in sorted((src / "models").iterdir()):
        if not d.is_dir() or d.name in ("emu", "init"):
            continue
        for f in sorted(d.glob("*.[ch]")):
            for h in includes(f):
                if h in emu_h:
                    bad.append(f"{f.relative_to(src)}: includes {h} of "
                               "models/emu (use a registered seam)")
    for b in bad:
        print(b)
    print(f"layering_check: {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
