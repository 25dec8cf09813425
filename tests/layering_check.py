#!/usr/bin/env python3
"""Check the include layering DESIGN.md asks for:

- sim/ includes only sim/'s own headers (it knows nothing above IP);
- only models/emu itself and models/init (the one place that knows every
  model) include models/emu's headers: another model reaches emulation
  through a seam it registers (e.g. models/bgp's transport providers,
  bgp_sc_register_provider), never by name.

An include is judged by where it leads, not by how it is spelt: a
path-qualified one ("../emu/emu_bgp_sockets.h", "emu/emu_tap.h") is
resolved against the including file's directory (as the compiler does
first) and its base name is compared too, so neither form slips past.

usage: layering_check.py SOURCE_DIR     (exit 1 naming each violation)
       layering_check.py --self-test    (the checks on a made-up tree)
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(path):
    return INCLUDE.findall(path.read_text(errors="replace"))


def inside(path, d):
    """Whether path (resolved) is in directory d (resolved)."""
    try:
        path.relative_to(d)
        return True
    except ValueError:
        return False


def check(src):
    src = src.resolve()
    sim = src / "sim"
    emu = src / "models" / "emu"
    bad = []
    emu_h = {p.name for p in emu.glob("*.h")}
    for f in sorted(sim.rglob("*.[ch]")):
        for h in includes(f):
            # found next to the file, and that is inside sim/
            r = (f.parent / h).resolve()
            if not (r.is_file() and inside(r, sim)):
                bad.append(f"{f.relative_to(src)}: includes {h}, not a "
                           "header of sim/")
    for d in sorted((src / "models").iterdir()):
        if not d.is_dir() or d.name in ("emu", "init"):
            continue
        for f in sorted(d.rglob("*.[ch]")):
            for h in includes(f):
                r = (f.parent / h).resolve()
                if pathlib.PurePosixPath(h).name in emu_h or inside(r, emu):
                    bad.append(f"{f.relative_to(src)}: includes {h} of "
                               "models/emu (use a registered seam)")
    return bad


def self_test():
    """Every way of spelling a bad include is caught; good ones pass."""
    cases = [
        # (file, its text, violations expected)
        ("sim/a.c", '#include "sim.h"\n', 0),
        ("sim/b.c", '#include "net.h"\n', 1),
        ("sim/c.c", '#include "../models/bgp/bgp.h"\n', 1),
        ("sim/d.c", '#include "../sim/sim.h"\n', 0),
        ("models/bgp/ok.c", '#include "bgp.h"\n#include "sim.h"\n', 0),
        ("models/bgp/e.c", '#include "emu_bgp_sockets.h"\n', 1),
        ("models/bgp/f.c", '#include "../emu/emu_bgp_sockets.h"\n', 1),
        ("models/bgp/g.c", '#  include "emu/emu_bgp_sockets.h"\n', 1),
        ("models/bgp/sub/h.c", '#include "../../emu/emu_tap.h"\n', 1),
        ("models/emu/emu_x.c", '#include "emu_tap.h"\n', 0),
        ("models/init/init.c", '#include "../emu/emu_tap.h"\n', 0),
    ]
    fixed = {"sim/sim.h": "", "models/bgp/bgp.h": "",
             "models/emu/emu_bgp_sockets.h": "", "models/emu/emu_tap.h": ""}
    fails = 0
    for name, text, want in cases:
        with tempfile.TemporaryDirectory(prefix="xcsim-layering-") as t:
            root = pathlib.Path(t)
            for p, s in list(fixed.items()) + [(name, text)]:
                (root / p).parent.mkdir(parents=True, exist_ok=True)
                (root / p).write_text(s)
            got = len(check(root))
            if got != want:
                print(f"self-test: {name} {text.strip()!r}: {got} "
                      f"violation(s), want {want}")
                fails += 1
    print(f"layering_check self-test: {len(cases) - fails}/{len(cases)} ok")
    return 1 if fails else 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    bad = check(pathlib.Path(sys.argv[1]))
    for b in bad:
        print(b)
    print(f"layering_check: {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
