#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Turn a tool's manual in docs/tools/TOOL.md into a man(7) page TOOL.1.gz (section 1).

Usage: md2man.py TOOL.md OUT.1.gz VERSION [COMMON.md]

Handles the Markdown the manuals use: '# TOOL — summary' (NAME), '##'/'###' headings (.SH/.SS),
paragraphs, fenced code blocks (.nf), '-'/'*'/'1.' lists, pipe tables (one .TP entry per row:
the first cell is the tag, the others its text), `code`, **bold**, *italic* and [links](...).
The usage blocks (fenced blocks whose first line starts with the tool's name) also form the
SYNOPSIS. COMMON.md (docs/tools/README.md) adds its '(every tool)' sections. The output is
gzip'ed with no name and no time stamp, so it is reproducible.
"""
import gzip
import re
import sys

GLYPHS = {
    "\u2014": r"\(em", "\u2013": r"\(en", "\u2212": r"\-", "\u00d7": r"\(mu",
    "\u2265": r"\(>=", "\u2264": r"\(<=", "\u2192": r"\(->", "\u2190": r"\(<-",
    "\u00a7": r"\(sc", "\u2026": "...", "\u2018": r"\(oq", "\u2019": r"\(cq",
    "\u201c": r"\(lq", "\u201d": r"\(rq", "\u2260": r"\(!=", "\u00b1": r"\(+-",
    "\u2248": r"\(~~", "\u2208": r"\(mo", "\u00b7": r"\(pc", "\u2022": r"\(bu", "\u2016": "||",
}


def esc_text(s, code=False):
    """Escape plain text for roff (not at line start)."""
    s = s.replace("\\", r"\e")
    if code:
        s = s.replace("-", r"\-")
    out = []
    for ch in s:
        if ch in GLYPHS:
            out.append(GLYPHS[ch])
        elif ord(ch) > 127:
            out.append(r"\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)]+)\)|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")


def inline(s):
    """Markdown inline markup -> roff fonts."""
    out = []
    pos = 0
    for m in INLINE.finditer(s):
        out.append(esc_text(s[pos:m.start()]))
        if m.group(1) is not None:
            # \: lets a long code span break after a comma
            out.append(r"\fB" + esc_text(m.group(1), code=True).replace(",", r",\:") + r"\fR")
        elif m.group(2) is not None:
            out.append(r"\fB" + inline(m.group(2)) + r"\fR")
        elif m.group(3) is not None:
            text, url = m.group(3), m.group(4)
            if url.startswith("README.md#"):
                # docs/tools/README.md's sections are appended to every page
                out.append(r"\fBFILES AND OUTPUT (EVERY TOOL)\fR below")
                pos = m.end()
                continue
            out.append(inline(text))
            if url.startswith("http"):
                out.append(" <" + esc_text(url) + ">")
        else:
            out.append(r"\fI" + inline(m.group(5)) + r"\fR")
        pos = m.end()
    out.append(esc_text(s[pos:]))
    return "".join(out)


def line_safe(s):
    """A roff text line must not start with a control character or be blank-led."""
    s = s.strip()
    if s.startswith((".", "'")):
        return r"\&" + s
    return s


def split_row(line):
    cells = line.strip().strip("|").split("|")
    return [c.strip() for c in cells]


def blocks(lines):
    """Yield (kind, payload) blocks: heading, code, table, list item, paragraph."""
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("```"):
            j = i + 1
            body = []
            while j < n and not lines[j].startswith("```"):
                body.append(lines[j])
                j += 1
            yield ("code", body)
            i = j + 1
            continue
        m = re.match(r"^(#{1,3}) (.*)$", line)
        if m:
            yield ("h%d" % len(m.group(1)), m.group(2).strip())
            i += 1
            continue
        if line.startswith("    "):
            body = []
            while i < n and (lines[i].startswith("    ") or not lines[i].strip()):
                body.append(lines[i][4:])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            yield ("code", body)
            continue
        if line.startswith("|"):
            rows = []
            while i < n and lines[i].startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            yield ("table", rows)
            continue
        m = re.match(r"^([-*]|\d+\.) (.*)$", line)
        if m:
            text = [m.group(2)]
            i += 1
            while i < n and lines[i].strip() and not lines[i].startswith(("|", "```", "#")) and \
                    not re.match(r"^\s*([-*]|\d+\.) ", lines[i]):
                text.append(lines[i].strip())
                i += 1
            yield ("item", (m.group(1), " ".join(text)))
            continue
        text = []
        while i < n and lines[i].strip() and not lines[i].startswith(("|", "```", "#")) and \
                not re.match(r"^([-*]|\d+\.) ", lines[i]):
            text.append(lines[i].strip())
            i += 1
        yield ("para", " ".join(text))


def emit_code(out, body):
    out.append(".PP")
    out.append(".RS 4")
    out.append(".nf")
    for b in body:
        out.append(line_safe(esc_text(b.rstrip(), code=True)) if b.strip() else "")
    out.append(".fi")
    out.append(".RE")


def emit(out, kind, payload, state):
    if kind == "h2":
        out.append(".SH " + inline(payload.upper()))
    elif kind == "h3":
        out.append(".SS " + inline(payload))
    elif kind == "code":
        emit_code(out, payload)
    elif kind == "table":
        head, rows = payload[0], payload[2:]
        for r in rows:
            out.append(".TP")
            out.append(line_safe(inline(r[0])))
            rest = [inline(r[1])] if len(r) > 1 and r[1] else []
            for h, c in zip(head[2:], r[2:]):
                if c:
                    rest.append(inline(h.capitalize()) + ": " + inline(c))
            out.append(line_safe(". ".join(rest) if rest else r"\&"))
    elif kind == "item":
        mark, text = payload
        if mark in ("-", "*"):
            out.append(r".IP \(bu 2")
        else:
            out.append(".IP %s 4" % mark)
        out.append(line_safe(inline(text)))
    elif kind == "para":
        out.append(".PP")
        out.append(line_safe(inline(payload)))
    state["last"] = kind


def main():
    src, dst, version = sys.argv[1:4]
    common = sys.argv[4] if len(sys.argv) > 4 else None
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    m = re.match(r"^# (\S+) \u2014 (.*)$", lines[0])
    if not m:
        sys.exit("md2man: %s: first line is not '# TOOL \u2014 summary'" % src)
    tool, summary = m.group(1), m.group(2)
    body = list(blocks(lines[1:]))
    out = [
        ".\\\" Generated by scripts/md2man.py from %s; do not edit." % src.split("/docs/")[-1],
        '.TH %s 1 "" "td-shim in C %s" "User Commands"' % (tool.upper(), version),
        ".ad l",  # ragged right: long code spans and hex strings cannot be justified
        ".nh",  # and option names are never hyphenated
        ".SH NAME",
        r"%s \- %s" % (esc_text(tool, code=True), inline(summary)),
    ]
    has_synopsis = any(k == "h2" and p.lower() == "synopsis" for k, p in body)
    if not has_synopsis:
        usage = [p for k, p in body if k == "code" and p and p[0].startswith(tool + " ")]
        out.append(".SH SYNOPSIS")
        out.append(".nf")
        for u in usage:
            for b in u:
                out.append(line_safe(esc_text(b.rstrip(), code=True)))
        out.append(".fi")
        # a usage block that opens the page is the synopsis itself
        if body and body[0][0] == "code" and body[0][1] and body[0][1][0].startswith(tool + " "):
            body = body[1:]
    state = {"last": None}
    out.append(".SH DESCRIPTION")
    for k, p in body:
        emit(out, k, p, state)
    if common:
        with open(common, encoding="utf-8") as f:
            clines = f.read().splitlines()
        keep = False
        sect = []
        for ln in clines:
            if ln.startswith("## "):
                keep = "(every tool)" in ln
            if keep:
                sect.append(ln)
        for k, p in blocks(sect):
            emit(out, k, p, state)
    others = ["tdshim-image", "tdshim-measure", "tdshim-hob", "tdshim-eventlog", "tdshim-sign",
              "tdshim-enroll"]
    out.append(".SH SEE ALSO")
    out.append(",\n".join(r"\fB%s\fR(1)" % esc_text(o, code=True) for o in others if o != tool))
    text = "\n".join(out) + "\n"
    with open(dst, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
