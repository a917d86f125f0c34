import Foundation

/// A query string as a browser's form sends it (`application/x-www-form-urlencoded`:
/// `+` is a space, `%2B` a plus), and the links that change one of its values.
///
/// ```swift
/// let query = FormQuery("skill=summarise&baseline=1.0&candidate=&last=7d")
/// query["baseline"]    // "1.0"
/// query["candidate"]   // nil: empty values count as absent
/// query.replacing("last", with: "30d")   // "skill=summarise&baseline=1.0&last=30d"
/// ```
struct FormQuery {
    /// The names and values, in order, decoded.
    private(set) var items: [(name: String, value: String)]

    init(_ query: String?) {
        items = (query ?? "").split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.flatMap({ Self.decode($0) }), !name.isEmpty else { return nil }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            return (name, value)
        }
    }

    init(items: [(name: String, value: String)]) {
        self.items = items
    }

    /// The first non-empty value of `name`, or `nil`.
    subscript(name: String) -> String? {
        items.first { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// This query with `name` set to `value` (or removed, for `nil`), its other items kept in order.
    func replacing(_ name: String, with value: String?) -> FormQuery {
        var items = self.items.filter { $0.name != name && !$0.value.isEmpty }
        if let value { items.append((name, value)) }
        return FormQuery(items: items)
    }

    /// The query as text for a link, each name and value percent-encoded; empty when there are no items.
    var encoded: String {
        items.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// `path`, followed by this query when it has items.
    func link(_ path: String) -> String {
        items.isEmpty ? path : path + "?" + encoded
    }

    /// The characters a query value keeps as they are (RFC 3986's unreserved ones).
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// A name or value percent-encoded for a query string.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A skill id as one path segment: `/` and every other reserved character percent-encoded.
    static func pathSegment(_ text: String) -> String {
        encode(text)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
