extension DashboardTemplates {
    /// `GET /skills/{id}`: one skill's figures, its charts over time, the latency
    /// histogram, its versions side by side with the verdict of the latest against
    /// the one before, its models with their cost, and its recent failures. Reads ``SkillModel``.
    static let skill = #"""
        {{<layout}}{{$content}}
        <div class="crumbs"><a href="/">Skills</a> /</div>
        <div class="head">
          <div>
            <h1 id="skill-id">{{skillId}}</h1>
            <p class="sub">{{summary}}</p>
          </div>
          <div class="controls">
            <span class="control"><span class="pills-label">Window</span>
            <span class="pills">{{#windowChoices}}<a href="{{href}}"{{#isCurrent}} aria-current="true"{{/isCurrent}}>{{label}}</a>{{/windowChoices}}</span></span>
            {{#hasVersionChoices}}<span class="control"><span class="pills-label">Version</span>
            <span class="pills">{{#versionChoices}}<a href="{{href}}"{{#isCurrent}} aria-current="true"{{/isCurrent}}>{{label}}</a>{{/versionChoices}}</span></span>{{/hasVersionChoices}}
          </div>
        </div>
        {{#hasRuns}}
        <section class="kpis">
        {{#kpis}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{value}}</div><div class="note">{{note}}</div></div>
        {{/kpis}}
        </section>
        <div class="charts">
        {{#charts}}
          <section class="card" id="{{id}}">
            <header><h2>{{title}}</h2><div class="legend">{{#legend}}<span class="{{cssClass}}">{{name}}</span>{{/legend}}</div></header>
            <div class="body">{{{chartSVG}}}</div>
          </section>
        {{/charts}}
        </div>
        {{/hasRuns}}
        {{^hasRuns}}<section class="card"><div class="empty">{{emptyText}}</div></section>{{/hasRuns}}
        {{#hasVersions}}
        <section class="card" id="versions">
          <header><h2>Versions</h2>{{#verdict}}<div><span class="badge {{badgeClass}}">{{verdictText}}</span> <span class="hint">{{headline}} · <a href="{{href}}">compare in detail</a></span></div>{{/verdict}}</header>
          <div class="body table-wrap">
          <table>
            <thead><tr><th scope="col">Version</th><th scope="col">Runs</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col" class="phone-hide">Tokens / run</th><th scope="col" class="phone-hide">Cost / run</th><th scope="col">Failure rate</th><th scope="col" class="phone-hide">Runs from</th><th scope="col" class="phone-hide">to</th></tr></thead>
            <tbody>
            {{#versions}}<tr><td class="skill"><a href="{{href}}">{{name}}</a></td><td>{{runs}}</td><td>{{p50}}</td><td>{{p95}}</td><td class="phone-hide">{{tokens}}</td><td class="phone-hide">{{costPerRun}}</td><td><span class="rate {{failureClass}}">{{failureRate}}</span></td><td class="muted phone-hide">{{firstRun}}</td><td class="muted phone-hide">{{lastRun}}</td></tr>
            {{/versions}}
            </tbody>
          </table>
          </div>
        </section>
        {{/hasVersions}}
        {{#hasModels}}
        <section class="card" id="models">
          <header><h2>Models</h2><span class="hint">cost over the runs whose cost is known</span></header>
          <div class="body table-wrap">
          <table>
            <thead><tr><th scope="col" class="text">Model</th><th scope="col">Runs</th><th scope="col">Mean</th><th scope="col" class="phone-hide">Tokens / run</th><th scope="col">Failure rate</th><th scope="col">Cost / run</th><th scope="col" class="phone-hide">Cost</th></tr></thead>
            <tbody>
            {{#models}}<tr><td class="text">{{name}}</td><td>{{runs}}</td><td>{{mean}}</td><td class="phone-hide">{{tokens}}</td><td><span class="rate {{failureClass}}">{{failureRate}}</span></td><td>{{costPerRun}}</td><td class="phone-hide">{{cost}}</td></tr>
            {{/models}}
            </tbody>
          </table>
          </div>
        </section>
        {{/hasModels}}
        <section class="card" id="failures">
          <header><h2>Recent failures</h2><span class="hint">{{failuresNote}}</span></header>
          {{#hasFailures}}
          <div class="body table-wrap">
          <table>
            <thead><tr><th scope="col" class="text">When</th><th scope="col" class="text">Version</th><th scope="col" class="text phone-hide">Model</th><th scope="col">Duration</th><th scope="col" class="text">Error</th></tr></thead>
            <tbody>
            {{#failures}}<tr><td class="muted"><time datetime="{{timeISO}}" title="{{timeExact}}">{{time}}</time></td><td class="text">{{version}}</td><td class="text muted phone-hide">{{model}}</td><td>{{duration}}</td><td class="error">{{error}}</td></tr>
            {{/failures}}
            </tbody>
          </table>
          </div>
          {{/hasFailures}}
          {{^hasFailures}}<div class="empty">No failures among these runs.</div>{{/hasFailures}}
        </section>
        {{/content}}{{/layout}}
        """#
}
