#!/usr/bin/env bash
# bench-otlp.sh: the collector's OTLP traces ingest, protobuf against JSON, on the same spans.
#
# Python's opentelemetry-proto (the independent encoder) writes REQUESTS requests of SPANS
# tool spans each, as an OpenTelemetry SDK would send them: once as `application/x-protobuf`,
# once as OTLP JSON. Two release servers, one per encoding, get the requests in turn (first
# into an empty database, then ROUNDS times again, when every span is already stored, so
# that the time is the decoding and the duplicate check), timed with curl. Prints the median
# time per request of each encoding and their ratio: protobuf / JSON (below 1: protobuf faster).
#
#   scripts/bench-otlp.sh
#   SPANS=5000 REQUESTS=20 ROUNDS=10 scripts/bench-otlp.sh
set -euo pipefail
SPANS=${SPANS:-2000}
REQUESTS=${REQUESTS:-10}
ROUNDS=${ROUNDS:-5}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK=$(mktemp -d)
servers=()
trap 'for s in "${servers[@]}"; do kill "$s" 2>/dev/null; done; rm -rf "$WORK"' EXIT
python3 -c "import opentelemetry.proto" 2>/dev/null || { echo "needs: pip install opentelemetry-proto" >&2; exit 1; }

(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"

python3 - "$SPANS" "$REQUESTS" "$WORK" <<'PY'
import json, os, random, sys
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

spans, requests, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(7)

def proto_value(value):
    if isinstance(value, int):
        return AnyValue(int_value=value)
    return AnyValue(string_value=value)

def json_value(value):
    # OTLP JSON: 64-bit integers as strings.
    return {"intValue": str(value)} if isinstance(value, int) else {"stringValue": value}

resource = [("service.name", "agent"), ("service.version", "1.4.2"), ("host.name", "build-7")]
for r in range(requests):
    request, json_spans = ExportTraceServiceRequest(), []
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend(KeyValue(key=k, value=proto_value(v)) for k, v in resource)
    scope = resource_spans.scope_spans.add()
    scope.scope.name = "pydantic-ai"
    for i in range(spans):
        trace, span_id, parent = os.urandom(16), os.urandom(8), os.urandom(8)
        start = 1795132800000000000 + (r * spans + i) * 1000000000
        end = start + rnd.randint(5, 5000) * 1000000
        # The mapped attributes and some that every SDK adds and the mapping skips.
        attributes = [
            ("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", f"tool-{i % 40}"),
            ("gen_ai.usage.input_tokens", rnd.randint(10, 9000)), ("gen_ai.usage.output_tokens", rnd.randint(1, 2000)),
            ("gen_ai.request.model", "claude-sonnet-4"), ("gen_ai.tool.call.id", f"call_{r}_{i}"),
            ("logfire.msg", f"running tool: tool-{i % 40}"), ("code.filepath", "agent/tools.py"), ("code.lineno", 120 + i % 50)]
        span = scope.spans.add(
            trace_id=trace, span_id=span_id, parent_span_id=parent, name=f"running tool tool-{i % 40}",
            kind=Span.SPAN_KIND_INTERNAL, start_time_unix_nano=start, end_time_unix_nano=end)
        span.attributes.extend(KeyValue(key=k, value=proto_value(v)) for k, v in attributes)
        json_span = {
            "traceId": trace.hex(), "spanId": span_id.hex(), "parentSpanId": parent.hex(), "name": span.name, "kind": 1,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(end),
            "attributes": [{"key": k, "value": json_value(v)} for k, v in attributes]}
        if i % 17 == 0:
            span.status.code = Status.STATUS_CODE_ERROR
            span.status.message = "tool failed"
            json_span["status"] = {"code": 2, "message": "tool failed"}
        json_spans.append(json_span)
    with open(f"{out}/{r}.pb", "wb") as file:
        file.write(request.SerializeToString())
    document = {"resourceSpans": [{
        "resource": {"attributes": [{"key": k, "value": json_value(v)} for k, v in resource]},
        "scopeSpans": [{"scope": {"name": "pydantic-ai"}, "spans": json_spans}]}]}
    with open(f"{out}/{r}.json", "w") as file:
        json.dump(document, file, separators=(",", ":"))
PY

start_server() {
    "$SF" serve --db "$WORK/$1.db" --port 0 >"$WORK/$1.out" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 100); do grep -q "collector on" "$WORK/$1.out" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\),.*/\1/p' "$WORK/$1.out"
}
json_url=$(start_server json)
protobuf_url=$(start_server protobuf)

# One request, timed; `Expect:` keeps curl from waiting a second before bodies over 1 MiB.
post() {
    curl -sf -o /dev/null -H 'Expect:' -H "Content-Type: $2" --data-binary "@$3" -w '%{time_total}\n' "$1/v1/traces"
}
for round in $(seq 0 "$ROUNDS"); do
    for r in $(seq 0 $((REQUESTS - 1))); do
        echo "$round json $(post "$json_url" application/json "$WORK/$r.json")"
        echo "$round protobuf $(post "$protobuf_url" application/x-protobuf "$WORK/$r.pb")"
    done
done >"$WORK/times.txt"

stored_json=$(sqlite3 "$WORK/json.db" "SELECT COUNT(*) FROM skill_metrics")
stored_protobuf=$(sqlite3 "$WORK/protobuf.db" "SELECT COUNT(*) FROM skill_metrics")
python3 - "$WORK/times.txt" "$SPANS" "$stored_json" "$stored_protobuf" "$(du -b "$WORK/0.json" | cut -f1)" "$(du -b "$WORK/0.pb" | cut -f1)" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
spans = int(sys.argv[2])
def median(encoding, first):
    return statistics.median(float(t) for r, e, t in rows if e == encoding and (r == "0") == first)
print(f"{spans:,} spans a request; rows stored: JSON {int(sys.argv[3]):,}, protobuf {int(sys.argv[4]):,};"
      f" a request is {int(sys.argv[5]) / 1e6:.2f} MB as JSON, {int(sys.argv[6]) / 1e6:.2f} MB as protobuf")
print("| requests | JSON | protobuf | protobuf / JSON |")
print("|---|---:|---:|---:|")
for label, first in (("first (every span stored)", True), ("sent again (every span already stored)", False)):
    j, p = median("json", first), median("protobuf", first)
    print(f"| {label} | {j * 1e3:.1f} ms | {p * 1e3:.1f} ms | {p / j:.2f} |")
PY
