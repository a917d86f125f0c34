"""An independent MCP client for `skill-forge mcp`: Python's `mcp` package.

Usage: python3 mcp_client.py SKILL_FORGE_BINARY DATABASE

Starts `SKILL_FORGE_BINARY mcp --db DATABASE` over stdio, lists the tools,
checks each input schema with jsonschema, calls every tool and checks the
answers against numbers numpy works out from the runs this script records.
Then speaks raw JSON-RPC to a second server process and checks that every line
it writes to stdout is a JSON-RPC message. Prints "checks passed: N" and
exits 0, or exits 1 at the first failed check.
"""

import json
import subprocess
import sys

import anyio
import jsonschema
import numpy
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

try:  # mcp 2.x
    from mcp import MCPError
except ImportError:  # mcp 1.x
    from mcp.shared.exceptions import McpError as MCPError

TOOLS = ["list_skills", "skill_summary", "compare_versions", "optimization_candidates", "record_run"]
passed = 0


def check(condition, what):
    global passed
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    passed += 1


def field(model, snake, camel):
    """A field of an mcp result, named in snake_case (mcp 2.x) or camelCase (1.x)."""
    return getattr(model, snake) if hasattr(model, snake) else getattr(model, camel)


def text(result):
    content = result.content
    check(len(content) == 1 and content[0].type == "text", f"one text content, got {content}")
    return content[0].text


async def call(session, tool, arguments, schemas):
    """Calls a tool with arguments its schema accepts; returns the decoded JSON answer."""
    jsonschema.validate(arguments, schemas[tool])
    result = await session.call_tool(tool, arguments)
    answer = text(result)
    check(not field(result, "is_error", "isError"), f"{tool} {arguments} succeeded: {answer}")
    return json.loads(answer)


async def refusal(session, tool, arguments):
    """Calls a tool that must answer isError; returns its message."""
    result = await session.call_tool(tool, arguments)
    message = text(result)
    check(field(result, "is_error", "isError") is True, f"{tool} {arguments} is refused, answered {message}")
    return message


async def session_checks(binary, database):
    parameters = StdioServerParameters(command=binary, args=["mcp", "--db", database])
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            check(field(initialized, "server_info", "serverInfo").name == "skill-forge", "the server's name")

            listed = await session.list_tools()
            tools = {tool.name: tool for tool in listed.tools}
            check(sorted(tools) == sorted(TOOLS), f"the five tools, got {sorted(tools)}")
            schemas = {}
            for name, tool in tools.items():
                schema = field(tool, "input_schema", "inputSchema")
                jsonschema.Draft202012Validator.check_schema(schema)
                check(schema["type"] == "object" and "properties" in schema, f"{name} has an object input schema")
                check(bool(tool.description), f"{name} has a description")
                schemas[name] = schema
            check(schemas["record_run"]["required"] == ["skill_id", "execution_ms", "success"],
                  "record_run's required arguments")
            check(schemas["skill_summary"]["required"] == ["skill"], "skill_summary's required argument")

            check(await call(session, "list_skills", {}, schemas) == [], "no skills in a new database")

            # Seven runs of one skill: version 1.0 (one failed) and version 2.0.
            runs = [("1.0", 100, 10, True), ("1.0", 200, 20, True), ("1.0", 300, 30, True), ("1.0", 400, 40, False),
                    ("2.0", 50, 10, True), ("2.0", 60, 20, True), ("2.0", 70, 30, True)]
            ids = []
            for version, ms, tokens, success in runs:
                stored = await call(session, "record_run", {
                    "skill_id": "summarise", "version": version, "execution_ms": ms, "tokens_in": tokens,
                    "tokens_out": tokens // 10, "success": success, "model": "claude-sonnet-4-5"}, schemas)
                check(stored["skillId"] == "summarise" and stored["executionMs"] == ms and stored["source"] == "mcp",
                      f"record_run answers the stored row, got {stored}")
                ids.append(stored["id"])
            check(ids == list(range(1, 8)), f"rows 1 to 7 stored, got {ids}")
            timed = await call(session, "record_run", {
                "skill_id": "lint", "execution_ms": 90, "tokens_in": 0, "tokens_out": 0, "success": True,
                "timestamp": "2026-11-20T10:00:00Z", "run_id": "lint-1"}, schemas)
            check(timed["timestamp"] == 1795168800000, f"an ISO timestamp stored as Unix ms, got {timed['timestamp']}")

            skills = {skill["skillId"]: skill for skill in await call(session, "list_skills", {}, schemas)}
            check(sorted(skills) == ["lint", "summarise"], f"two skills listed, got {sorted(skills)}")
            check(skills["summarise"]["runs"] == 7 and skills["summarise"]["failures"] == 1, "summarise: 7 runs, 1 failure")

            times = [ms for version, ms, _, _ in runs if version == "1.0"]
            summary = await call(session, "skill_summary", {"skill": "summarise", "version": "1.0"}, schemas)
            check(summary["runs"] == 4 and summary["failureRate"] == 0.25, f"4 runs, a quarter failed: {summary}")
            for percentile in (50, 90, 95, 99):
                expected = numpy.percentile(times, percentile)
                check(abs(summary["executionMs"][f"p{percentile}"] - expected) < 1e-9, f"p{percentile} is numpy's {expected}")
            check(summary["executionMs"]["mean"] == numpy.mean(times), "the mean time")

            comparison = await call(session, "compare_versions",
                                    {"skill": "summarise", "baseline": "1.0", "candidate": "2.0", "min_runs": 3}, schemas)
            check(comparison["baseline"]["runs"] == 4 and comparison["candidate"]["runs"] == 3, "4 runs against 3")
            check(comparison["latency"]["p50"]["candidate"] == numpy.percentile([50, 60, 70], 50), "the candidate's p50")
            check(comparison["verdict"] in ("better", "worse", "no significant difference", "not enough data"), "a verdict")

            # lint's one run (2026-11-20) is older than the last 7 days; summarise's seven ran just now.
            candidates = await call(session, "optimization_candidates", {"all": True, "min_runs": 1}, schemas)
            check([c["skillId"] for c in candidates] == ["summarise"], f"the skills run in the last 7 days, got {candidates}")
            check(candidates[0]["summary"]["runs"] == 7, "all seven runs judged")

            # Bad arguments: the schema refuses them, and so does the server, naming the argument and the value.
            bad_run = {"skill_id": "summarise", "execution_ms": 10, "tokens_in": -5, "tokens_out": 0, "success": True}
            check(not jsonschema.Draft202012Validator(schemas["record_run"]).is_valid(bad_run), "the schema refuses tokens_in -5")
            message = await refusal(session, "record_run", bad_run)
            check(message == "invalid tokens_in -5: must be zero or more", f"negative tokens refused: {message}")
            message = await refusal(session, "record_run", {"skill_id": "summarise", "execution_ms": 10, "tokens_out": 0, "success": True})
            check(message == "missing tokens_in", f"a missing field refused: {message}")
            message = await refusal(session, "skill_summary", {"skill": "summarise", "since": "yesterday"})
            check(message.startswith('invalid since "yesterday"'), f"bad time text refused: {message}")
            message = await refusal(session, "skill_summary", {"skill": "sumarise"})
            check(message == 'no runs of "sumarise" at all; the recorded skills: lint, summarise', f"unknown skill: {message}")
            message = await refusal(session, "skill_summary", {"skill": 7})
            check(message == "invalid skill 7: should be text", f"a number for a text: {message}")
            try:
                await session.call_tool("drop_tables", {})
                check(False, "an unknown tool is an error")
            except MCPError as error:
                check("unknown tool" in str(error), f"an unknown tool is a JSON-RPC error: {error}")

            after = await call(session, "skill_summary", {"skill": "summarise"}, schemas)
            check(after["runs"] == 7, "refused calls stored nothing")


def raw_stdout_checks(binary, database):
    """Every line the server writes to stdout is a JSON-RPC message; when stdin closes, it answers
    the requests it has read, then exits."""
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "list_skills", "arguments": {}}},
    ]
    process = subprocess.Popen([binary, "mcp", "--db", database], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    # Every request at once, then stdin closed: the server answers them all before it ends.
    lines, errors = process.communicate("".join(json.dumps(request) + "\n" for request in requests), timeout=30)
    check(process.returncode == 0, f"the server exits 0 when stdin closes, got {process.returncode}: {errors}")
    lines = [line for line in lines.splitlines() if line.strip()]
    messages = [json.loads(line) for line in lines]
    check(all(message.get("jsonrpc") == "2.0" for message in messages), f"stdout holds JSON-RPC only: {lines}")
    check(sorted(message.get("id") for message in messages) == [1, 2, 3], f"one answer per request: {lines}")
    check("skill-forge MCP server on stdio" in errors, f"the log is on stderr: {errors}")


def main():
    binary, database = sys.argv[1], sys.argv[2]
    anyio.run(session_checks, binary, database)
    raw_stdout_checks(binary, database)
    print(f"checks passed: {passed}")


if __name__ == "__main__":
    main()
