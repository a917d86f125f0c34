import ArgumentParser
import SkillForge

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one run by id, or every run of a skill.",
        discussion: """
            Examples:
              skill-forge delete --id 42
              skill-forge delete --skill old-experiment
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The id of the run to delete.")
    var id: Int64?

    @Option(help: "Delete every run of this skill.")
    var skill: String?

    func validate() throws {
        guard (id == nil) != (skill == nil) else {
            throw ValidationError("Give exactly one of --id or --skill.")
        }
    }

    func run() throws {
        let db = try database.openExisting()
        if let id {
            guard try db.delete(id: id) else { throw ProfilerError.metricNotFound(id: id) }
            print("deleted run \(id)")
        } else if let skill {
            let count = try db.deleteMetrics(forSkill: skill)
            print("deleted \(count) run\(count == 1 ? "" : "s") of \(skill.escapedForTerminal)")
        }
    }
}
