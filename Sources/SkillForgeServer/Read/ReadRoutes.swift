import Foundation
import Hummingbird
import SkillForge

/// The read API: the analysis results as JSON in the shapes of the CLI's
/// `--format json` (docs/ANALYSIS.md), with the CLI's filters as query
/// parameters (`since`, `until`, `last`, `version`, `model`).
///
/// | Route | Like |
/// |---|---|
/// | `GET /v1/skills` | `skills --format json` |
/// | `GET /v1/skills/{id}/summary` | `stats ID --format json` (one object; `tokens-p95=true`) |
/// | `GET /v1/skills/{id}/timeseries` | `trend ID --format json` (`bucket`, `tz`) |
/// | `GET /v1/skills/{id}/metrics` | `metrics ID --format json`, newest first, by pages (`limit`, `cursor`) |
/// | `GET /v1/compare` | `compare --format json` (`skill`, `baseline`, `candidate`, `baseline-window`, `candidate-window`) |
/// | `GET /v1/candidates` | `candidates --format json` (`last`, `min-runs`, `all` …) |
struct ReadRoutes {
    let collector: Collector

    var routes: [Route] {
        [
            .get("v1/skills") { _, _ in try await skills() },
            .get("v1/skills/:id/summary") { request, context in try await summary(request, skill: try Self.skill(in: context)) },
            .get("v1/skills/:id/timeseries") { request, context in
                try await timeSeries(request, skill: try Self.skill(in: context))
            },
            .get("v1/skills/:id/metrics") { request, context in try await metrics(request, skill: try Self.skill(in: context)) },
            .get("v1/compare") { request, _ in try await compare(request) },
            .get("v1/candidates") { request, _ in try await candidates(request) },
        ]
    }

    private var analyzer: Analyzer { collector.analyzer }

    // MARK: - Skills

    private func skills() async throws -> Response {
        let report = try await collector.store.skillTotals(matching: MetricsFilter())
        return JSONBody.response(report.skills.map(SkillOverview.init))
    }

    private func summary(_ request: Request, skill: String) async throws -> Response {
        let query = ReadQuery(request)
        let filter = try query.filter(skill: skill)
        let summary = try await analyzer.summary(
            forSkill: skill, window: filter.window, version: filter.version, model: filter.model,
            includingTokenPercentiles: try query.flag("tokens-p95"))
        guard let summary else { throw Self.noRuns(of: skill) }
        return JSONBody.response(summary)
    }

    private func timeSeries(_ request: Request, skill: String) async throws -> Response {
        let query = ReadQuery(request)
        let filter = try query.filter(skill: skill)
        var zone = TimeZone.gmt
        if let name = query.string("tz") {
            do {
                zone = try TimeText.timeZone(name)
            } catch {
                throw ReadQuery.invalid("tz", error.description)
            }
        }
        let points = try await analyzer.timeSeries(
            forSkill: skill, bucket: try query.choice("bucket", default: TimeBucket.day), window: filter.window, timeZone: zone,
            version: filter.version, model: filter.model)
        return JSONBody.response(points)
    }

    // MARK: - Runs

    /// One page of runs and the cursor of the next.
    struct MetricsPageAnswer: Encodable {
        var metrics: [SkillMetrics]
        var nextCursor: String?
    }

    private func metrics(_ request: Request, skill: String) async throws -> Response {
        let query = ReadQuery(request)
        var filter = try query.filter(skill: skill)
        filter.order = .newestFirst
        let size = try query.integer("limit", default: 100, in: 1...1_000)
        var page = MetricsPage(filter: filter, size: size)
        if let text = query.string("cursor") {
            guard let cursor = PageCursor(text) else { throw ReadQuery.invalid("cursor", "is not a cursor this API gave") }
            page.after = (cursor.timestamp, cursor.id)
            page.upToId = cursor.upToId
        } else {
            page.upToId = try await collector.store.lastId()
        }
        let runs = try await collector.store.metricsPage(page)
        var next: String?
        if runs.count == size, let last = runs.last, let id = last.id {
            next = PageCursor(timestamp: last.timestamp, id: id, upToId: page.upToId).text
        }
        return JSONBody.response(MetricsPageAnswer(metrics: runs, nextCursor: next))
    }

    // MARK: - Comparing and judging

    private func compare(_ request: Request) async throws -> Response {
        let query = ReadQuery(request)
        let skill = try query.required("skill")
        let baseline = ComparisonSide(version: query.string("baseline"), window: try query.window(named: "baseline-window") ?? .all)
        let candidate = ComparisonSide(version: query.string("candidate"), window: try query.window(named: "candidate-window") ?? .all)
        guard baseline.version != nil || baseline.window != .all else {
            throw ReadQuery.invalid("baseline", "give the baseline: baseline=VERSION and/or baseline-window=START..END")
        }
        guard candidate.version != nil || candidate.window != .all else {
            throw ReadQuery.invalid("candidate", "give the candidate: candidate=VERSION and/or candidate-window=START..END")
        }
        let options = ComparisonOptions(
            alpha: try query.number("alpha", default: 0.05, in: 0.000_001...0.999_999),
            minimumRuns: try query.integer("min-runs", default: 20, in: 1...1_000_000),
            minimumRelativeChange: try query.number("min-change", default: 0.05, in: 0...1_000),
            model: query.string("model"))
        return JSONBody.response(try await analyzer.compare(skill: skill, baseline: baseline, candidate: candidate, options: options))
    }

    private func candidates(_ request: Request) async throws -> Response {
        let query = ReadQuery(request)
        var thresholds = CandidateThresholds()
        if let last = query.string("last") {
            do {
                thresholds.period = try TimeText.span(last)
            } catch {
                throw ReadQuery.invalid("last", error.description)
            }
        }
        thresholds.minimumRuns = try query.integer("min-runs", default: thresholds.minimumRuns, in: 1...1_000_000)
        thresholds.slowFactor = try query.number("slow-factor", default: thresholds.slowFactor, in: 1.000_001...1_000_000)
        thresholds.tokenFactor = try query.number("token-factor", default: thresholds.tokenFactor, in: 1.000_001...1_000_000)
        thresholds.failureRate = try query.number("failure-rate", default: thresholds.failureRate, in: 0.000_001...1)
        thresholds.regression = try query.number("regression", default: thresholds.regression, in: 0.000_001...1_000_000)
        let all = try query.flag("all")
        let judged = try await analyzer.candidates(thresholds: thresholds)
        return JSONBody.response(judged.filter { all || [Recommendation.optimize, .monitor].contains($0.recommendation) })
    }

    /// The skill a path names, percent-decoded (`mcp:github%2Fcreate_issue` is `mcp:github/create_issue`).
    private static func skill(in context: CollectorRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    private static func noRuns(of skill: String) -> ProblemDetails {
        ProblemDetails(status: .notFound, title: "Not Found", detail: "no runs of \(skill.debugDescription) match")
    }
}

/// Where a page of runs ends: the last run's start and id, and the highest id
/// the first page saw (so rows written since do not shift the pages).
struct PageCursor: Equatable {
    var timestamp: Int64
    var id: Int64
    var upToId: Int64?

    /// `timestamp.id.upToId` in base64url, no padding.
    var text: String {
        let plain = "\(timestamp).\(id).\(upToId.map(String.init) ?? "")"
        return Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(timestamp: Int64, id: Int64, upToId: Int64?) {
        (self.timestamp, self.id, self.upToId) = (timestamp, id, upToId)
    }

    /// Reads a cursor's text, or `nil` for anything this API did not give.
    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 120, let data = Data(base64Encoded: base64) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let timestamp = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        let upToId = parts[2].isEmpty ? nil : Int64(parts[2])
        guard parts[2].isEmpty || upToId != nil else { return nil }
        self.init(timestamp: timestamp, id: id, upToId: upToId)
    }
}
