import ArgumentParser
import SkillForge

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one run by id, or every run of a skill.",
        discussion: """
            An unknown id, or a skill without runs, is an error. Deleting more than \
            \(DeletionOptions.handful) runs asks for confirmation on a terminal; without a \
            terminal (in a script) it is refused unless --yes.

            Examples:
              skill-forge delete --id 42
              skill-forge delete --skill old-experiment --dry-run
              skill-forge delete --skill old-experiment
              skill-forge delete --skill old-experiment --yes   # in a script
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deletion: DeletionOptions

    @Option(help: "The id of the run to delete.", reading: .number(atLeast: 1))
    var id: Int64?

    @Option(help: "Delete every run of this skill.")
    var skill: String?

    func validate() throws {
        guard (id == nil) != (skill == nil) else {
            throw ValidationError("Give exactly one of --id or --skill.")
        }
    }

    func run() async throws {
        let db = try await database.location.openExisting()
        if let id {
            guard try await db.metric(id: id) != nil else { throw ProfilerError.metricNotFound(id: id) }
            if deletion.dryRun {
                print("would delete run \(id)")
            } else {
                guard try await db.delete(id: id) else { throw ProfilerError.metricNotFound(id: id) }
                print("deleted run \(id)")
            }
        } else if let skill {
            func runs(_ count: Int) -> String { "\(runCount(count)) of \(skill.escapedForTerminal)" }
            let (count, lastId) = try await db.countAndLastId(matching: MetricsFilter(skillId: skill))
            guard count > 0 else { throw Refusal.skillNotFound(skill) }
            if deletion.dryRun {
                print("would delete \(runs(count))")
            } else {
                // Runs recorded while the user answers are not the ones they agreed to delete.
                try deletion.confirm(deleting: count, runs(count))
                print("deleted \(runs(try await db.deleteMetrics(forSkill: skill, upToId: lastId)))")
            }
        }
    }
}
