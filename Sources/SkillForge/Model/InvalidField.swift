/// A field of a metric that breaks a validation rule.
///
/// Its description names the field, the value and the rule:
/// `execution_ms -5: must be zero or more`.
public struct InvalidField: Error, Sendable, Hashable, CustomStringConvertible {
    /// The column name of the field, such as `tokens_in`.
    public var field: String
    /// The offending value, quoted and shortened for display.
    public var value: String
    /// The rule the value breaks.
    public var problem: String

    /// Creates a validation failure; `value` is quoted and shortened for display.
    public init(field: String, value: String, problem: String) {
        self.field = field
        let shown = value.count > 60 ? value.prefix(57) + "..." : Substring(value)
        self.value = String(shown).debugDescription
        self.problem = problem
    }

    /// Creates a validation failure for a numeric value.
    public init(field: String, number: some BinaryInteger, problem: String) {
        self.field = field
        self.value = String(number)
        self.problem = problem
    }

    /// Creates a validation failure for a decimal value, shown as Swift writes it (`-0.5`, `inf`).
    ///
    /// ```swift
    /// InvalidField(field: "cost_usd", number: -0.5, problem: "must be zero or more").description
    /// // invalid cost_usd -0.5: must be zero or more
    /// ```
    public init(field: String, number: Double, problem: String) {
        self.field = field
        self.value = String(number)
        self.problem = problem
    }

    public var description: String {
        "invalid \(field) \(value): \(problem)"
    }
}
