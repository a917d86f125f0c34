// MARK: - Planning a merge

/// What one call of ``MetricsStore/merge(_:)`` writes, worked out before anything
/// is written, the same way for every store: which contributions are new (their
/// event not merged before), valid, and keep their run valid once merged in, and
/// the rows that result. A store then writes ``updates`` (over their stored rows),
/// ``inserts`` and ``mergedEvents`` in one transaction.
///
/// ```swift
/// let plan = try MergePlan(contributions, isMerged: { key in mergedKeys.contains(key) },
///                          storedRun: { runId in rows.first { $0.runId == runId } })
/// ```
package struct MergePlan {
    /// An event merged into a run, as a store records it.
    package struct MergedEvent: Hashable, Sendable {
        /// ``RunContribution/eventKey``.
        package var key: Int64
        /// ``RunContribution/start``: no earlier than the start of the run it is in,
        /// so `prune` can tell when the run is gone (``MetricsStore/prune(before:upToId:)``).
        package var started: Int64
    }

    /// Stored runs with contributions merged in, with their ids.
    package private(set) var updates: [SkillMetrics] = []
    /// New runs.
    package private(set) var inserts: [SkillMetrics] = []
    /// The events of the contributions merged, to record.
    package private(set) var mergedEvents: [MergedEvent] = []
    /// What the call does.
    package private(set) var result = MergeResult()

    /// Plans the merge of `contributions`.
    ///
    /// - Parameters:
    ///   - isMerged: Whether the store holds an event key already.
    ///   - storedRun: The stored row of a run id, or `nil`.
    package init(
        _ contributions: [RunContribution], isMerged: (Int64) throws -> Bool, storedRun: (String) throws -> SkillMetrics?
    ) rethrows {
        var seen: Set<Int64> = []
        // The new contributions of each run, runs in the order they first appear.
        var runs: [String] = []
        var byRun: [String: [(index: Int, contribution: RunContribution)]] = [:]
        for (index, contribution) in contributions.enumerated() {
            if try seen.contains(contribution.eventKey) || isMerged(contribution.eventKey) {
                result.alreadyMerged += 1
                continue
            }
            if let problem = contribution.validationError {
                result.refused.append(MergeResult.Refusal(index: index, problem: problem))
                continue
            }
            seen.insert(contribution.eventKey)
            if byRun[contribution.runId] == nil { runs.append(contribution.runId) }
            byRun[contribution.runId, default: []].append((index, contribution))
        }
        for runId in runs {
            try plan(byRun[runId] ?? [], stored: storedRun(runId))
        }
        result.refused.sort { $0.index < $1.index }
    }

    /// Merges one run's new contributions into its stored row (if any), all at once when the
    /// result is valid, else one at a time, refusing each that would make the run break a rule.
    private mutating func plan(_ contributions: [(index: Int, contribution: RunContribution)], stored: SkillMetrics?) {
        if let stored, let problem = stored.validationError {
            // A row another tool broke is not merged into (its cost, say, could not be added to).
            result.refused += contributions.map { MergeResult.Refusal(index: $0.index, problem: problem) }
            return
        }
        let base = stored.map(RunMerge.init(stored:))
        func merging(_ run: RunMerge?, _ contribution: RunContribution) -> RunMerge {
            guard var run else { return RunMerge(contribution) }
            run.add(RunMerge(contribution))
            return run
        }
        if let whole = contributions.reduce(base, { merging($0, $1.contribution) }),
            whole.metric(id: stored?.id).validationError == nil
        {
            return record(whole, merging: contributions, into: stored)
        }
        var run = base
        var accepted: [(index: Int, contribution: RunContribution)] = []
        for entry in contributions {
            let candidate = merging(run, entry.contribution)
            if let problem = candidate.metric(id: stored?.id).validationError {
                result.refused.append(MergeResult.Refusal(index: entry.index, problem: problem))
            } else {
                run = candidate
                accepted.append(entry)
            }
        }
        if let run, !accepted.isEmpty { record(run, merging: accepted, into: stored) }
    }

    /// Keeps the merged `run` and the contributions it took in.
    private mutating func record(
        _ run: RunMerge, merging contributions: [(index: Int, contribution: RunContribution)], into stored: SkillMetrics?
    ) {
        result.merged += contributions.count
        mergedEvents += contributions.map { MergedEvent(key: $0.contribution.eventKey, started: $0.contribution.start) }
        if let stored {
            updates.append(run.metric(id: stored.id))
            result.updatedRuns += 1
        } else {
            inserts.append(run.metric(id: nil))
            result.insertedRuns += 1
        }
    }
}
