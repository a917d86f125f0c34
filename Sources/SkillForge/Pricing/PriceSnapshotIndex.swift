import Foundation
import Synchronization

/// The shipped price list, read one model at a time.
///
/// Its JSON holds one model a line (`scripts/refresh-prices.sh` writes it so),
/// so one pass over the text finds where each model's line is, and a model's
/// entry is decoded the first time it is looked up, then kept. Decoding all
/// 3,000-odd entries would cost some 20 ms of every process that prices a run
/// (`record --model`, each hook's import), for the one or two models it needs.
final class PriceSnapshotIndex: Sendable {
    /// The snapshot's UTF-8 bytes (scanned as bytes: walking a string's characters costs milliseconds).
    private let bytes: [UInt8]
    /// Each model's line, without its trailing comma.
    private let lines: [String: Range<Int>]
    /// The entries decoded so far; `nil` for a line that does not decode.
    private let decoded = Mutex<[String: ModelPrice?]>([:])
    /// Where the prices come from, for errors.
    private let source: String

    /// The index of `json`, or `nil` when it is not one model a line with plain
    /// names (a name with an escape, a model over several lines): such a text is
    /// decoded whole instead.
    init?(json: String, source: String) {
        let bytes = Array(json.utf8)
        let (newline, quote, backslash, comma) = (UInt8(ascii: "\n"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: ","))
        var lines: [String: Range<Int>] = [:]
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
            defer { start = end + 1 }
            let line = bytes[start..<end]
            guard line.count > 1 else { continue }  // "{", "}" and empty lines
            // `"name":{…}`, the name without escapes.
            guard line.first == quote, let nameEnd = line.dropFirst().firstIndex(of: quote),
                nameEnd + 2 < end, bytes[nameEnd + 1] == UInt8(ascii: ":"), bytes[nameEnd + 2] == UInt8(ascii: "{"),
                !line[..<nameEnd].contains(backslash)
            else { return nil }
            let name = String(decoding: bytes[(start + 1)..<nameEnd], as: UTF8.self)
            lines[name] = start..<(line.last == comma ? end - 1 : end)
        }
        self.bytes = bytes
        self.lines = lines
        self.source = source
    }

    /// How many models are listed.
    var count: Int { lines.count }

    /// The price of exactly `model`, or `nil` when it is not listed (or its entry does not decode).
    func price(of model: String) -> ModelPrice? {
        guard let range = lines[model] else { return nil }
        if let known = decoded.withLock({ $0[model] }) { return known }
        var entry = Data("{".utf8)
        entry.append(contentsOf: bytes[range])
        entry.append(contentsOf: "}".utf8)
        let price = try? PriceList.prices(inJSON: entry, file: source)[model]
        decoded.withLock { $0[model] = .some(price) }
        return price
    }
}
