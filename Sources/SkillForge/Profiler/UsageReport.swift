import Foundation

/// The token usage a profiled command reports in the file named by
/// `SKILL_FORGE_USAGE_FILE`:
///
/// ```json
/// {"tokens_in": 1200, "tokens_out": 350, "model": "claude-sonnet-4-5",
///  "cache_read_tokens": 800, "cache_creation_tokens": 0}
/// ```
///
/// Only `tokens_in` and `tokens_out` are required; camelCase names
/// (`tokensIn`, …) are accepted too.
struct UsageReport: Decodable {
    var usage: ReportedUsage

    /// A usage file that cannot be used.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func count(_ snake: String, _ camel: String) throws -> Int64? {
            for name in [snake, camel] where container.contains(Key(stringValue: name)) {
                guard let value = try? container.decode(Int64.self, forKey: Key(stringValue: name)), value >= 0 else {
                    throw Invalid(description: "\(snake) must be a whole number of tokens, zero or more")
                }
                return value
            }
            return nil
        }
        guard let tokensIn = try count("tokens_in", "tokensIn"), let tokensOut = try count("tokens_out", "tokensOut")
        else {
            throw Invalid(description: "the usage file needs tokens_in and tokens_out")
        }
        usage = ReportedUsage(
            tokensIn: tokensIn,
            tokensOut: tokensOut,
            cacheReadTokens: try count("cache_read_tokens", "cacheReadTokens"),
            cacheCreationTokens: try count("cache_creation_tokens", "cacheCreationTokens"),
            model: try container.decodeIfPresent(String.self, forKey: Key(stringValue: "model")))
    }

    /// Decodes a usage file's contents.
    static func decode(_ data: Data) throws(Invalid) -> ReportedUsage {
        do {
            return try JSONDecoder().decode(UsageReport.self, from: data).usage
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid(description: "the usage file is not a JSON object with token counts")
        }
    }
}
