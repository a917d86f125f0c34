/// A place in an input: a file and a line.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, as the user named it (`-` for standard input).
    public var file: String
    /// The 1-based line.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`, as compilers print locations.
    public var description: String { "\(file):\(line)" }
}

/// Why an import stopped. Its description is one line a user can act on:
/// `runs.jsonl:12: invalid tokens_in -5: must be zero or more`.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A record is invalid; nothing was written.
    case invalidRecord(SourceLocation, problem: String)
    /// An input cannot be read at all: missing, a directory, not text, an unknown format.
    case unreadableInput(file: String, problem: String)
    /// The database failed; batches already committed stay, and importing again completes the rest.
    case database(ProfilerError)
    /// The import was cancelled; batches already committed stay.
    case cancelled

    public var description: String {
        switch self {
        case .invalidRecord(let location, let problem): "\(location): \(problem)"
        case .unreadableInput(let file, let problem): "\(file): \(problem)"
        case .database(let error): error.description
        case .cancelled: "import cancelled"
        }
    }
}
