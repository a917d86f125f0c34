#!/usr/bin/env python3
"""Writes the Claude Code telemetry fixtures of this folder (see README.md).

Each event is written as Claude Code's monitoring reference documents it
(code.claude.com/docs/en/monitoring-usage): body "claude_code.<event>", the
standard attributes (session.id, user.id, terminal.type, ...), event.name,
event.timestamp, event.sequence, prompt.id and the event's own attributes,
in OTLP's JSON encoding (int64 as decimal strings, ids of no use here).
Run it from this folder: python3 make-fixtures.py
"""
import json
from datetime import datetime, timezone

T = 1_795_168_800_000  # 2026-11-20T10:00:00Z in Unix ms
S1 = "5f0c2c1e-8d7a-4c2b-9a51-3f6e2d1b7a90"
S2 = "9d3e4b70-1c55-4f0e-b7a2-6a8c0e9d4f13"
P1 = "a1b2c3d4-0001-4e5f-8a9b-0000000000a1"
P2 = "a1b2c3d4-0002-4e5f-8a9b-0000000000a2"
P3 = "b7c8d9e0-0003-4a1b-9c2d-0000000000b3"
sequence = 0


def s(key, value):
    return {"key": key, "value": {"stringValue": value}}


def i(key, value):
    return {"key": key, "value": {"intValue": str(value)}}


def d(key, value):
    return {"key": key, "value": {"doubleValue": value}}


def event(name, at_ms, session, prompt, attributes):
    global sequence
    sequence += 1
    stamp = datetime.fromtimestamp(at_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at_ms % 1000:03d}Z"
    standard = [
        s("user.id", "3b1f0c9a7e2d4c58b6a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9"),
        s("session.id", session),
        s("terminal.type", "vscode"),
        s("event.name", name),
        s("event.timestamp", stamp),
        i("event.sequence", sequence),
        s("prompt.id", prompt),
    ]
    return {
        "timeUnixNano": str(at_ms * 1_000_000),
        "observedTimeUnixNano": str((at_ms + 3) * 1_000_000),
        "body": {"stringValue": "claude_code." + name},
        "attributes": standard + attributes,
    }


def logs_data(records, service="claude-code"):
    resource = [s("service.name", service), s("service.version", "2.1.38"), s("os.type", "linux"), s("host.arch", "x64")]
    return {"resourceLogs": [{"resource": {"attributes": resource}, "scopeLogs": [
        {"scope": {"name": "com.anthropic.claude_code.events", "version": "2.1.38"}, "logRecords": records}]}]}


# Session 1, with OTEL_LOG_TOOL_DETAILS=1. Prompt 1 runs the skill pdf-report.
e1 = event("user_prompt", T, S1, P1, [i("prompt_length", 58), s("prompt", "<REDACTED>")])
e2 = event("api_request", T + 2_400, S1, P1, [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.00913), s("duration_ms", "2400"), i("input_tokens", 1210),
    i("output_tokens", 88), i("cache_read_tokens", 14002), i("cache_creation_tokens", 0), s("speed", "normal"),
    s("query_source", "repl_main_thread")])
e3 = event("tool_result", T + 2_650, S1, P1, [
    s("tool_name", "Skill"), s("tool_use_id", "toolu_01A8xPdfReport"), s("success", "true"), s("duration_ms", "180"),
    s("decision_type", "accept"), s("decision_source", "config"), i("tool_input_size_bytes", 26),
    i("tool_result_size_bytes", 31), s("tool_parameters", json.dumps({"skill_name": "pdf-report"})),
    s("tool_input", json.dumps({"skill": "pdf-report"}))])
e4 = event("skill_activated", T + 2_480, S1, P1, [
    s("skill.name", "pdf-report"), s("invocation_trigger", "claude-proactive"), s("skill.source", "projectSettings")])
e5 = event("api_request", T + 5_900, S1, P1, [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.03121), i("duration_ms", 3100), i("input_tokens", 1840),
    i("output_tokens", 612), i("cache_read_tokens", 15230), i("cache_creation_tokens", 2048), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "pdf-report")])
e6 = event("tool_result", T + 7_100, S1, P1, [
    s("tool_name", "Bash"), s("tool_use_id", "toolu_01B3BashPdftk"), s("success", "false"), s("duration_ms", "1150"),
    s("error_type", "ShellError"), s("decision_type", "accept"), s("decision_source", "user_temporary"),
    i("tool_input_size_bytes", 86), i("tool_result_size_bytes", 311),
    s("tool_parameters", json.dumps({"bash_command": "pdftk", "full_command": "pdftk report.pdf dump_data",
                                      "timeout": 120000, "description": "Read the PDF's metadata"}))])
e7 = event("api_request", T + 9_950, S1, P1, [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.02054), s("duration_ms", "2650"), i("input_tokens", 420),
    i("output_tokens", 980), i("cache_read_tokens", 17278), i("cache_creation_tokens", 0), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "pdf-report")])
e8 = event("tool_result", T + 11_200, S1, P1, [
    s("tool_name", "mcp__github__create_issue"), s("tool_use_id", "toolu_01C7GithubIssue"), s("success", "true"),
    s("duration_ms", "820"), s("decision_type", "accept"), s("decision_source", "config"), s("mcp_server_scope", "user"),
    i("tool_input_size_bytes", 412), i("tool_result_size_bytes", 1530),
    s("tool_parameters", json.dumps({"mcp_server_name": "github", "mcp_tool_name": "create_issue"}))])
e9 = event("api_request", T + 14_000, S1, P1, [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.01337), i("duration_ms", 1800), i("input_tokens", 2210),
    i("output_tokens", 340), i("cache_read_tokens", 18000), i("cache_creation_tokens", 512), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "pdf-report"), s("mcp_server.name", "github"),
    s("mcp_tool.name", "create_issue")])
# Prompt 2 runs the skill commit, which fails to load; a third-party plugin's skill is redacted.
e10 = event("tool_result", T + 60_035, S1, P2, [
    s("tool_name", "Skill"), s("tool_use_id", "toolu_01D2Commit"), s("success", "false"), s("duration_ms", "35"),
    s("error_type", "Error:ENOENT"),
    s("error", "ENOENT: no such file or directory, open '.claude/skills/commit/SKILL.md'"),
    s("decision_type", "accept"), s("decision_source", "config"),
    s("tool_parameters", json.dumps({"skill_name": "commit"}))])
e11 = event("api_request", T + 62_500, S1, P2, [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.00712), s("duration_ms", "2300"), i("input_tokens", 310),
    i("output_tokens", 95), i("cache_read_tokens", 20100), i("cache_creation_tokens", 0), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "commit")])
e12 = event("api_request", T + 65_000, S1, P2, [
    s("model", "claude-haiku-4-5"), d("cost_usd", 0.00101), s("duration_ms", "900"), i("input_tokens", 800),
    i("output_tokens", 40), i("cache_read_tokens", 0), i("cache_creation_tokens", 0), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "third-party"), s("plugin.name", "third-party")])
e13 = event("skill_activated", T + 64_100, S1, P2, [
    s("skill.name", "custom_skill"), s("invocation_trigger", "user-slash"), s("skill.source", "plugin")])
# Session 2, without OTEL_LOG_TOOL_DETAILS: the Skill call and the MCP tool come without names.
e20 = event("tool_result", T + 120_100, S2, P3, [
    s("tool_name", "Skill"), s("tool_use_id", "toolu_02E4Review"), s("success", "true"), s("duration_ms", "90"),
    s("decision_type", "accept"), s("decision_source", "config")])
e21 = event("skill_activated", T + 120_020, S2, P3, [
    s("skill.name", "custom_skill"), s("invocation_trigger", "claude-proactive"), s("skill.source", "userSettings")])
e22 = event("api_request", T + 124_000, S2, P3, [
    s("model", "claude-opus-4-1"), d("cost_usd", 0.04203), s("duration_ms", "3500"), i("input_tokens", 5120),
    i("output_tokens", 777), i("cache_read_tokens", 0), i("cache_creation_tokens", 4096), s("speed", "normal"),
    s("query_source", "repl_main_thread"), s("skill.name", "review")])
e23 = event("tool_result", T + 125_000, S2, P3, [
    s("tool_name", "mcp_tool"), s("tool_use_id", "toolu_02F5Linear"), s("success", "true"), s("duration_ms", "400"),
    s("decision_type", "accept"), s("decision_source", "config"), s("mcp_server_scope", "project")])

lines = [
    logs_data([e1, e2, e4, e5]),
    # Late: the end of prompt 1 is exported before its Skill call, with prompt 2.
    logs_data([e9, e10, e11]),
    logs_data([e3, e6, e7, e8, e12, e13]),
    logs_data([e20, e21, e22, e23]),
    # The exporter sends the second batch again (a retry after a timeout).
    logs_data([e9, e10, e11]),
    # A metrics export in the same file: not logs.
    {"resourceMetrics": [{"resource": {"attributes": [s("service.name", "claude-code")]}, "scopeMetrics": []}]},
]
with open("claude-code-telemetry.jsonl", "w") as out:
    for line in lines:
        out.write(json.dumps(line, separators=(",", ":")) + "\n")

# One OTLP/HTTP request body (http/json), pretty-printed: an event with a malformed
# duration, another service's log record, and an MCP call logged with its names.
bad = event("api_request", T + 200_000, S1, "c0000000-0004-4000-8000-0000000000c4", [
    s("model", "claude-sonnet-4-5"), d("cost_usd", 0.002), s("duration_ms", "fast"), i("input_tokens", 10),
    i("output_tokens", 5), s("skill.name", "pdf-report")])
mcp = event("tool_result", T + 201_000, S1, "c0000000-0004-4000-8000-0000000000c4", [
    s("tool_name", "mcp_tool"), s("tool_use_id", "toolu_03G6Linear"), s("success", "false"), s("duration_ms", "1250"),
    s("error_type", "McpError"), i("tool_input_size_bytes", 40),
    s("tool_parameters", json.dumps({"mcp_server_name": "linear", "mcp_tool_name": "list_issues"}))])
other = {"timeUnixNano": str((T + 201_500) * 1_000_000), "severityNumber": 9, "severityText": "INFO",
         "body": {"stringValue": "GET /healthz 200"}, "attributes": [s("http.route", "/healthz")]}
request = logs_data([bad, mcp])
request["resourceLogs"].append({"resource": {"attributes": [s("service.name", "checkout-api")]},
                                "scopeLogs": [{"logRecords": [other]}]})
with open("claude-code-request.json", "w") as out:
    json.dump(request, out, indent=2)
    out.write("\n")
