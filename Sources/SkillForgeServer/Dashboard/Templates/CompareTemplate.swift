extension DashboardTemplates {
    /// `GET /compare`: a form to pick a skill and two versions or windows, then
    /// the comparison as `skill-forge compare` gives it (the verdict, its reasons,
    /// each measure with its test) and both distributions drawn. Reads ``CompareModel``.
    static let compare = #"""
        {{<layout}}{{$content}}
        <div class="head"><div><h1>Compare</h1><p class="sub">Two versions of a skill, or two periods: Mann-Whitney U on latency, tokens and cost, Fisher's exact or the z-test on the failure rate.</p></div></div>
        <section class="card">
          <form class="pick" method="get" action="/compare">
            <fieldset class="one"><legend>Skill</legend>
              <select name="skill" aria-label="Skill" onchange="for (const f of ['baseline', 'candidate', 'baseline-window', 'candidate-window']) this.form[f].value = ''; this.form.submit()">{{#skills}}<option value="{{value}}"{{#isSelected}} selected{{/isSelected}}>{{label}}</option>{{/skills}}</select>
            </fieldset>
            {{#sides}}
            <fieldset>
              <legend>{{title}}</legend>
              <label>Version<select name="{{versionField}}">{{#versions}}<option value="{{value}}"{{#isSelected}} selected{{/isSelected}}>{{label}}</option>{{/versions}}</select></label>
              <label>Window <input type="text" name="{{windowField}}" value="{{window}}" placeholder="{{placeholder}}" spellcheck="false"></label>
            </fieldset>
            {{/sides}}
            <div><button type="submit">Compare</button></div>
          </form>
        </section>
        {{#message}}<div class="message">{{message}}</div>{{/message}}
        {{#result}}
        <div class="verdict {{badgeClass}}" id="verdict">
          <span class="badge {{badgeClass}}">{{verdictText}}</span>
          <span class="headline">{{headline}}</span>
        </div>
        {{#hasReasons}}<ul class="reasons">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>{{/hasReasons}}
        <section class="card">
          <div class="table-wrap">
          <table id="comparison">
            <thead><tr><th scope="col"></th><th scope="col">Baseline</th><th scope="col">Candidate</th><th scope="col">Change</th><th scope="col" class="text">Test</th></tr></thead>
            <tbody>
            {{#rows}}<tr><td class="measure">{{measure}}</td><td>{{baseline}}</td><td>{{candidate}}</td><td>{{change}}</td><td class="test"><span class="dir-{{direction}}">{{test}}</span></td></tr>
            {{/rows}}
            </tbody>
          </table>
          </div>
        </section>
        <div class="charts">
        {{#charts}}
          <section class="card" id="{{id}}">
            <header><h2>{{title}}</h2><div class="legend">{{#legend}}<span class="{{cssClass}}">{{name}}</span>{{/legend}}</div></header>
            <div class="body">{{{chartSVG}}}</div>
          </section>
        {{/charts}}
        </div>
        {{/result}}
        {{/content}}{{/layout}}
        """#
}
