import Foundation
import Hummingbird
import SkillForge

/// The query parameters of a read route, read as the CLI reads its options:
/// `since`, `until` and `last` (a window), `version`, `model`. A value that
/// cannot be read is a 400 problem naming the parameter.
struct ReadQuery {
    let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// The parameter's value, `nil` when absent or empty.
    func string(_ name: String) -> String? {
        guard let value = parameters[name[...]], !value.isEmpty else { return nil }
        return String(value)
    }

    /// The value of a typed parameter (a number, a flag, a choice), `nil` when absent;
    /// given but empty (`limit=`) is no value of its type.
    private func typed(_ name: String) throws -> String? {
        guard let value = parameters[name[...]] else { return nil }
        guard !value.isEmpty else { throw Self.invalid(name, "is empty; give a value or leave the parameter out") }
        return String(value)
    }

    /// The window `since`/`until`/`last` give (every run when none is given).
    func window(now: Date = Date()) throws -> TimeWindow {
        do {
            return try TimeText.window(since: string("since"), until: string("until"), last: string("last"), now: now)
        } catch {
            throw Self.invalid("since, until, last", error.description)
        }
    }

    /// The filter of a route about `skill` (or every skill): the window, `version` and `model`.
    func filter(skill: String? = nil) throws -> MetricsFilter {
        MetricsFilter(skillId: skill, window: try window(), version: string("version"), model: string("model"))
    }

    /// A window parameter written `START..END` (`14d..7d`), or `nil` when absent.
    func window(named name: String) throws -> TimeWindow? {
        guard let text = string(name) else { return nil }
        do {
            return try TimeText.window(text)
        } catch {
            throw Self.invalid(name, error.description)
        }
    }

    /// An integer parameter within `range`, or `defaultValue` when absent.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = try typed(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw Self.invalid(name, "\(text.debugDescription) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A number parameter within `range`, or `defaultValue` when absent.
    func number(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = try typed(name) else { return defaultValue }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw Self.invalid(name, "\(text.debugDescription) is not a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A flag parameter: `true`/`1` or `false`/`0`.
    func flag(_ name: String) throws -> Bool {
        switch try typed(name)?.lowercased() {
        case nil, "false", "0": false
        case "true", "1": true
        case let other?: throw Self.invalid(name, "\(other.debugDescription) is neither true nor false")
        }
    }

    /// A parameter whose values are the cases of `T`, or `defaultValue` when absent.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws -> T where T.RawValue == String {
        guard let text = try typed(name) else { return defaultValue }
        guard let value = T(rawValue: text) else {
            throw Self.invalid(name, "\(text.debugDescription) is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A required parameter.
    func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw Self.invalid(name, "is required") }
        return value
    }

    static func invalid(_ name: String, _ problem: String) -> ProblemDetails {
        ProblemDetails(status: .badRequest, title: "Invalid query parameter", detail: "\(name): \(problem)")
    }
}
