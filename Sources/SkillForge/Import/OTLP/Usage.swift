import Foundation

/// Token counts of a span or of a subtree.
struct Usage {
    var input: Int64?
    var output: Int64?
    var cacheRead: Int64?
    var cacheCreation: Int64?
    /// A malformed count, here or in a descendant counted.
    var problem: String?

    /// Whether any count is given.
    var isFound: Bool { input != nil || output != nil || cacheRead != nil || cacheCreation != nil || problem != nil }

    /// The count `value` gives, noting the first value of `key` that is no whole number.
    mutating func count(_ key: String, _ value: AttributeValue) -> Int64? {
        let count = value.integer
        if count == nil, problem == nil { problem = "\(key) \(value.shown): not a whole number" }
        return count
    }

    /// Adds a descendant's usage.
    mutating func add(_ other: Usage, from label: String) {
        if problem == nil, let inner = other.problem {
            problem = inner.hasPrefix("in descendant span") ? inner : "in descendant span \(label): \(inner)"
        }
        func sum(_ mine: Int64?, _ theirs: Int64?) -> Int64? {
            guard let theirs else { return mine }
            let (total, overflow) = (mine ?? 0).addingReportingOverflow(theirs)
            if overflow, problem == nil { problem = "the descendants' token counts add up to more than 64 bits hold" }
            return overflow ? Int64.max : total
        }
        input = sum(input, other.input)
        output = sum(output, other.output)
        cacheRead = sum(cacheRead, other.cacheRead)
        cacheCreation = sum(cacheCreation, other.cacheCreation)
    }
}

/// The models named in a subtree.
enum ModelChoice {
    case none
    case one(String)
    case several

    mutating func add(_ other: ModelChoice) {
        switch (self, other) {
        case (_, .none): break
        case (.none, _): self = other
        case (.one(let mine), .one(let theirs)) where mine == theirs: break
        default: self = .several
        }
    }

    var model: String? {
        if case .one(let model) = self { return model }
        return nil
    }
}

/// The spans of a document as a tree, with the usage and model of every subtree, computed when needed.
struct SpanTree {
    private let spans: [OTLPSpan]
    private var subtreeUsage: [Usage] = []
    private var subtreeModel: [ModelChoice] = []

    init(_ spans: [OTLPSpan]) {
        self.spans = spans
        // Only rows that lack usage or a model need their descendants.
        let needed = spans.contains { span in
            span.isExecution
                && (!span.attributes.usage.isFound
                    || (span.attributes.requestModel == nil && span.attributes.responseModel == nil))
        }
        if needed { aggregate() }
    }

    /// The usage of span `index`: its own, else its descendants' sum.
    /// The usage of span `index`: its own counts; else the totals the source put on it
    /// (`gen_ai.aggregated_usage.*`, as pydantic-ai does on an agent's span); else the sum of its descendants'.
    func usage(of index: Int) -> Usage {
        let attributes = spans[index].attributes
        if attributes.usage.isFound { return attributes.usage }
        if attributes.aggregatedUsage.isFound { return attributes.aggregatedUsage }
        return subtreeUsage.isEmpty ? attributes.usage : subtreeUsage[index]
    }

    /// The model of span `index`: its own, else its descendants' one model.
    func model(of index: Int) -> String? {
        let attributes = spans[index].attributes
        return attributes.requestModel ?? attributes.responseModel
            ?? (subtreeModel.isEmpty ? nil : subtreeModel[index].model)
    }

    /// Computes every subtree's usage and model, leaves first (Kahn's algorithm; spans in a cycle keep what they got).
    private mutating func aggregate() {
        var indexByKey: [String: Int] = [:]
        for (index, span) in spans.enumerated() {
            guard let trace = span.traceId, let id = span.spanId else { continue }
            let key = trace + id
            if indexByKey[key] == nil { indexByKey[key] = index }
        }
        var parent = [Int?](repeating: nil, count: spans.count)
        var pendingChildren = [Int](repeating: 0, count: spans.count)
        for (index, span) in spans.enumerated() {
            guard let trace = span.traceId, let parentId = span.parentSpanId,
                let found = indexByKey[trace + parentId], found != index
            else { continue }
            parent[index] = found
            pendingChildren[found] += 1
        }
        var childUsage = [Usage](repeating: Usage(), count: spans.count)
        var childModels = [ModelChoice](repeating: .none, count: spans.count)
        subtreeUsage = childUsage
        subtreeModel = childModels
        var ready = spans.indices.filter { pendingChildren[$0] == 0 }
        var done = [Bool](repeating: false, count: spans.count)
        while let index = ready.popLast() {
            done[index] = true
            let attributes = spans[index].attributes
            subtreeUsage[index] = attributes.usage.isFound ? attributes.usage : childUsage[index]
            if let own = attributes.requestModel ?? attributes.responseModel {
                subtreeModel[index] = .one(own)
            } else {
                subtreeModel[index] = childModels[index]
            }
            guard let up = parent[index] else { continue }
            childUsage[up].add(subtreeUsage[index], from: spans[index].label)
            childModels[up].add(subtreeModel[index])
            pendingChildren[up] -= 1
            if pendingChildren[up] == 0 { ready.append(up) }
        }
        for index in spans.indices where !done[index] {
            subtreeUsage[index] = childUsage[index]
            subtreeModel[index] = childModels[index]
        }
    }
}
