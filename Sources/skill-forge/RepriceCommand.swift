import ArgumentParser
import SkillForge

struct RepriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprice",
        abstract: "Compute the cost of stored runs again from a price list.",
        discussion: """
            Runs whose cost is unknown or was computed (cost_estimated = 1) get the cost \
            the price list gives their model and tokens; a cost the source stated is never \
            touched. A run whose model the list does not price, or whose tokens are unknown, \
            keeps an unknown cost (never $0). Runs are read in batches, each written in one \
            transaction that keeps the rollups in step, and repricing twice changes nothing \
            the second time. Use it on a database written before costs were computed, or \
            after refreshing the prices.

            Examples:
              skill-forge reprice
              skill-forge reprice --pricing my-prices.json --skill summarise --since 30d
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Only runs of this skill.")
    var skill: String?

    func run() async throws {
        let prices = try pricing.priceList()
        let db = try database.location.openFile(readOnly: false, for: "reprice")
        let progress = ProgressLine()
        let summary = try await InterruptibleTask.run {
            defer { progress.clear() }
            return try await db.reprice(MetricsFilter(skillId: skill, window: range.window), with: prices) { step in
                progress.show("\(runCount(step.examined)) examined")
            }
        }
        print(
            "\(runCount(summary.examined)) with an unknown or computed cost: \(summary.changed) changed, "
                + "\(summary.priced) priced, \(summary.unknown) unknown (prices: \(prices.source.escapedForTerminal))")
    }
}
