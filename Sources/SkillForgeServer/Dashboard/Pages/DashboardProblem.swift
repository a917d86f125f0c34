import Hummingbird

/// Why a dashboard page cannot be shown, as a page of its own: an unknown
/// skill (404), a query value the dashboard cannot read (400).
///
/// ```swift
/// throw DashboardProblem(status: .notFound, heading: "No such skill", detail: "No runs of summarise are stored.")
/// ```
struct DashboardProblem: Error {
    var status: HTTPResponse.Status
    var heading: String
    var detail: String

    /// 404 for a skill without stored runs.
    static func unknownSkill(_ skillId: String) -> DashboardProblem {
        DashboardProblem(status: .notFound, heading: "No skill \(skillId)", detail: "No runs of \(skillId) are stored.")
    }

    /// 404 for a version the skill never ran.
    static func unknownVersion(_ version: String, of skillId: String, versions: [String]) -> DashboardProblem {
        DashboardProblem(
            status: .notFound, heading: "No version \(version) of \(skillId)",
            detail: "Its versions: \(versions.joined(separator: ", ")).")
    }

    /// 400 for a query value that cannot be read, naming the field and what it accepts.
    static func badQuery(_ field: String, _ detail: String) -> DashboardProblem {
        DashboardProblem(status: .badRequest, heading: "This page cannot be shown", detail: "?\(field): \(detail)")
    }
}
