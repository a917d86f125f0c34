// The pieces every page model is made of. Field names are what the templates
// read; none of them is repeated between a model and the parts it holds, so a
// missing value never picks up a parent's value of the same name (Mustache looks
// a name up the context stack).

/// What the layout shows around every page: the title, the navigation, the
/// auto-refresh choice, and where and when the data was read.
struct PageChrome {
    var title: String
    /// Seconds between reloads (`<meta http-equiv="refresh">`), or `nil` for none.
    var refresh: Int?
    var refreshChoices: [Choice]
    var isSkills: Bool
    var isCompare: Bool
    /// The store's location: the database file.
    var location: String
    /// Its last path component: the file's name. Stored, not computed: templates
    /// read a model's stored properties only.
    var locationName: String
    var readAt: String
    var timeZone: String
}

/// One link of a row of choices (a window, a version, an auto-refresh period).
struct Choice {
    var label: String
    var href: String
    var isCurrent: Bool
}

/// One headline figure.
struct Figure {
    var label: String
    var value: String
    var note: String
}

/// One chart in a card, with its legend.
struct ChartCard {
    struct LegendItem {
        var name: String
        var cssClass: String
    }

    var id: String
    var title: String
    var legend: [LegendItem]
    /// The chart's SVG markup, inserted as it is: ``SVGDocument`` escaped its text.
    var chartSVG: String
}

/// The model of ``DashboardTemplates/message``.
struct MessageModel {
    var chrome: PageChrome
    var heading: String
    var detail: String
}
