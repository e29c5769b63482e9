#!/usr/bin/env python3
"""Prints every failed test of the TRX files given, with the first lines of its message and stack.

Used by scripts/test.sh just before its last line, so a CI log cut to its tail still names what failed
and why (the console logger prints a failure where it happened, often thousands of lines earlier).
Prints nothing when nothing failed. Exit code 0 whatever it finds: the caller counts the failures.
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
MESSAGE_LINES = 6
STACK_LINES = 4


def failures(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        yield (path, f"could not read this TRX file: {error}", "")
        return
    for result in root.iter(NS + "UnitTestResult"):
        if result.get("outcome") != "Failed":
            continue
        message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
        stack = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}StackTrace") or ""
        yield (result.get("testName", "?"), message, stack)


def main(paths):
    found = [f for path in paths for f in failures(path)]
    if not found:
        return 0
    print(f"=== {len(found)} failed test(s) ===")
    for name, message, stack in found:
        print(f"FAILED {name}")
        for line in message.strip().splitlines()[:MESSAGE_LINES]:
            print(f"    {line}")
        for line in stack.strip().splitlines()[:STACK_LINES]:
            print(f"    {line.strip()}")
    print("=== end of failed tests ===")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
