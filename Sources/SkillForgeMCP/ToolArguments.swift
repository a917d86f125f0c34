import Foundation
import MCP
import SkillForge

/// The arguments of one tool call, read with the tool's parameters.
///
/// An argument the tool does not take is refused when the call is read (a
/// misspelt `verison` would otherwise be ignored without a word); a value of
/// the wrong type or out of bounds is refused when it is read, naming the
/// argument and the value. `null` stands for an argument left out, and so does
/// an empty text for an optional one.
struct ToolArguments {
    /// The values, by argument name.
    let values: [String: Value]

    /// Reads the arguments of a call to `definition`.
    ///
    /// - Throws: ``ToolError`` naming the first argument (in name order) the tool does not take.
    init(_ values: [String: Value]?, for definition: ToolDefinition) throws(ToolError) {
        let values = values ?? [:]
        let known = Set(definition.parameters.map(\.name))
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            let taken = definition.parameters.isEmpty
                ? "it takes no arguments"
                : "it takes " + definition.parameters.map(\.name).joined(separator: ", ")
            throw ToolError(argument: unknown, message: "unknown argument \(unknown.debugDescription) of \(definition.name): \(taken)")
        }
        self.values = values
    }

    /// The value given for `parameter`, `nil` when it is absent or `null`.
    private func given(_ parameter: ToolParameter) -> Value? {
        guard let value = values[parameter.name], value != .null else { return nil }
        return value
    }

    // MARK: - Typed values

    /// A text argument; `nil` when absent, `null` or empty.
    func string(_ parameter: ToolParameter) throws(ToolError) -> String? {
        guard let value = given(parameter) else { return nil }
        guard let text = value.stringValue else { throw wrongType(parameter, value, "should be text") }
        return text.isEmpty ? nil : text
    }

    /// A text argument the call must give.
    func requiredString(_ parameter: ToolParameter) throws(ToolError) -> String {
        guard let text = try string(parameter), !text.allSatisfy(\.isWhitespace) else { throw .missing(parameter) }
        return text
    }

    /// A whole number within the parameter's bounds; its default, or `nil`, when absent.
    func integer(_ parameter: ToolParameter) throws(ToolError) -> Int? {
        guard case .integer(let range) = parameter.kind else { return nil }
        guard let value = given(parameter) else { return parameter.defaultValue?.intValue }
        let number: Int?
        switch value {
        case .int(let integer): number = integer
        case .double(let real) where real.rounded() == real && abs(real) < 1e15: number = Int(real)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw wrongType(parameter, value, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A number within the parameter's bounds; its default, or `nil`, when absent.
    func number(_ parameter: ToolParameter) throws(ToolError) -> Double? {
        guard case .number(let range) = parameter.kind else { return nil }
        guard let value = given(parameter) else { return parameter.defaultValue?.doubleValue }
        let number: Double?
        switch value {
        case .int(let integer): number = Double(integer)
        case .double(let real): number = real
        default: number = nil
        }
        guard let number, number.isFinite, range.contains(number) else {
            throw wrongType(parameter, value, "must be a number from \(Self.decimal(range.lowerBound)) to \(Self.decimal(range.upperBound))")
        }
        return number
    }

    /// A true-or-false argument; its default, or `false`, when absent.
    func flag(_ parameter: ToolParameter) throws(ToolError) -> Bool {
        guard let value = given(parameter) else { return parameter.defaultValue?.boolValue ?? false }
        guard let flag = value.boolValue else { throw wrongType(parameter, value, "should be true or false") }
        return flag
    }

    /// A text argument read by `read` (a time, a span, a window, as ``TimeText`` reads them).
    func parsed<T>(_ parameter: ToolParameter, _ read: (String) throws(TimeText.Invalid) -> T) throws(ToolError) -> T? {
        guard let text = try string(parameter) else { return nil }
        do {
            return try read(text)
        } catch {
            throw .invalid(argument: parameter.name, value: text.debugDescription, error.description)
        }
    }

    /// A bound as people write it: `0.000001`, `1`, not `1e-06`, `1.0`.
    private static func decimal(_ value: Double) -> String {
        value.formatted(.number.grouping(.never).locale(Locale(identifier: "en_US_POSIX")))
    }

    private func wrongType(_ parameter: ToolParameter, _ value: Value, _ problem: String) -> ToolError {
        .invalid(argument: parameter.name, value: Self.shown(value), problem)
    }

    /// How a message shows a value: text quoted, anything else as JSON (long values cut).
    static func shown(_ value: Value) -> String {
        if let text = value.stringValue { return text.debugDescription }
        let json = (try? SkillForgeMCPServer.json(value)) ?? "\(value)"
        return json.count > 40 ? String(json.prefix(37)) + "..." : json
    }
}
