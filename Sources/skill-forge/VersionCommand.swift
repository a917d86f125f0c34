import ArgumentParser
import SkillForge

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of skill-forge.",
        discussion: """
            Examples:
              skill-forge version
            """)

    func run() {
        print(SkillForgeVersion.current)
    }
}
