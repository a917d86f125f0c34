extension DashboardTemplates {
    /// A page that only says something: an unknown skill (404), a query the
    /// dashboard cannot read (400), a store that cannot be read now (503). Reads ``MessageModel``.
    static let message = #"""
        {{<layout}}{{$content}}
        <div class="head"><div><h1>{{heading}}</h1><p class="sub">{{detail}}</p></div></div>
        <p><a href="/">← All skills</a></p>
        {{/content}}{{/layout}}
        """#
}
