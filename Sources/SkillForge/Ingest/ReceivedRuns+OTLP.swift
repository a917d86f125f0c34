extension ReceivedRuns {
    /// Decodes an OTLP/HTTP traces request in OTLP's JSON encoding (an
    /// `ExportTraceServiceRequest`, which is a `TracesData`), mapping spans
    /// exactly as `import --from otlp` does.
    ///
    /// Every span is an item, in document order: a tool or agent execution
    /// becomes a run (or a problem, when its ids, times or attributes are
    /// malformed), any other span is ignored. Unknown fields are ignored, so
    /// `{}` is a request without spans, and so is an empty body. A text that is not JSON, or not shaped
    /// as a `TracesData`, is ``unreadable`` and makes nothing.
    ///
    /// ```swift
    /// let received = ReceivedRuns(otlpTracesJSON: Array(body))
    /// // received.problems.count is the response's partialSuccess.rejectedSpans
    /// ```
    public init(otlpTracesJSON bytes: [UInt8]) {
        self.init()
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return }
        let text = JSONText(bytes)
        do {
            if bytes.contains(0) { throw ShapeError(offset: 0, problem: "the text holds binary data (NUL bytes), not JSON") }
            let root = try text.root()
            guard root.kind == .object else {
                throw ShapeError(offset: root.start, problem: "expected an ExportTraceServiceRequest object, found \(text.describe(root))")
            }
            addSpans(try OTLPDocument.spanList(in: text, root: root, refusingUnknownObjects: false) ?? [])
        } catch let error as ShapeError {
            unreadable = "not an OTLP JSON ExportTraceServiceRequest: \(error.problem)"
        } catch {
            unreadable = "not an OTLP JSON ExportTraceServiceRequest: \(error)"
        }
    }

    /// Adds the items of a request's spans, in order: runs, problems, ignored spans.
    mutating func addSpans(_ spans: [OTLPSpan]) {
        let tree = SpanTree(spans)
        for (index, span) in spans.enumerated() {
            switch span.item(in: tree, at: index) {
            case .ignored: ignoredCount += 1
            case .metric(let metric): add(metric, index: index, line: nil)
            case .invalid(let problem): problems.append(Problem(index: index, detail: problem))
            }
        }
    }
}
