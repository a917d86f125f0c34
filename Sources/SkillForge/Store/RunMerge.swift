import Foundation

// MARK: - A run as the merge of its contributions

/// A run as the merge of contributions (see ``RunContribution`` for the rules):
/// what a stored row and the events merged into it say, kept so that one more
/// contribution merges in the same way whatever the order. Every store merges
/// with it, so they agree to the bit.
///
/// ```swift
/// var run = RunMerge(stored: storedRow)   // or RunMerge(contribution)
/// run.add(RunMerge(contribution))
/// let row = run.metric(id: storedRow.id)
/// ```
struct RunMerge {
    /// A text chosen by the earliest time, then by its UTF-8 bytes: the first error, the first model.
    struct Earliest {
        var at: Int64
        var text: String

        /// The one of `a` and `b` that comes first (`nil` loses to any value).
        static func first(_ a: Earliest?, _ b: Earliest?) -> Earliest? {
            guard let a else { return b }
            guard let b else { return a }
            if a.at != b.at { return a.at < b.at ? a : b }
            return b.text.utf8.lexicographicallyPrecedes(a.text.utf8) ? b : a
        }
    }

    var runId: String
    var skillId: String
    var sessionId: String?
    var source: String?
    /// A stored row's version (contributions carry none).
    var version: String?
    var start: Int64
    var end: Int64
    var succeeded = true
    var firstError: Earliest?
    var firstModel: Earliest?
    var tokensIn: Int64 = 0
    var tokensOut: Int64 = 0
    var cacheRead: Int64?
    var cacheCreation: Int64?
    var costNanodollars: Int64?
    var tokensEstimated: Bool?
    /// Whether any contribution told the run's tokens: a run without one has unknown tokens, not 0.
    var hasUsage = false
    /// Contributions merged, per ``RunContribution/event`` kind.
    var events: [String: Int] = [:]

    /// The run of one contribution, which must be valid (``RunContribution/validationProblem``).
    init(_ contribution: RunContribution) {
        runId = contribution.runId
        skillId = contribution.skillId
        sessionId = contribution.sessionId
        source = contribution.source
        start = contribution.start
        end = contribution.end
        succeeded = contribution.succeeded ?? true
        if contribution.succeeded == false, let error = contribution.error {
            firstError = Earliest(at: contribution.end, text: error)
        }
        firstModel = contribution.model.map { Earliest(at: contribution.end, text: $0) }
        if let usage = contribution.usage {
            (tokensIn, tokensOut) = (usage.input, usage.output)
            (cacheRead, cacheCreation) = (usage.cacheRead, usage.cacheCreation)
            tokensEstimated = usage.isEstimated
            hasUsage = true
        }
        costNanodollars = contribution.costUsd.flatMap(Nanodollars.of)
        events[contribution.event] = 1
    }

    /// A stored run, which must be valid, with the bookkeeping of earlier merges read from its metadata.
    init(stored metric: SkillMetrics) {
        let bookkeeping = Bookkeeping(metadata: metric.metadata)
        runId = metric.runId ?? ""
        skillId = metric.skillId
        sessionId = metric.sessionId
        source = metric.source
        version = metric.version
        start = metric.timestamp
        end = metric.timestamp.saturatingAdd(metric.executionMs)
        succeeded = metric.success
        // A stored text without a time came first: nothing replaces it.
        firstError = metric.error.map { Earliest(at: bookkeeping.errorAt ?? .min, text: $0) }
        firstModel = metric.model.map { Earliest(at: bookkeeping.modelAt ?? .min, text: $0) }
        (tokensIn, tokensOut) = (metric.tokensIn, metric.tokensOut)
        (cacheRead, cacheCreation) = (metric.cacheReadTokens, metric.cacheCreationTokens)
        // A cost computed from a price list is not the source's: the merged run keeps stated costs only.
        costNanodollars = metric.costEstimated == true ? nil : metric.costUsd.flatMap(Nanodollars.of)
        tokensEstimated = metric.tokensEstimated
        hasUsage = metric.hasKnownTokens
        events = bookkeeping.events
    }

    /// Merges `other` in: commutative and associative, so order never matters.
    mutating func add(_ other: RunMerge) {
        start = min(start, other.start)
        end = max(end, other.end)
        succeeded = succeeded && other.succeeded
        firstError = Earliest.first(firstError, other.firstError)
        firstModel = Earliest.first(firstModel, other.firstModel)
        tokensIn = tokensIn.saturatingAdd(other.tokensIn)
        tokensOut = tokensOut.saturatingAdd(other.tokensOut)
        cacheRead = Self.sum(cacheRead, other.cacheRead)
        cacheCreation = Self.sum(cacheCreation, other.cacheCreation)
        costNanodollars = Self.sum(costNanodollars, other.costNanodollars)
        // Estimated if any tokens are, reported if all are, unknown without tokens.
        tokensEstimated = tokensEstimated == true || other.tokensEstimated == true
            ? true : (tokensEstimated ?? other.tokensEstimated)
        hasUsage = hasUsage || other.hasUsage
        events.merge(other.events, uniquingKeysWith: +)
        version = version ?? other.version
    }

    /// The row of the run, stored under `id` (`nil` for a new row); not yet validated.
    func metric(id: Int64?) -> SkillMetrics {
        let (executionMs, overflow) = end.subtractingReportingOverflow(start)
        let bookkeeping = Bookkeeping(events: events, errorAt: firstError?.at, modelAt: firstModel?.at)
        return SkillMetrics(
            id: id, skillId: skillId, executionMs: overflow ? .max : executionMs, tokensIn: tokensIn,
            tokensOut: tokensOut, success: succeeded, timestamp: start, version: version, model: firstModel?.text,
            error: firstError?.text, tokensEstimated: tokensEstimated, cacheReadTokens: cacheRead,
            cacheCreationTokens: cacheCreation, sessionId: sessionId, runId: runId, source: source,
            metadata: bookkeeping.text, costUsd: costNanodollars.map(Nanodollars.dollars),
            tokensKnown: hasUsage ? nil : false)
    }

    private static func sum(_ a: Int64?, _ b: Int64?) -> Int64? {
        guard let a else { return b }
        guard let b else { return a }
        return a.saturatingAdd(b)
    }
}

// MARK: - Bookkeeping

/// What a merged row's metadata keeps of its contributions:
/// `{"error_at":1795132801234,"events":{"api_request":2,"tool_result":1},"model_at":1795132800500}`,
/// keys in byte order, so that equal merges write equal text.
struct Bookkeeping {
    /// Contributions merged, per kind.
    var events: [String: Int] = [:]
    /// The time of the contribution whose error the row shows.
    var errorAt: Int64?
    /// The time of the contribution whose model the row shows.
    var modelAt: Int64?

    init(events: [String: Int], errorAt: Int64?, modelAt: Int64?) {
        (self.events, self.errorAt, self.modelAt) = (events, errorAt, modelAt)
    }

    /// Reads the bookkeeping of a stored row's metadata; what is not there (or not ours) is left empty.
    init(metadata: String?) {
        guard let metadata else { return }
        let text = JSONText(Array(metadata.utf8))
        guard let root = try? text.root(), root.kind == .object else { return }
        try? text.members(of: root) { key, value in
            if text.matches(key, "error_at") {
                errorAt = text.int64(value)
            } else if text.matches(key, "model_at") {
                modelAt = text.int64(value)
            } else if text.matches(key, "events"), value.kind == .object {
                try text.members(of: value) { kind, count in
                    if let count = text.int64(count), let kind = try? text.string(kind) { events[kind] = Int(clamping: count) }
                }
            }
        }
    }

    /// The metadata text; `nil` when there is nothing to keep.
    var text: String? {
        guard !events.isEmpty || errorAt != nil || modelAt != nil else { return nil }
        var buffer: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func key(_ name: StaticString) {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            JSONWriting.appendKey(name, to: &buffer)
        }
        if let errorAt {
            key("error_at")
            JSONWriting.appendInteger(errorAt, to: &buffer)
        }
        if !events.isEmpty {
            key("events")
            buffer.append(UInt8(ascii: "{"))
            for (index, kind) in events.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONWriting.appendString(kind, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                JSONWriting.appendInteger(Int64(events[kind] ?? 0), to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
        if let modelAt {
            key("model_at")
            JSONWriting.appendInteger(modelAt, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
        return String(decoding: buffer, as: UTF8.self)
    }
}

// MARK: - Validating a contribution

extension RunContribution {
    /// The row this contribution would make on its own, for validation (its cost as given).
    var ownRow: SkillMetrics {
        let (executionMs, overflow) = end.subtractingReportingOverflow(start)
        return SkillMetrics(
            skillId: skillId, executionMs: overflow ? .max : executionMs, tokensIn: usage?.input ?? 0,
            tokensOut: usage?.output ?? 0, success: succeeded ?? true, timestamp: start, model: model, error: error,
            tokensEstimated: usage?.isEstimated, cacheReadTokens: usage?.cacheRead, cacheCreationTokens: usage?.cacheCreation,
            sessionId: sessionId, runId: runId, source: source, costUsd: costUsd, tokensKnown: usage == nil ? false : nil)
    }

    /// The rule the contribution breaks on its own, or `nil`: an end before its start, or a field
    /// its row would refuse (``SkillMetrics/validate()``).
    var validationError: InvalidField? {
        if end < start {
            let (difference, overflow) = end.subtractingReportingOverflow(start)
            return InvalidField(field: "execution_ms", number: overflow ? .min : difference, problem: "the event ends before it starts")
        }
        do {
            try ownRow.validate()
            return nil
        } catch {
            return error
        }
    }
}
