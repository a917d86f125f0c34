import SkillForge

/// Why a tool call could not be answered: an argument that cannot be read, a
/// skill or version without runs, a run the store refuses.
///
/// The server answers it as a tool result with `isError: true` and the
/// ``message`` as its text, as the Model Context Protocol asks of tool errors,
/// so that the model can correct its call; the log line names the argument.
///
/// ```swift
/// let result = try await server.call("skill_summary", arguments: ["skill": "summarise", "since": "yesterday"])
/// // result.isError == true; its text: invalid since "yesterday": … or a span ago such as 7d
/// ```
struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argument at fault, when one is.
    var argument: String?
    /// What is wrong, in words a model or a person can act on.
    var message: String

    init(argument: String? = nil, message: String) {
        self.argument = argument
        self.message = message
    }

    /// The ``message``.
    var description: String { message }

    /// An argument whose value breaks a rule: `invalid since "yesterday": …`.
    static func invalid(argument: String, value: String, _ problem: String) -> ToolError {
        ToolError(argument: argument, message: "invalid \(argument) \(value): \(problem)")
    }

    /// A required argument that was not given.
    static func missing(_ parameter: ToolParameter) -> ToolError {
        ToolError(argument: parameter.name, message: "missing \(parameter.name): \(parameter.description)")
    }
}
