#!/usr/bin/env python3
"""Prints each failed test of the given TRX files with the start of its message and stack trace.

scripts/test.sh calls it just before its summary line, so a reader (or a CI log that keeps only the tail)
sees which tests failed and why without opening the logs.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES, STACK_LINES = 20, 6

for path in sys.argv[1:]:
    project = path.rsplit("/", 1)[-1].removesuffix(".trx")
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print(f"FAILED: {project}: {result.get('testName')} [{result.get('duration')}]")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip().splitlines()
        stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS).strip().splitlines()
        for line in message[:MESSAGE_LINES]:
            print(f"    {line}")
        if len(message) > MESSAGE_LINES:
            print(f"    ... ({len(message) - MESSAGE_LINES} more lines in {path})")
        for line in stack[:STACK_LINES]:
            print(f"    {line.strip()}")
