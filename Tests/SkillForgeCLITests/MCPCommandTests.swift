import Foundation
import Testing

/// Whether Python can load the Model Context Protocol SDK (`pip install mcp`); CI installs it, so there the test always runs.
private let pythonMCPIsAvailable = pythonCanImport("mcp.client.stdio, jsonschema, numpy")

@Suite("skill-forge mcp: the real binary over stdio")
struct MCPCommandTests {
    @Test(
        "Python's mcp client lists the five tools, calls each, and gets numpy's numbers and clear refusals",
        .enabled(if: pythonMCPIsAvailable, "needs Python's Model Context Protocol SDK (pip install mcp)"))
    func pythonClient() async throws {
        let directory = try TemporaryDirectory()
        let script = packageRoot.appendingPathComponent("Tests/SkillForgeCLITests/Support/mcp_client.py").path
        let result = try await runProcess("/usr/bin/env", ["python3", script, skillForgeBinary, directory.path("mcp.db")])
        #expect(result.status == 0, "the client failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.hasPrefix("checks passed: "), "\(result.stdout)")
    }

    @Test("mcp --help says how to add it to Claude Code")
    func help() async throws {
        let result = try await skillForge("mcp", "--help")
        #expect(result.status == 0)
        for text in ["claude mcp add skill-forge -- skill-forge mcp --db", "record_run", "stderr"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
    }
}
