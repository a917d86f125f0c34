extension ReceivedRuns {
    /// Decodes an OTLP/HTTP traces request in OTLP's JSON encoding (an
    /// `ExportTraceServiceRequest`, which is a `TracesData`), mapping spans
    /// exactly as `import --from otlp` does.
    ///
    /// Every span is an item, in document order: a tool or agent execution
    /// becomes a run (or a problem, when its ids, times or attributes are
    /// malformed), any other span is ignored. A text that is not a `TracesData`
    /// object is one problem at index 0.
    ///
    /// ```swift
    /// let received = ReceivedRuns(otlpTracesJSON: Array(body))
    /// // received.problems.count is the response's partialSuccess.rejectedSpans
    /// ```
    public init(otlpTracesJSON bytes: [UInt8]) {
        self.init()
        var index = 0
        try? OTLPDocument.read(bytes, file: "request", firstLine: 1, isOneLine: false) { item in
            defer { index += 1 }
            switch item {
            case .metric(let metric, let location):
                add(metric, index: index, line: location.line)
            case .invalid(let location, let problem), .skipped(let location, let problem):
                problems.append(Problem(index: index, line: location.line, detail: problem))
            case .ignored, .redacted:
                ignoredCount += 1
            case .contribution, .unrecognizedInput:
                break
            }
        }
    }
}
