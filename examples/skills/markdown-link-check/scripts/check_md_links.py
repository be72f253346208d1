#!/usr/bin/env python3
"""Check relative links and heading anchors in Markdown files (offline)."""

import argparse
import fnmatch
import os
import re
import sys
from urllib.parse import unquote

INLINE = re.compile(r"!?\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
CUSTOM_ID = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$")
HTML_ID = re.compile(r"\bid=[\"']([^\"']+)[\"']")
FENCE = re.compile(r"^\s*(```|~~~)")


def slugify(text):
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors_of(path, cache):
    if path in cache:
        return cache[path]
    found, seen = set(), {}
    in_fence = False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            found.update(HTML_ID.findall(line))
            m = HEADING.match(line)
            if not m:
                continue
            title = m.group(2)
            custom = CUSTOM_ID.search(title)
            if custom:
                found.add(custom.group(1))
                title = CUSTOM_ID.sub("", title)
            slug = slugify(title)
            if slug in seen:
                seen[slug] += 1
                found.add(f"{slug}-{seen[slug]}")
            else:
                seen[slug] = 0
                found.add(slug)
    cache[path] = found
    return found


def links_of(path):
    in_fence = False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            for target in INLINE.findall(line):
                yield number, target
            m = REFDEF.match(line)
            if m:
                yield number, m.group(1)


def collect(paths, ignores):
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                full = os.path.join(dirpath, name)
                if not name.lower().endswith((".md", ".markdown")):
                    continue
                if any(fnmatch.fnmatch(full, g) for g in ignores):
                    continue
                yield full


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", help="Markdown files or folders")
    parser.add_argument("--ignore", action="append", default=[], help="glob to skip")
    parser.add_argument("--list-external", action="store_true",
                        help="print external URLs (they are not fetched)")
    args = parser.parse_args()

    site_root = args.paths[0] if os.path.isdir(args.paths[0]) else os.path.dirname(args.paths[0])
    cache, problems, files, internal, external = {}, 0, 0, 0, 0
    for md in collect(args.paths, args.ignore):
        files += 1
        for line, target in links_of(md):
            target = target.strip("<>")
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                external += 1
                if args.list_external:
                    print(f"{md}:{line}: external {target}")
                continue
            internal += 1
            file_part, _, anchor = target.partition("#")
            file_part = unquote(file_part.split("?")[0])
            if not file_part:
                dest = md
            elif file_part.startswith("/"):
                dest = os.path.normpath(os.path.join(site_root, file_part.lstrip("/")))
            else:
                dest = os.path.normpath(os.path.join(os.path.dirname(md), file_part))
            if not os.path.exists(dest):
                print(f"{md}:{line}: missing file: {file_part}")
                problems += 1
                continue
            if anchor and dest.lower().endswith((".md", ".markdown")):
                if unquote(anchor) not in anchors_of(dest, cache):
                    print(f"{md}:{line}: missing anchor '#{anchor}' in {dest}")
                    problems += 1
    print(f"{problems} problems in {files} files "
          f"({internal} internal links, {external} external not checked)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
