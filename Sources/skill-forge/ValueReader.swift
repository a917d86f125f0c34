import ArgumentParser
import Foundation

/// How an option turns the word after it into a value, refusing what breaks its rule.
///
/// Options that take numbers, times or spans declare one, so that a bad value is
/// refused while parsing with the option, the value and the rule:
///
/// ```swift
/// @Option(help: "Measured runs.", reading: .number(atLeast: 1))
/// var iterations = 10
/// // skill-forge profile --iterations -5
/// // Error: The value '-5' is invalid for '--iterations <iterations>': must be at least 1
/// ```
///
/// The word after the option is always its value, even when it starts with `-`:
/// `--ms -5` is refused for being negative, not reported as a missing value
/// followed by an unknown option `-5`.
struct ValueReader<Value: Sendable>: Sendable {
    /// Reads a value, or throws a `ValidationError` saying which rule the text breaks.
    let read: @Sendable (String) throws -> Value

    init(_ read: @escaping @Sendable (String) throws -> Value) {
        self.read = read
    }
}

// MARK: - Options that read with a reader

extension Option {
    /// An option with a default value, read by `reader`; the help shows the default.
    ///
    /// - Parameters:
    ///   - wrappedValue: The default value, given by the property's initial value.
    ///   - name: The option's names.
    ///   - help: What the option means.
    ///   - reader: How the word after the option becomes a value.
    init(
        wrappedValue: Value, name: NameSpecification = .long, help: ArgumentHelp, reading reader: ValueReader<Value>
    ) where Value: Sendable {
        var help = help
        help.abstract += " (default: \(wrappedValue))"
        self.init(wrappedValue: wrappedValue, name: name, parsing: .unconditional, help: help, transform: reader.read)
    }

    /// A required option, read by `reader`.
    ///
    /// - Parameters:
    ///   - name: The option's names.
    ///   - help: What the option means.
    ///   - reader: How the word after the option becomes a value.
    init(name: NameSpecification = .long, help: ArgumentHelp, reading reader: ValueReader<Value>) where Value: Sendable {
        self.init(name: name, parsing: .unconditional, help: help, transform: reader.read)
    }

    /// An optional option, read by `reader`.
    ///
    /// - Parameters:
    ///   - name: The option's names.
    ///   - help: What the option means.
    ///   - reader: How the word after the option becomes a value.
    init<Wrapped: Sendable>(
        name: NameSpecification = .long, help: ArgumentHelp, reading reader: ValueReader<Wrapped>
    ) where Value == Wrapped? {
        self.init(name: name, parsing: .unconditional, help: help, transform: reader.read)
    }
}

// MARK: - Numbers

/// A kind of number that options take: a whole number, or a finite decimal.
protocol OptionNumber: Comparable, AdditiveArithmetic, LosslessStringConvertible, Sendable {
    /// What the text must be, for messages: `a whole number`.
    static var kind: String { get }
    /// Whether the value is finite (infinity and NaN are never useful on a command line).
    var isFinite: Bool { get }
    /// The value as a rule shows it: `1`, `0.05`.
    var ruleText: String { get }
}

extension OptionNumber where Self: BinaryInteger {
    static var kind: String { "a whole number" }
    var isFinite: Bool { true }
    var ruleText: String { description }
}

extension Int: OptionNumber {}
extension Int64: OptionNumber {}

extension Double: OptionNumber {
    static var kind: String { "a number" }
    var ruleText: String { formatted(.number.grouping(.never).locale(Locale(identifier: "en_US"))) }
}

extension ValueReader where Value: OptionNumber {
    /// A number of at least `minimum`: `must be zero or more`, `must be at least 1`.
    static func number(atLeast minimum: Value) -> ValueReader {
        number(minimum == .zero ? "zero or more" : "at least \(minimum.ruleText)") { $0 >= minimum }
    }

    /// A number greater than `minimum`: `must be more than 0`.
    static func number(moreThan minimum: Value) -> ValueReader {
        number("more than \(minimum.ruleText)") { $0 > minimum }
    }

    /// A number greater than `minimum` and less than `limit`.
    static func number(moreThan minimum: Value, lessThan limit: Value) -> ValueReader {
        number("more than \(minimum.ruleText) and less than \(limit.ruleText)") { $0 > minimum && $0 < limit }
    }

    /// A number greater than `minimum` and at most `maximum`.
    static func number(moreThan minimum: Value, atMost maximum: Value) -> ValueReader {
        number("more than \(minimum.ruleText) and at most \(maximum.ruleText)") { $0 > minimum && $0 <= maximum }
    }

    private static func number(_ rule: String, _ accepts: @escaping @Sendable (Value) -> Bool) -> ValueReader {
        ValueReader { text in
            guard let value = Value(text), value.isFinite else {
                throw ValidationError("must be \(Value.kind), \(rule)")
            }
            guard accepts(value) else { throw ValidationError("must be \(rule)") }
            return value
        }
    }
}
