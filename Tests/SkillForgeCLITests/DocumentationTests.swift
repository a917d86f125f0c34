import Foundation
import Testing

@Suite("What the README and --help promise")
struct DocumentationTests {
    @Test("skill-forge --version prints the version and exits 0, like skill-forge version")
    func rootVersionFlag() async throws {
        let flag = try await skillForge("--version")
        #expect(flag.status == 0)
        #expect(flag.stderr.isEmpty)
        #expect(flag.stdout.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil, "a semantic version: \(flag.stdout)")
        let command = try await skillForge("version")
        #expect(command.stdout == flag.stdout)
    }

    @Test("after a subcommand, --version is still the skill's version, never the tool's")
    func skillVersionOption() async throws {
        // A command line that fails to parse must report its error, not print the tool's version.
        let missingSkill = try await skillForge("profile", "--version", "2.0", "--", "/bin/true")
        #expect(missingSkill.status == 64)
        #expect(missingSkill.stderr.hasPrefix("Error: Missing expected argument '--skill <skill>'"))
        #expect(missingSkill.stdout.isEmpty)
        let badWindow = try await skillForge("stats", "--version", "1", "--last", "3d", "--since", "1d")
        #expect(badWindow.status == 64)
        #expect(badWindow.stderr.hasPrefix("Error: Give --last or --since, not both."))
    }

    /// Numbers and durations (`37.2 ms`, `1.02 s`, `6…15`, `50.0%`) differ from run to run; the
    /// words, labels and lines around them must not.
    private func shape(_ line: Substring) -> String {
        String(line.replacing(/\d[\d,]*(\.\d+)?( min \d+ s| ms| s)?/, with: "#"))
    }

    @Test("the README's `profile` sample has the lines and labels that the command prints")
    func readmeProfileSample() async throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## What `profile` prints"))
        let opening = try #require(readme.range(of: "```text\n", range: section.upperBound..<readme.endIndex))
        let closing = try #require(readme.range(of: "```", range: opening.upperBound..<readme.endIndex))
        let sample = readme[opening.upperBound..<closing.lowerBound].split(separator: "\n")
        let commandLine = try #require(sample.first?.wholeMatch(of: /\$ (?:swift run )?skill-forge (.+)/)?.output.1)

        // Run the sample's command as shown: in a directory of its own, where ./Examples is the package's.
        let directory = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            at: directory.url.appendingPathComponent("Examples"), withDestinationURL: packageRoot.appendingPathComponent("Examples"))
        let result = try await runProcess(
            skillForgeBinary, commandLine.split(separator: " ").map(String.init),
            environment: ["FLAKY_FAILURE_RATE": "100"], currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let printed = result.stdout.split(separator: "\n")
        #expect(printed.map(shape) == sample.dropFirst().map(shape))

        // The minimum and maximum are whole milliseconds, which print without decimals below a second.
        let range = try #require(sample.first { $0.contains("Range (min … max):") })
        #expect(range.contains(/\d\.\d+ ms/) == false, "\(range)")
    }
}
