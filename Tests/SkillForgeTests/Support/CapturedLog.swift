import Logging
import Synchronization

/// A logger whose messages (with their metadata) are kept for a test to read.
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        /// The message followed by its metadata, as `message key=value …`.
        var text: String
    }

    private let stored = Mutex<[Entry]>([])

    var entries: [Entry] { stored.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let details = (metadata.merging(event.metadata ?? [:]) { $1 }).sorted { $0.key < $1.key }
                .map { " \($0.key)=\($0.value)" }.joined()
            log.stored.withLock { $0.append(Entry(level: event.level, text: "\(event.message)\(details)")) }
        }
    }
}
