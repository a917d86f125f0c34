extension ReceivedRuns {
    /// Decodes an OTLP/HTTP traces request in OTLP's binary protobuf encoding
    /// (`application/x-protobuf`: an `ExportTraceServiceRequest`), mapping spans
    /// exactly as ``init(otlpTracesJSON:)`` and `import --from otlp` do.
    ///
    /// Every span is an item, in document order: a tool or agent execution
    /// becomes a run (or a problem, when its ids, times or attributes are
    /// malformed), any other span is ignored. Ids are written as lowercase hex;
    /// an id of the wrong length is a problem of its span. Problems carry no
    /// line. A body that is not an `ExportTraceServiceRequest` is ``unreadable``
    /// and makes nothing; an empty body is a request with no spans.
    ///
    /// ```swift
    /// let received = ReceivedRuns(otlpTracesProtobuf: Array(body))
    /// let response = OTLPExportResponse(signal: .traces, rejected: received.problems.count)
    /// ```
    public init(otlpTracesProtobuf bytes: [UInt8]) {
        self.init()
        do {
            addSpans(try OTLPProtobuf.spans(inTracesRequest: bytes))
        } catch {
            unreadable = error.description
        }
    }
}
