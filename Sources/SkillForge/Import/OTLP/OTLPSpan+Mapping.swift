import Foundation

/// What one span of a document makes.
enum SpanItem {
    /// The span is no tool or agent execution.
    case ignored
    case metric(SkillMetrics)
    /// The span is an execution that cannot be a row: why, naming the span.
    case invalid(String)
}

extension OTLPSpan {
    /// What span `index` makes, whichever encoding it was read from.
    func item(in tree: SpanTree, at index: Int) -> SpanItem {
        guard isExecution else { return .ignored }
        switch metric(in: tree, at: index) {
        case .success(let metric): return .metric(metric)
        case .failure(let problem): return .invalid("span \(label): \(problem.description)")
        }
    }

    /// The row span `index` makes, or why it cannot.
    private func metric(in tree: SpanTree, at index: Int) -> Result<SkillMetrics, FieldProblem> {
        if let problem = problem ?? attributes.problem { return .failure(FieldProblem(problem)) }
        guard let traceId else { return .failure(FieldProblem("missing traceId")) }
        guard let spanId else { return .failure(FieldProblem("missing spanId")) }
        guard !traceId.allSatisfy({ $0 == "0" }) else { return .failure(FieldProblem("traceId is all zeros")) }
        guard !spanId.allSatisfy({ $0 == "0" }) else { return .failure(FieldProblem("spanId is all zeros")) }
        guard let startNano else { return .failure(FieldProblem("missing startTimeUnixNano")) }
        guard let endNano else { return .failure(FieldProblem("missing endTimeUnixNano")) }
        let executionMs: Int64
        if let given = attributes.executionMs {
            guard let given else { return .failure(FieldProblem("skill_forge.execution_ms is empty")) }
            executionMs = given
        } else {
            guard endNano >= startNano else {
                return .failure(FieldProblem("endTimeUnixNano \(endNano) is before startTimeUnixNano \(startNano)"))
            }
            let duration = endNano - startNano
            executionMs = Int64(duration / 1_000_000 + (duration % 1_000_000 >= 500_000 ? 1 : 0))
        }
        let skillId = [attributes.toolName, attributes.agentName, name].lazy.compactMap { $0 }.first { !$0.isEmpty }
        guard let skillId else { return .failure(FieldProblem("no gen_ai.tool.name, gen_ai.agent.name or span name")) }

        let usage = tree.usage(of: index)
        if let problem = usage.problem { return .failure(FieldProblem(problem)) }
        let success = !isError && attributes.errorType == nil
        var metric = SkillMetrics(
            skillId: skillId, executionMs: executionMs, tokensIn: usage.input ?? 0, tokensOut: usage.output ?? 0,
            success: success, timestamp: Int64(startNano / 1_000_000))
        metric.model = tree.model(of: index)
        metric.error = attributes.error
            ?? (success
                ? nil
                : statusMessage ?? attributes.exception.description ?? exceptionEvent.description ?? attributes.errorType)
        metric.cacheReadTokens = usage.cacheRead
        metric.cacheCreationTokens = usage.cacheCreation
        metric.sessionId = attributes.conversationId ?? attributes.sessionId
        metric.version = attributes.version ?? nil
        if usage.isFound {
            metric.tokensEstimated = attributes.tokensEstimated ?? false
        } else {
            // No token count on the span or below it (a tool call without usage): unknown, not 0.
            metric.tokensKnown = false
        }
        metric.runId = attributes.runId ?? "\(traceId)-\(spanId)"
        metric.source = attributes.source ?? "otlp"
        metric.metadata = attributes.metadata ?? nil
        metric.costUsd = attributes.costUsd
        return .success(metric)
    }
}
