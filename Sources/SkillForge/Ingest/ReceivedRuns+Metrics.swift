extension ReceivedRuns {
    /// Decodes one metric object, or an array of them, in the fields of
    /// `import --from jsonl` (the seed's camelCase or the table's snake_case names).
    ///
    /// ```swift
    /// let one = ReceivedRuns(metricsJSON: Array(#"{"skill_id":"lint","execution_ms":90,"tokens_in":0,"tokens_out":0,"success":1}"#.utf8))
    /// ```
    ///
    /// A text that is not JSON, or neither an object nor an array, is one problem at index 0.
    public init(metricsJSON bytes: [UInt8]) {
        self.init()
        let text = JSONText(bytes)
        let root: JSONText.Value
        do {
            root = try text.root()
        } catch {
            refuse(index: 0, line: nil, error)
            return
        }
        switch root.kind {
        case .object:
            decodeMetric(in: text, at: root, index: 0, line: nil)
        case .array:
            var index = 0
            do {
                try text.elements(of: root) { element in
                    decodeMetric(in: text, at: element, index: index, line: nil)
                    index += 1
                }
            } catch {
                refuse(index: index, line: nil, error)
            }
        default:
            refuse(index: 0, line: nil, FieldProblem("expected a metric object or an array of them, found \(text.describe(root))"))
        }
    }

    /// Decodes newline-delimited JSON (`application/x-ndjson`): one metric object
    /// per line, as `import --from jsonl` reads; blank lines are skipped and do not count as items.
    ///
    /// ```swift
    /// let runs = ReceivedRuns(metricsNDJSON: Array("{\"skillId\":\"a\",…}\n{\"skillId\":\"b\",…}\n".utf8))
    /// ```
    public init(metricsNDJSON bytes: [UInt8]) {
        self.init()
        var index = 0
        var line = 0
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            var record = slice
            if record.last == UInt8(ascii: "\r") { record = record.dropLast() }
            if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let text = JSONText(Array(record))
            do {
                decodeMetric(in: text, at: try text.root(), index: index, line: line)
            } catch {
                refuse(index: index, line: line, error)
            }
            index += 1
        }
    }

    private mutating func decodeMetric(in text: JSONText, at value: JSONText.Value, index: Int, line: Int?) {
        do {
            add(try JSONLMetricsReader.metric(in: text, at: value), index: index, line: line)
        } catch {
            refuse(index: index, line: line, error)
        }
    }
}
