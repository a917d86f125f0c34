/// Everything that can go wrong when profiling, storing or reading metrics, in words a user understands.
///
/// An error has a ``code`` that says what kind of failure it is, a ``message``
/// for people (its ``description``), the database file it concerns (``path``),
/// the details a caller may act on (``runId``, ``invalidField``, ...), and the
/// underlying error that caused it (``cause``): GRDB's `DatabaseError` for an
/// SQLite failure, a `POSIXError` for a command that cannot be launched.
///
/// Codes are values, not the cases of a frozen enum: a new storage backend adds
/// codes without breaking anyone's code. Catch the codes you handle and let the
/// rest through:
///
/// ```swift
/// do {
///     try db.insert(metric)
/// } catch let error where error.code == .busy {
///     print("another process holds the database; try again later")
/// } catch let error where error.code == .duplicateRunId {
///     print("run \(error.runId ?? "") is already stored")
/// } catch {
///     print(error)  // every other failure, described for people
/// }
/// ```
///
/// Two errors are equal when their code, message, path and details are; the
/// cause does not take part, so `#expect(throws: ProfilerError.busy(path: path))`
/// matches a busy error whatever SQLite reported.
public struct ProfilerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The database file the error concerns, if any.
    public var path: String?
    /// The underlying error, if any: GRDB's `DatabaseError` for an SQLite failure,
    /// a `POSIXError` for a command that cannot be launched.
    public var cause: (any Error & Sendable)?
    /// The details that go with ``code``.
    var detail: Detail

    /// Creates an error; the factory functions such as ``busy(path:cause:)`` build each kind.
    init(code: Code, message: String, path: String? = nil, detail: Detail = .none, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.detail = detail
        self.cause = cause
    }

    /// The ``message``.
    public var description: String { message }

    /// The details some codes carry, beyond the path and the message.
    enum Detail: Hashable, Sendable {
        case none
        case invalidField(InvalidField)
        case runId(String)
        case metricId(Int64)
        case reason(String)
        case unknownMigrations([String])
        case launch(executable: String, reason: String)
        case buckets(count: Int, bucket: TimeBucket)
    }
}

// MARK: - Details

extension ProfilerError {
    /// The field that broke a rule, for ``Code-swift.struct/invalidMetric``.
    public var invalidField: InvalidField? {
        if case .invalidField(let field) = detail { field } else { nil }
    }

    /// The `run_id` already stored, for ``Code-swift.struct/duplicateRunId``.
    public var runId: String? {
        if case .runId(let runId) = detail { runId } else { nil }
    }

    /// The id no row has, for ``Code-swift.struct/metricNotFound``.
    public var metricId: Int64? {
        if case .metricId(let id) = detail { id } else { nil }
    }

    /// The migrations of a newer Skill Forge, sorted, for ``Code-swift.struct/schemaTooNew``.
    public var unknownMigrations: [String]? {
        if case .unknownMigrations(let migrations) = detail { migrations } else { nil }
    }

    /// Why it failed, in a few words, for ``Code-swift.struct/notSkillForge``,
    /// ``Code-swift.struct/cannotOpen``, ``Code-swift.struct/cannotLaunch`` and
    /// ``Code-swift.struct/database`` (SQLite's own message).
    public var reason: String? {
        switch detail {
        case .reason(let reason), .launch(_, let reason): reason
        default: nil
        }
    }

    /// The command that cannot be started, for ``Code-swift.struct/cannotLaunch``.
    public var executable: String? {
        if case .launch(let executable, _) = detail { executable } else { nil }
    }

    /// How many buckets the time series would have, for ``Code-swift.struct/tooManyBuckets``.
    public var bucketCount: Int? {
        if case .buckets(let count, _) = detail { count } else { nil }
    }

    /// The bucket that was asked for, for ``Code-swift.struct/tooManyBuckets``.
    public var bucket: TimeBucket? {
        if case .buckets(_, let bucket) = detail { bucket } else { nil }
    }
}

// MARK: - Equality

extension ProfilerError {
    /// Whether two errors have the same code, message, path and details; the causes are not compared.
    public static func == (lhs: ProfilerError, rhs: ProfilerError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.path == rhs.path && lhs.detail == rhs.detail
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(path)
        hasher.combine(detail)
    }
}
