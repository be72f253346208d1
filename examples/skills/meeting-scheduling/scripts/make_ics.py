#!/usr/bin/env python3
"""Write a single-event iCalendar (.ics) file from command-line options."""

import argparse
import sys
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def escape(text):
    return (text.replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\n", "\\n"))


def fold(line):
    """Fold lines longer than 75 octets as required by RFC 5545."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        enc = ch.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(enc) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += enc
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc_stamp(moment):
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--title", required=True)
    parser.add_argument("--start", required=True, help="local start, e.g. 2024-04-09T14:00")
    parser.add_argument("--tz", required=True, help="IANA time zone, e.g. Europe/Berlin")
    parser.add_argument("--duration", type=int, default=30, help="minutes")
    parser.add_argument("--location", default="")
    parser.add_argument("--description", default="")
    parser.add_argument("--rrule", help="recurrence rule, e.g. FREQ=WEEKLY;COUNT=6")
    parser.add_argument("--output", help="file to write (default stdout)")
    args = parser.parse_args()

    try:
        zone = ZoneInfo(args.tz)
    except ZoneInfoNotFoundError:
        print(f"unknown time zone: {args.tz}", file=sys.stderr)
        return 2
    try:
        start = datetime.fromisoformat(args.start).replace(tzinfo=zone)
    except ValueError:
        print(f"cannot parse --start {args.start!r}", file=sys.stderr)
        return 2
    if args.rrule and not args.rrule.startswith("FREQ="):
        print("--rrule must start with FREQ=", file=sys.stderr)
        return 2
    end = start + timedelta(minutes=args.duration)

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//skillbank//make_ics//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid4()}@skillbank.invalid",
        f"DTSTAMP:{utc_stamp(datetime.now(timezone.utc))}",
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(end)}",
        f"SUMMARY:{escape(args.title)}",
    ]
    if args.location:
        lines.append(f"LOCATION:{escape(args.location)}")
    if args.description:
        lines.append(f"DESCRIPTION:{escape(args.description)}")
    if args.rrule:
        lines.append(f"RRULE:{args.rrule}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    text = "\r\n".join(fold(line) for line in lines) + "\r\n"

    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        print(f"wrote {args.output}: {start.isoformat()} to {end.isoformat()} ({args.tz})")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
