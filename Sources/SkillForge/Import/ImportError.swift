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
///
/// Like ``ProfilerError``, it has an extensible ``code``, a ``message`` for
/// people, the input it concerns (``file``, and ``location`` for a record), and
/// the underlying error (``cause``): the ``ProfilerError`` of a failed database,
/// the error of an input that cannot be read. A reader for a new format can add
/// codes without breaking anyone.
///
/// ```swift
/// do {
///     let summary = try importer.run(inputs)
/// } catch let error where error.code == .invalidRecord {
///     print("fix \(error.location.map(String.init(describing:)) ?? "the input"): \(error.problem ?? "")")
/// } catch let error where error.code == .database {
///     print("import again once the database is back: \(error.databaseError?.code.description ?? "")")
/// }
/// ```
///
/// Two errors are equal when their code, message, file, location and problem
/// are; the cause does not take part.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The input the error concerns, as the user named it: the file of an invalid record or an unreadable input.
    public var file: String?
    /// Where an invalid record is, for ``Code-swift.struct/invalidRecord``.
    public var location: SourceLocation?
    /// What is wrong with the record or the input, without its place.
    public var problem: String?
    /// The underlying error, if any: the ``ProfilerError`` of a failed database, the
    /// `POSIXError` or Foundation error of an input that cannot be read.
    public var cause: (any Error & Sendable)?

    private init(
        code: Code, message: String, file: String? = nil, location: SourceLocation? = nil, problem: String? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.location = location
        self.problem = problem
        self.cause = cause
    }

    /// The ``message``.
    public var description: String { message }

    /// The database failure, for ``Code-swift.struct/database``.
    public var databaseError: ProfilerError? {
        code == .database ? cause as? ProfilerError : nil
    }
}

// MARK: - Codes

extension ImportError {
    /// What kind of failure an ``ImportError`` is; new codes can be added without breaking a caller's `switch`.
    ///
    /// ```swift
    /// if error.code == .cancelled { print("stopped; what was committed stays") }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// One case per code, so that no two codes can be equal by mistake.
        private enum Kind: String, Hashable, Sendable {
            case invalidRecord, unreadableInput, database, cancelled
        }

        private var kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The code's name, such as `invalidRecord`.
        public var description: String { kind.rawValue }

        /// A record is invalid; nothing was written.
        public static let invalidRecord = Code(.invalidRecord)
        /// An input cannot be read at all: missing, a directory, not text, an unknown format.
        public static let unreadableInput = Code(.unreadableInput)
        /// The database failed; batches already committed stay, and importing again completes the rest.
        public static let database = Code(.database)
        /// The import was cancelled; batches already committed stay.
        public static let cancelled = Code(.cancelled)
    }
}

// MARK: - Failures

extension ImportError {
    /// The record at `location` is invalid, for `problem`; nothing was written.
    public static func invalidRecord(_ location: SourceLocation, problem: String) -> ImportError {
        ImportError(
            code: .invalidRecord, message: "\(location): \(problem)", file: location.file, location: location,
            problem: problem)
    }

    /// The input `file` cannot be read at all, for `problem`: missing, a directory, not text, an unknown format.
    public static func unreadableInput(file: String, problem: String, cause: (any Error & Sendable)? = nil) -> ImportError {
        ImportError(code: .unreadableInput, message: "\(file): \(problem)", file: file, problem: problem, cause: cause)
    }

    /// The database failed with `error`; batches already committed stay, and importing again completes the rest.
    public static func database(_ error: ProfilerError) -> ImportError {
        ImportError(code: .database, message: error.description, cause: error)
    }

    /// The import was cancelled; batches already committed stay.
    public static let cancelled = ImportError(code: .cancelled, message: "import cancelled")
}

// MARK: - Equality

extension ImportError {
    /// Whether two errors have the same code, message, file, location and problem; the causes are not compared.
    public static func == (lhs: ImportError, rhs: ImportError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.file == rhs.file && lhs.location == rhs.location
            && lhs.problem == rhs.problem
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(file)
        hasher.combine(location)
        hasher.combine(problem)
    }
}
