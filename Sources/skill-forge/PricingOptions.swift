import ArgumentParser
import SkillForge

/// The `--pricing` option of the commands that write runs: the prices a run's
/// cost is computed from when its source states none.
struct PricingOptions: ParsableArguments {
    @Option(
        name: .customLong("pricing"),
        help: ArgumentHelp(
            "A price list to compute costs from, instead of the shipped one.",
            discussion: """
                A JSON file in the shape of LiteLLM's model_prices_and_context_window.json: model ids, each \
                with input_cost_per_token and output_cost_per_token (dollars per token), optionally \
                cache_read_input_token_cost, cache_creation_input_token_cost and one tier \
                (…_above_200k_tokens). A cost the source states is kept as given. See README.md, "Cost".
                """,
            valueName: "file"))
    var path: String?

    /// The list `--pricing` names, else the shipped one.
    ///
    /// - Throws: ``PriceListError`` naming the file, and the model and field at fault.
    func priceList() throws(PriceListError) -> PriceList {
        guard let path else { return .shipped }
        return try PriceList(contentsOfFile: path)
    }

    /// `run` with its cost computed by ``priceList()`` when its source states none.
    ///
    /// A run that names no model, or whose tokens are unknown, needs no price:
    /// the shipped list is then not even decoded (a few milliseconds of every
    /// `record` and hook call). A file given is always read, so a bad one is refused.
    func pricing(_ run: SkillMetrics) throws(PriceListError) -> SkillMetrics {
        guard path != nil || PriceList.mayPrice(run) else { return run }
        return try priceList().pricing(run)
    }
}
