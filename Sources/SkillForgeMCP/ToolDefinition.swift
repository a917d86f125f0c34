import MCP

/// A tool as clients list it: its name, what it does, and its parameters,
/// from which its input's JSON Schema is built.
struct ToolDefinition: Sendable {
    let name: String
    let title: String
    /// What the tool does and answers, for the model that chooses it.
    let description: String
    let parameters: [ToolParameter]
    /// Whether the tool only reads the database.
    let isReadOnly: Bool

    /// The input's JSON Schema: an object of the parameters, the required ones
    /// listed, no other property allowed.
    var inputSchema: Value {
        .object([
            "type": "object",
            "properties": .object(Dictionary(parameters.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })),
            "required": .array(parameters.filter(\.isRequired).map { .string($0.name) }),
            "additionalProperties": false,
        ])
    }

    /// The tool as `tools/list` answers it.
    var tool: Tool {
        Tool(
            name: name, title: title, description: description, inputSchema: inputSchema,
            annotations: Tool.Annotations(
                title: title, readOnlyHint: isReadOnly, destructiveHint: false, idempotentHint: isReadOnly,
                openWorldHint: false))
    }
}
