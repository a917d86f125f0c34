import Mustache

/// The dashboard's Mustache templates, parsed once.
///
/// The templates are Swift string constants (one file each, beside this one)
/// rather than `.mustache` resources: `skill-forge` stays one self-contained
/// binary that serves its dashboard wherever it is copied, with no resource
/// bundle to find at run time (`Bundle.module` stops the process when its
/// bundle is missing). Each page template extends ``layout`` through
/// Mustache's template inheritance.
///
/// ```swift
/// let html = try DashboardTemplates.render(model, as: .overview)
/// ```
///
/// Every `{{value}}` is HTML-escaped (swift-mustache's default content type);
/// only `{{{…SVG}}}` fields, drawn by the chart code that escapes its own
/// text, are inserted as they are.
enum DashboardTemplates {
    /// A page template.
    enum Page: String, CaseIterable {
        case overview, skill, compare, message
    }

    /// A template that does not parse: a bug of the dashboard, answered with 500.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Every template by name, or why one does not parse.
    static let library: Result<MustacheLibrary, Failure> = {
        var library = MustacheLibrary()
        let sources = [("layout", layout)] + Page.allCases.map { ($0.rawValue, source(of: $0)) }
        for (name, text) in sources {
            do {
                try library.register(text, named: name)
            } catch {
                return .failure(Failure(description: "the dashboard's template \(name) does not parse: \(error)"))
            }
        }
        return .success(library)
    }()

    /// The text of a page's template.
    static func source(of page: Page) -> String {
        switch page {
        case .overview: overview
        case .skill: skill
        case .compare: compare
        case .message: message
        }
    }

    /// A page rendered from its model.
    ///
    /// - Throws: ``Failure`` when the templates do not parse.
    static func render(_ model: Any, as page: Page) throws(Failure) -> String {
        let library = try library.get()
        guard let html = library.render(model, withTemplate: page.rawValue) else {
            throw Failure(description: "the dashboard has no template \(page.rawValue)")
        }
        return html
    }
}
