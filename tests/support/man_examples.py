#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Extract the examples of a scxkit man page so that the tests can run them.

    man_examples.py [--map FROM TO]... [--sub REGEX REPLACEMENT]... OUTDIR PAGE.scd

Every fenced block (```) in the page's "# EXAMPLES" section is one example.
It is written, with scdoc's escapes undone (\\X is X), to OUTDIR/NN.sh, or
OUTDIR/NN.mk for a Makefile, after the replacements: each --map replaces a
fixed string (an installed path by the build tree's), each --sub a regular
expression (the VM suite scales workloads down), in the order given.

One line per example goes to standard output, tab-separated:

    NN  KIND  FILE  CAPTION

KIND says where the example can run:
  shell   an ordinary shell example: the cli suite runs it with bash
  make    a Makefile (assignments and rules with tab-indented recipes):
          run with make -f
  kernel  it runs a command with sudo: root and a sched_ext kernel, so the
          VM suite runs it (as root, sudo being a pass-through there)
CAPTION is the paragraph above the block, for the test log.

Exit status: 0 (also when the page has no EXAMPLES section: the caller
decides), 64 usage, 65 an unterminated block.
"""
import os
import re
import sys

SUDO = re.compile(r"(^|[\s;&|({`])sudo\s")
RULE = re.compile(r"^[^\s#=][^=]*:(\s|$)")
MAKEVAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s+[?:+]?=")


def unescape(line):
    # scdoc drops the backslash before any character, in literal blocks too.
    return re.sub(r"\\(.)", r"\1", line)


def examples(path):
    """Yield (caption, lines) for each block of the EXAMPLES section."""
    with open(path) as f:
        lines = f.read().split("\n")
    inside = False
    block = None
    caption = ""
    blank = True
    for n, line in enumerate(lines, 1):
        if block is not None:
            if line.strip() == "```":
                yield caption, block
                block = None
                caption = ""
            else:
                block.append(unescape(line))
            continue
        if line.startswith("# "):
            inside = line.strip() == "# EXAMPLES"
            continue
        if not inside:
            continue
        if line.strip() == "```":
            block = []
            start = n
        elif line.strip():
            text = unescape(line.strip())
            caption = text if blank else caption + " " + text
        blank = not line.strip()
    if block is not None:
        print(f"{path}:{start}: example block is not closed", file=sys.stderr)
        sys.exit(65)


def kind(lines):
    code = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
    if any(SUDO.search(l.split("#")[0]) for l in code):
        return "kernel"
    # A Makefile: it starts with a rule or a "NAME = value" assignment (a
    # shell assignment has no blanks around "="), and has a rule and a
    # tab-indented recipe.
    if (code and (RULE.match(code[0]) or MAKEVAR.match(code[0]))
            and any(RULE.match(l) for l in code) and any(l.startswith("\t") for l in code)):
        return "make"
    return "shell"


def main(argv):
    maps, subs, rest = [], [], []
    args = iter(argv)
    for a in args:
        if a in ("--map", "--sub"):
            old, new = next(args, None), next(args, None)
            if new is None:
                print(f"usage: {a} FROM TO", file=sys.stderr)
                return 64
            (maps if a == "--map" else subs).append((old, new))
        else:
            rest.append(a)
    if len(rest) != 2:
        print("usage:" + __doc__.strip().split("\n")[2], file=sys.stderr)
        return 64
    outdir, page = rest
    os.makedirs(outdir, exist_ok=True)
    for n, (caption, lines) in enumerate(examples(page), 1):
        k = kind(lines)
        text = "\n".join(lines) + "\n"
        for old, new in maps:
            text = text.replace(old, new)
        for pattern, repl in subs:
            text = re.sub(pattern, repl, text)
        path = os.path.join(outdir, "%02d.%s" % (n, "mk" if k == "make" else "sh"))
        with open(path, "w") as f:
            f.write(text)
        print("%02d\t%s\t%s\t%s" % (n, k, path, caption))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
