extension DashboardTemplates {
    /// The frame of every page: head with the inline style sheet (and the meta
    /// refresh when asked for), the top bar, and a `content` block that each
    /// page fills (`{{<layout}}{{$content}}…{{/content}}{{/layout}}`).
    ///
    /// It reads the page's ``PageChrome`` as `chrome`.
    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#chrome.refresh}}<meta http-equiv="refresh" content="{{chrome.refresh}}">{{/chrome.refresh}}
        <title>{{chrome.title}} · Skill Forge</title>
        <style>
        \#(stylesheet)
        </style>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/"><svg viewBox="0 0 24 24" aria-hidden="true"><rect width="24" height="24" rx="6" fill="#4f46e5"/><path d="M6 16l4-5 3 3 5-7" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg><span>Skill Forge</span></a>
          <nav>
            <a href="/"{{#chrome.isSkills}} aria-current="page"{{/chrome.isSkills}}>Skills</a>
            <a href="/compare"{{#chrome.isCompare}} aria-current="page"{{/chrome.isCompare}}>Compare</a>
          </nav>
          <div class="refresh"><span class="pills-label">Auto-refresh</span><span class="pills">{{#chrome.refreshChoices}}<a href="{{href}}"{{#isCurrent}} aria-current="true"{{/isCurrent}}>{{label}}</a>{{/chrome.refreshChoices}}</span></div>
        </header>
        <main>
        {{$content}}{{/content}}
        </main>
        <footer>Read from <code title="{{chrome.location}}">{{chrome.locationName}}</code> at {{chrome.readAt}} · times in {{chrome.timeZone}} · percentiles are exact (linear interpolation, as numpy)</footer>
        </body>
        </html>
        """#
}
