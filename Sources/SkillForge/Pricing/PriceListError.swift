/// Why a price file cannot be read: its description names the file, and the
/// model and field where one is at fault:
/// `prices.json: model "claude-x", field input_cost_per_token: -1 is not a price (a number of dollars, 0 or more)`.
///
/// Like ``ImportError``, its ``code`` is an extensible value, not the case of a frozen enum.
///
/// ```swift
/// do {
///     let prices = try PriceList(contentsOfFile: "prices.json")
/// } catch let error where error.code == .invalidPrice {
///     print("fix \(error.model ?? "") in \(error.file): \(error)")
/// }
/// ```
public struct PriceListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        /// The file cannot be read.
        public static let unreadable = Code(name: "unreadable")
        /// The file is not a JSON object of models.
        public static let notAPriceList = Code(name: "notAPriceList")
        /// A model's entry or one of its fields is not a price.
        public static let invalidPrice = Code(name: "invalidPrice")
        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file, as the user named it.
    public var file: String
    /// The model whose entry is at fault, if any.
    public var model: String?
    /// The field at fault, if any.
    public var field: String?
    /// What is wrong, without the place.
    public var problem: String
    /// The underlying error, if any (the file system's).
    public var cause: (any Error & Sendable)?

    /// `file: model "m", field f: problem`.
    public var description: String {
        var place = file
        if let model { place += ": model \"\(model)\"" }
        if let field { place += ", field \(field)" }
        return "\(place): \(problem)"
    }

    public static func == (left: PriceListError, right: PriceListError) -> Bool {
        (left.code, left.file, left.model, left.field, left.problem)
            == (right.code, right.file, right.model, right.field, right.problem)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(file)
        hasher.combine(model)
        hasher.combine(field)
        hasher.combine(problem)
    }
}
