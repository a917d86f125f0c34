import Foundation

/// How an input of OTLP JSON is laid out, for every signal's reader: one
/// document (pretty-printed over many lines, read whole, up to
/// ``maximumDocumentBytes``) or JSON Lines with one document per line, as the
/// Collector's file exporter writes them (read as a stream, one line at a time).
///
/// ```swift
/// try OTLPJSONInput(message: "TracesData").read(input, progress: progress, emit: emit) { bytes, line, isOneLine in
///     try OTLPDocument.read(bytes, file: input.displayName, firstLine: line, isOneLine: isOneLine, emit: emit)
/// }
/// ```
struct OTLPJSONInput {
    /// The largest single document read whole, in bytes, unless a reader says otherwise; bigger inputs must be JSON Lines.
    static let defaultMaximumDocumentBytes: Int64 = 64 << 20

    /// The document's message, for messages: `TracesData`, `LogsData`.
    var message: String
    /// The largest single (multi-line) document read whole, in bytes.
    var maximumDocumentBytes: Int64 = OTLPJSONInput.defaultMaximumDocumentBytes

    /// Reads `input`, calling `document` with each document's bytes, its first line and whether
    /// it is one line, and emitting an invalid item for a line too long to hold.
    func read(
        _ input: ImportInput, progress: (Int64) -> Void, emit: (ImportItem) throws -> Void,
        document: (_ bytes: [UInt8], _ firstLine: Int, _ isOneLine: Bool) throws -> Void
    ) throws {
        var lines = try input.lines()
        // How the input is laid out, once its first lines tell.
        var isJSONLines = false
        // The first non-blank line while it may begin a document over many lines (it is no whole value).
        var opening: (bytes: [UInt8], line: Int)?
        func settleAsJSONLines() throws {
            isJSONLines = true
            if let first = opening { try document(first.bytes, first.line, true) }
            opening = nil
        }
        while let line = try lines.next() {
            let number = lines.lineNumber
            if number % 1_024 == 0 { progress(lines.bytesRead) }
            switch line {
            case .tooLong(let length):
                try settleAsJSONLines()
                try emit(.invalid(
                    SourceLocation(file: input.displayName, line: number),
                    "the line is \(length) bytes long, more than the \(lines.maximumLineLength >> 20) MiB a \(message) line may take; write smaller batches"))
            case .text(let slice):
                if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                let bytes = Array(slice)
                if isJSONLines {
                    try document(bytes, number, true)
                } else if opening != nil {
                    // The first line goes on past its end: one document over many lines, unless this
                    // line is a whole value (then the first was a truncated line of JSON Lines).
                    guard Self.isCompleteValue(bytes) else { return try readWhole(input, progress: progress, document: document) }
                    try settleAsJSONLines()
                    try document(bytes, number, true)
                } else if Self.isIncompleteValue(bytes) {
                    opening = (bytes, number)
                } else {
                    try settleAsJSONLines()
                    try document(bytes, number, true)
                }
            }
        }
        if opening != nil { return try readWhole(input, progress: progress, document: document) }
        progress(lines.bytesRead)
    }

    /// Reads the input as one document, refusing one bigger than ``maximumDocumentBytes``.
    private func readWhole(
        _ input: ImportInput, progress: (Int64) -> Void, document: ([UInt8], Int, Bool) throws -> Void
    ) throws {
        let size = input.size
        guard size <= maximumDocumentBytes else {
            throw ImportError.unreadableInput(
                file: input.displayName,
                problem: "is a single OTLP JSON document of \(size >> 20) MiB, more than the \(maximumDocumentBytes >> 20) MiB read at once; write it as JSON Lines instead, one \(message) per line (as the Collector's file exporter does), which is read in constant memory")
        }
        let handle = try input.open()
        defer { try? handle.close() }
        var bytes: [UInt8]
        do {
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw ImportError.unreadableInput(
                file: input.displayName, problem: error.localizedDescription, cause: error)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try document(bytes, 1, false)
        progress(Int64(bytes.count))
    }

    /// Whether `bytes` hold one whole JSON value.
    private static func isCompleteValue(_ bytes: [UInt8]) -> Bool {
        (try? JSONText(bytes).root()) != nil
    }

    /// Whether `bytes` are the beginning of a JSON value that goes on past them (the first
    /// line of a pretty-printed document, or a truncated line).
    private static func isIncompleteValue(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try JSONText(bytes).root()
            return false
        } catch {
            return error.offset >= bytes.count
        }
    }
}
