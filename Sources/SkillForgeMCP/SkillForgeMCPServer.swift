import Foundation
import Logging
import MCP
import SkillForge

/// A Model Context Protocol server over a Skill Forge store: an agent lists
/// skills, reads a skill's summary, compares two versions, asks which skills
/// to optimise, and records runs, with the tools of ``SkillForgeTool``.
///
/// ```swift
/// let server = SkillForgeMCPServer(store: try ProfilerDB(path: "skill-forge.db"), logger: logger)
/// try await server.runOverStandardIO()   // until the client closes standard input
///
/// // Or call a tool directly:
/// let result = try await server.call("skill_summary", arguments: ["skill": "summarise", "last": "7d"])
/// ```
///
/// Every answer is JSON text in the shapes of the CLI's `--format json` and the
/// collector's read API (docs/ANALYSIS.md). A call whose arguments cannot be
/// read, or that finds no runs, answers a tool result with `isError: true`
/// and a message naming the argument and its value; an unknown tool is a
/// JSON-RPC invalid-params error. The server writes nothing but protocol
/// messages to its transport: it logs to `logger`.
public struct SkillForgeMCPServer: Sendable {
    /// The store the tools read and write.
    public let store: any MetricsStore
    let analyzer: Analyzer
    let logger: Logger
    /// The prices `record_run` computes a cost from when the call states none.
    let prices: PriceList
    /// The current time, which windows such as `last: 7d` count back from.
    let now: @Sendable () -> Date

    /// Creates a server over `store`.
    ///
    /// - Parameters:
    ///   - store: The store the tools read, and `record_run` writes.
    ///   - logger: Receives a line per refused call, and the end of the session.
    ///   - prices: What `record_run` computes a run's cost from when the call states none.
    ///   - now: The current time (tests fix it).
    public init(
        store: any MetricsStore, logger: Logger, prices: PriceList = .shipped, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.analyzer = Analyzer(store: store)
        self.logger = logger
        self.prices = prices
        self.now = now
    }

    /// The tools, as `tools/list` answers them.
    public static var tools: [Tool] { SkillForgeTool.allCases.map(\.tool) }

    /// What the server tells a client it is for, at initialisation.
    static let instructions = """
        Skill Forge records one row per execution of an AI-agent skill (time, tokens, outcome, version, \
        model) and analyses them. Start with list_skills; skill_summary gives a skill's latency \
        percentiles, failure rate and tokens; compare_versions says whether a new version is better; \
        optimization_candidates ranks what to work on; record_run stores an execution measured elsewhere.
        """

    // MARK: - Serving

    /// Serves the tools on standard input and output until the client closes standard input.
    ///
    /// ```swift
    /// try await SkillForgeMCPServer(store: db, logger: logger).runOverStandardIO()
    /// ```
    ///
    /// - Throws: What the transport throws when standard input or output cannot be set up.
    public func runOverStandardIO() async throws {
        try await run(on: StdioTransport(logger: logger))
    }

    /// Serves the tools on `transport` until the client disconnects (closes standard input, for
    /// stdio) and every request it sent has been answered.
    ///
    /// ```swift
    /// try await SkillForgeMCPServer(store: db, logger: logger).run(on: StdioTransport(logger: logger))
    /// ```
    ///
    /// - Throws: What the transport throws when it cannot connect.
    public func run(on transport: any Transport) async throws {
        let server = try await start(on: transport)
        await server.waitUntilCompleted()
        await server.stop()
        logger.info("the client disconnected")
    }

    /// Starts serving the tools on `transport` and returns the running server (for tests, which stop it).
    ///
    /// ```swift
    /// let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
    /// let server = try await SkillForgeMCPServer(store: db, logger: logger).start(on: serverSide)
    /// ```
    ///
    /// - Throws: What the transport throws when it cannot connect.
    public func start(on transport: any Transport) async throws -> Server {
        let server = Server(
            name: "skill-forge", version: SkillForgeVersion.current, title: "Skill Forge Profiler",
            instructions: Self.instructions, capabilities: Server.Capabilities(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: Self.tools) }
        await server.withMethodHandler(CallTool.self) { parameters in
            try await call(parameters.name, arguments: parameters.arguments)
        }
        // The end of the input waits for the answers still being worked out.
        try await server.start(transport: DrainingTransport(transport, logger: logger))
        return server
    }

    // MARK: - Calling tools

    /// Calls the tool `name` with `arguments` and answers its result: the answer as
    /// JSON text, or, with `isError: true`, why the call cannot be answered.
    ///
    /// ```swift
    /// let result = try await server.call("compare_versions", arguments: ["skill": "summarise", "baseline": "1.0", "candidate": "2.0"])
    /// if result.isError != true, case .text(let json, _, _)? = result.content.first { print(json) }
    /// ```
    ///
    /// - Throws: `MCPError.invalidParams` for a tool this server does not have.
    public func call(_ name: String, arguments: [String: Value]? = nil) async throws(MCPError) -> CallTool.Result {
        guard let tool = SkillForgeTool(rawValue: name) else {
            let names = SkillForgeTool.allCases.map(\.rawValue).joined(separator: ", ")
            logger.info("unknown tool", metadata: ["tool": "\(name)"])
            throw MCPError.invalidParams("unknown tool \(name.debugDescription); the tools are \(names)")
        }
        do {
            let answer = try await answer(tool, ToolArguments(arguments, for: tool.definition))
            return CallTool.Result(content: [.text(text: try Self.json(answer), annotations: nil, _meta: nil)])
        } catch {
            let refusal = error as? ToolError
                ?? ToolError(argument: (error as? ProfilerError)?.invalidField?.field, message: (error as? ProfilerError)?.message ?? "\(error)")
            logger.info(
                "tool call refused", metadata: ["tool": "\(name)", "argument": "\(refusal.argument ?? "-")", "error": "\(refusal.message)"])
            return CallTool.Result(content: [.text(text: refusal.message, annotations: nil, _meta: nil)], isError: true)
        }
    }

    /// The answer of `tool`, to encode as JSON.
    private func answer(_ tool: SkillForgeTool, _ arguments: ToolArguments) async throws -> any Encodable {
        switch tool {
        case .listSkills: try await listSkills(arguments)
        case .skillSummary: try await skillSummary(arguments)
        case .compareVersions: try await compareVersions(arguments)
        case .optimizationCandidates: try await optimizationCandidates(arguments)
        case .recordRun: try await recordRun(arguments)
        }
    }

    /// JSON as the CLI prints it (`--format json`) and the read API answers: keys sorted, slashes unescaped.
    static func json(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
