import Foundation
import Hummingbird
import Logging
import SkillForge

/// The dashboard: server-rendered HTML pages, with inline CSS and SVG charts,
/// that work offline and without JavaScript.
///
/// - `GET /`: every skill (``OverviewPage``); `?sort=p95`, `?last=7d`.
/// - `GET /skills/{id}`: one skill (``SkillPage``); `?last=7d`, `?version=2.0`, `?bucket=day`.
/// - `GET /compare`: two versions or windows of a skill (``ComparePage``);
///   `?skill=&baseline=&candidate=&baseline-window=&candidate-window=`.
///
/// Every page takes `?refresh=30` (reload every 30 seconds) and reads the store
/// afresh on each load, so runs another process writes show on the next one.
///
/// ```swift
/// DashboardRoutes(collector: collector).add(to: router)
/// ```
struct DashboardRoutes {
    let collector: Collector
    /// The zone that times and day buckets are shown in.
    var timeZone: TimeZone = .current
    /// What the pages computed from each skill's runs, while they are unchanged.
    let cache = DashboardCache()

    var routes: [Route] {
        [
            .get("/") { request, context in
                try await page(request, context) { request in
                    try await OverviewPage(collector: collector, cache: cache, request: request).render()
                }.response(from: request, context: context)
            },
            .get("skills/:id") { request, context in
                let raw = context.parameters.get("id") ?? ""
                let skillId = raw.removingPercentEncoding ?? raw
                return try await page(request, context, path: SkillPage.link(skillId)) { request in
                    try await SkillPage(collector: collector, cache: cache, request: request, skillId: skillId).render()
                }.response(from: request, context: context)
            },
            .get("compare") { request, context in
                try await page(request, context) { request in
                    try await ComparePage(collector: collector, request: request).render()
                }.response(from: request, context: context)
            },
        ]
    }

    /// Computes what the overview shows of every skill over all runs, so that
    /// the first load after the server starts reads only the store's totals:
    /// on a large store that computation takes seconds (7 s for 200 skills at
    /// 10 million rows, docs/PERFORMANCE.md). Returns the number of skills.
    ///
    /// ```swift
    /// let skills = try await dashboard.warmUp()
    /// ```
    func warmUp() async throws -> Int {
        try await OverviewData(collector: collector, cache: cache, timeZone: timeZone)
            .skills(in: .all, sortedBy: OverviewPage.defaultOrder).count
    }

    /// The page `build` makes for the request, or a page that says why it cannot be shown.
    ///
    /// - Parameter path: The page's path as its links write it (the request's, by default).
    private func page(
        _ request: Request, _ context: CollectorRequestContext, path: String? = nil,
        _ build: (DashboardRequest) async throws -> HTMLPage
    ) async -> HTMLPage {
        let now = Date()
        do {
            let dashboardRequest = try DashboardRequest(
                path: path ?? request.uri.path, query: FormQuery(request.uri.query), now: now, timeZone: timeZone)
            return try await build(dashboardRequest)
        } catch let problem as DashboardProblem {
            return message(problem.heading, problem.detail, status: problem.status, now: now)
        } catch let error as ProfilerError {
            context.logger.error("the dashboard could not read the store", metadata: ["error": "\(error)"])
            return message(
                "The database cannot be read now", "Reload the page in a moment; the server's log says why.",
                status: .serviceUnavailable, now: now)
        } catch {
            context.logger.error("the dashboard failed", metadata: ["error": "\(error)"])
            return message("This page failed", "The server's log says why.", status: .internalServerError, now: now)
        }
    }

    /// A page that only says something, with `status`.
    private func message(_ heading: String, _ detail: String, status: HTTPResponse.Status, now: Date) -> HTMLPage {
        let request = (try? DashboardRequest(path: "/", query: FormQuery(nil), now: now, timeZone: timeZone))
        let chrome = request?.chrome(title: heading, location: collector.store.location)
        let html = chrome.flatMap { try? DashboardTemplates.render(MessageModel(chrome: $0, heading: heading, detail: detail), as: .message) }
        return HTMLPage(
            status: status,
            html: html ?? "<!doctype html><title>Skill Forge</title><h1>\(HTMLEscaping.escape(heading))</h1><p>\(HTMLEscaping.escape(detail))</p>")
    }
}
