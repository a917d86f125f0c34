/// A skill's totals on one model: a row of the per-model breakdown that
/// `skills --by-model` and the dashboard's skill page show, from the rollups.
///
/// ```swift
/// let byModel = try await store.modelTotals(matching: MetricsFilter(skillId: "summarise")).map(ModelOverview.init)
/// for row in byModel { print(row.model ?? "(none)", row.overview.meanCostUsd ?? .nan) }
/// ```
///
/// Its JSON is the ``SkillOverview``'s with a `model` key (`null` for the runs recorded without one).
public struct ModelOverview: Sendable, Hashable, Encodable {
    /// The model; `nil` for the runs recorded without one.
    public var model: String?
    /// The skill's figures on this model.
    public var overview: SkillOverview

    /// The overview of a skill's totals on a model.
    public init(_ totals: ModelTotals) {
        model = totals.model
        overview = SkillOverview(SkillTotals(skillId: totals.skillId, totals: totals.totals))
    }

    private enum CodingKeys: String, CodingKey {
        case model
    }

    /// Encodes the overview's keys and `model`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try overview.encode(to: encoder)
    }
}
