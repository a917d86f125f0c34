import Foundation

/// What an exception event says: OpenTelemetry's `exception.type` and `exception.message`.
///
/// A span that fails with status ERROR and no `status.message` often keeps why only
/// here, in the event its SDK's `recordException` adds.
struct SpanException {
    var type: String?
    var message: String?

    /// `ValueError: no such skill`, or either part alone, cut to the longest error a row
    /// holds (an SDK may put a whole payload in the message); `nil` when both are blank.
    var description: String? {
        let parts = [type, message].compactMap { text -> String? in
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return text
        }
        return parts.isEmpty ? nil : String(parts.joined(separator: ": ").prefix(MetricLimits.maximumErrorLength))
    }
}
