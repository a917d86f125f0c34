import Foundation
import Mustache
import SkillForge

/// `GET /`: every skill's runs, latency percentiles, tokens, failure rate and
/// last run, sortable (`?sort=p95`), over all runs or a window (`?last=7d`),
/// each row with the daily p95 of its last 14 days of runs.
///
/// Whole histories come from the store's totals and counts of execution
/// times, without reading a run, and are reused while a skill's totals are
/// unchanged (see ``OverviewData``).
struct OverviewPage {
    let collector: Collector
    let cache: DashboardCache
    let request: DashboardRequest

    /// The order without `?sort=`.
    static let defaultOrder = SummaryOrder.runs

    /// The sortable columns: header, the order it sorts by, its class.
    static let columns: [(label: String, order: SummaryOrder?, cssClass: String)] = [
        ("Skill", .skill, "text"), ("Runs", .runs, ""), ("p50", .p50, "phone-hide"), ("p95", .p95, ""),
        ("Tokens / run", .tokens, "phone-hide"), ("Cost / run", .costPerRun, "phone-hide"), ("Cost", .cost, "phone-hide"),
        ("Failure rate", .failureRate, ""), ("Last run", .lastRun, "phone-hide"),
        ("p95, last \(OverviewData.sparklineDays) days", nil, "phone-hide"),
    ]

    func render() async throws -> HTMLPage {
        let order = try sortOrder()
        let (window, windowLabel) = try request.window()
        let skills = try await OverviewData(collector: collector, cache: cache, timeZone: request.timeZone)
            .skills(in: window, sortedBy: order)
        let summaries = skills.map(\.summary)
        let now = request.now.unixMilliseconds
        let rows = skills.map { skill in
            var row = skill.row
            row.lastRun = DashboardFormat.relativeTime(skill.summary.lastRun, now: now, in: request.timeZone)
            return row
        }
        let model = OverviewModel(
            chrome: request.chrome(title: "Skills", location: collector.store.location),
            summary: Self.summaryLine(summaries, windowLabel: windowLabel),
            windowChoices: request.windowChoices,
            kpis: Self.figures(summaries, now: now, timeZone: request.timeZone),
            columns: Self.columns.map { column in
                OverviewModel.Column(
                    label: column.label, cssClass: column.cssClass,
                    href: column.order.map { request.link(setting: "sort", to: $0 == Self.defaultOrder ? nil : $0.rawValue) },
                    sortState: column.order == order ? (order == .skill ? "ascending" : "descending") : nil)
            },
            rows: rows,
            hasSkills: !rows.isEmpty,
            emptyText: window == .all
                ? "No runs are stored yet. Record some with skill-forge record, import or POST /v1/metrics."
                : "No runs in \(windowLabel).")
        return HTMLPage(html: try DashboardTemplates.render(model, as: .overview))
    }

    /// The order `?sort=` names (a `stats --sort` order), or the default.
    private func sortOrder() throws(DashboardProblem) -> SummaryOrder {
        guard let text = request.query["sort"] else { return Self.defaultOrder }
        guard let order = SummaryOrder(rawValue: text) else {
            let known = SummaryOrder.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badQuery("sort", "'\(text)' is no order; use one of \(known)")
        }
        return order
    }

    private static func summaryLine(_ summaries: [SkillSummary], windowLabel: String) -> String {
        let runs = summaries.reduce(0) { $0 + $1.runs }
        let skills = summaries.count == 1 ? "1 skill" : "\(Readable.count(summaries.count)) skills"
        return "\(skills) · \(DashboardFormat.runs(runs)) · \(windowLabel)"
    }

    /// The headline figures: runs, the overall failure rate, the slowest p95, the last run.
    private static func figures(_ summaries: [SkillSummary], now: Int64, timeZone: TimeZone) -> [Figure] {
        let runs = summaries.reduce(0) { $0 + $1.runs }
        let failures = summaries.reduce(0) { $0 + $1.failures }
        var figures = [
            Figure(label: "Runs", value: Readable.count(runs), note: "\(Readable.count(failures)) failed"),
            Figure(
                label: "Failure rate", value: runs > 0 ? Readable.percent(Double(failures) / Double(runs)) : "–",
                note: "all skills"),
        ]
        figures.append(costFigure(summaries))
        if let slowest = summaries.max(by: { $0.executionMs.p95 < $1.executionMs.p95 }) {
            figures.append(Figure(label: "Slowest p95", value: Readable.milliseconds(slowest.executionMs.p95), note: slowest.skillId))
        }
        if let latest = summaries.max(by: { $0.lastRun < $1.lastRun }) {
            figures.append(
                Figure(
                    label: "Last run", value: DashboardFormat.relativeTime(latest.lastRun, now: now, in: timeZone),
                    note: latest.skillId))
        }
        return figures
    }
}

extension OverviewPage {
    /// What the runs cost in all, over those whose cost is known, and the skill that cost most.
    private static func costFigure(_ summaries: [SkillSummary]) -> Figure {
        let runs = summaries.reduce(0) { $0 + $1.runs }
        let costRuns = summaries.reduce(0) { $0 + $1.costRuns }
        let priced = summaries.compactMap { summary in summary.cost.map { (summary.skillId, $0.total) } }
        guard let costliest = priced.max(by: { $0.1 < $1.1 }) else {
            return Figure(label: "Cost", value: "n/a", note: "no run's cost is known")
        }
        let total = priced.reduce(0) { $0 + $1.1 }
        let known = costRuns == runs ? "" : " · " + Readable.costKnown(costRuns, of: runs)
        return Figure(label: "Cost", value: Readable.dollars(total), note: "most: \(costliest.0)" + known)
    }
}

/// The model of ``DashboardTemplates/overview``.
struct OverviewModel {
    struct Column {
        var label: String
        var cssClass: String
        /// The link that sorts by this column, or `nil` for one that does not sort.
        var href: String?
        /// `descending` or `ascending` for the column the table is sorted by.
        var sortState: String?
    }

    struct Row {
        var skillId: String
        var href: String
        var runs: String
        var p50: String
        var p95: String
        var tokens: String
        var costPerRun: String
        var cost: String
        var failureRate: String
        var failureClass: String
        /// When it last ran, relative to the page's load (set by the page).
        var lastRun = ""
        var lastRunExact: String
        var lastRunISO: String
        var sparkSVG: String

        init(_ summary: SkillSummary, href: String, timeZone: TimeZone, sparkSVG: String) {
            skillId = summary.skillId
            self.href = href
            runs = Readable.count(summary.runs)
            p50 = Readable.milliseconds(summary.executionMs.p50)
            p95 = Readable.milliseconds(summary.executionMs.p95)
            tokens = Readable.tokens(summary.tokens?.total.mean)
            costPerRun = Readable.dollars(summary.cost?.mean)
            cost = Readable.dollars(summary.cost?.total)
            failureRate = Readable.percent(summary.failureRate)
            failureClass = DashboardFormat.failureClass(summary.failureRate)
            lastRunExact = DashboardFormat.exactTime(summary.lastRun, in: timeZone)
            lastRunISO = DashboardFormat.isoTime(summary.lastRun)
            self.sparkSVG = sparkSVG
        }
    }

    var chrome: PageChrome
    var summary: String
    var windowChoices: [Choice]
    var kpis: [Figure]
    var columns: [Column]
    var rows: [Row]
    var hasSkills: Bool
    var emptyText: String
}

extension OverviewModel.Row: MustacheParent {
    /// The row's fields by name, without reflection: a table of a few hundred
    /// skills renders in a fraction of the time `Mirror` takes.
    func child(named name: String) -> Any? {
        switch name {
        case "skillId": skillId
        case "href": href
        case "runs": runs
        case "p50": p50
        case "p95": p95
        case "tokens": tokens
        case "costPerRun": costPerRun
        case "cost": cost
        case "failureRate": failureRate
        case "failureClass": failureClass
        case "lastRun": lastRun
        case "lastRunExact": lastRunExact
        case "lastRunISO": lastRunISO
        case "sparkSVG": sparkSVG
        default: nil
        }
    }
}
