extension DashboardTemplates {
    /// `GET /`: every skill in a table sortable by its column headers, each row
    /// with a latency sparkline and a link to the skill's page. Reads ``OverviewModel``.
    static let overview = #"""
        {{<layout}}{{$content}}
        <div class="head">
          <div>
            <h1>Skills</h1>
            <p class="sub">{{summary}}</p>
          </div>
          <div class="controls">
            <span class="control"><span class="pills-label">Window</span>
            <span class="pills">{{#windowChoices}}<a href="{{href}}"{{#isCurrent}} aria-current="true"{{/isCurrent}}>{{label}}</a>{{/windowChoices}}</span></span>
          </div>
        </div>
        <section class="kpis">
        {{#kpis}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{value}}</div><div class="note">{{note}}</div></div>
        {{/kpis}}
        </section>
        <section class="card">
          {{#hasSkills}}
          <div class="table-wrap">
          <table id="skills">
            <thead><tr>
            {{#columns}}<th scope="col" class="{{cssClass}}"{{#sortState}} aria-sort="{{sortState}}"{{/sortState}}>{{#href}}<a href="{{href}}">{{label}}</a>{{/href}}{{^href}}{{label}}{{/href}}</th>{{/columns}}
            </tr></thead>
            <tbody>
            {{#rows}}
            <tr data-skill="{{skillId}}">
              <td class="skill"><a href="{{href}}">{{skillId}}</a></td>
              <td>{{runs}}</td>
              <td class="phone-hide">{{p50}}</td>
              <td>{{p95}}</td>
              <td class="phone-hide">{{tokens}}</td>
              <td class="phone-hide">{{costPerRun}}</td>
              <td class="phone-hide">{{cost}}</td>
              <td><span class="rate {{failureClass}}">{{failureRate}}</span></td>
              <td class="muted phone-hide"><time datetime="{{lastRunISO}}" title="{{lastRunExact}}">{{lastRun}}</time></td>
              <td class="spark-cell phone-hide">{{{sparkSVG}}}</td>
            </tr>
            {{/rows}}
            </tbody>
          </table>
          </div>
          {{/hasSkills}}
          {{^hasSkills}}<div class="empty">{{emptyText}}</div>{{/hasSkills}}
        </section>
        {{/content}}{{/layout}}
        """#
}
