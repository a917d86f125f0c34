extension DashboardTemplates {
    /// The dashboard's one style sheet, inlined into every page by the layout:
    /// the system font stack, a neutral palette with one accent (indigo), tabular
    /// numbers, dark mode through `prefers-color-scheme`, and a phone layout under 640 px.
    static let stylesheet = #"""
        :root {
          --bg: #f5f6f8; --card: #ffffff; --text: #14171f; --muted: #646b7a; --faint: #9aa1ad;
          --line: #e4e7ec; --hover: #f0f2f6; --accent: #4f46e5; --accent-2: #a5b4fc; --accent-bg: #eef0ff;
          --bad: #d92d20; --bad-bg: #fef0ef; --good: #0f8a4f; --good-bg: #eaf7f0; --warn: #b54708; --warn-bg: #fff6e6;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0e1116; --card: #161a22; --text: #e7e9ee; --muted: #9ba3b4; --faint: #6b7386;
            --line: #262c38; --hover: #1d2230; --accent: #8b8ff9; --accent-2: #4b4fa8; --accent-bg: #23264a;
            --bad: #f97066; --bad-bg: #3a1d1c; --good: #47cd89; --good-bg: #15301f; --warn: #fdb022; --warn-bg: #36280f;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--text);
          font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
          font-variant-numeric: tabular-nums;
        }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        .top {
          display: flex; align-items: center; gap: 20px; padding: 0 24px; height: 56px;
          background: var(--card); border-bottom: 1px solid var(--line);
        }
        .brand { display: flex; align-items: center; gap: 8px; font-weight: 650; color: var(--text); font-size: 15px; }
        .brand:hover { text-decoration: none; }
        .brand svg { width: 22px; height: 22px; }
        .top nav { display: flex; gap: 4px; }
        .top nav a { color: var(--muted); padding: 6px 10px; border-radius: 6px; font-weight: 500; }
        .top nav a:hover { background: var(--hover); text-decoration: none; }
        .top nav a[aria-current] { color: var(--text); background: var(--hover); }
        .refresh { margin-left: auto; display: flex; align-items: center; gap: 6px; color: var(--muted); font-size: 12px; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px; }
        .crumbs { color: var(--muted); font-size: 13px; margin-bottom: 4px; }
        .crumbs a { color: var(--muted); }
        h1 { font-size: 22px; line-height: 1.25; margin: 0; font-weight: 650; word-break: break-word; }
        h2 { font-size: 15px; margin: 0; font-weight: 600; }
        .head { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 12px; margin-bottom: 18px; }
        .sub { color: var(--muted); margin: 2px 0 0; }
        .controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
        .control { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
        .pills { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--card); }
        .pills a { padding: 5px 11px; color: var(--muted); font-size: 13px; border-left: 1px solid var(--line); }
        .pills a:first-child { border-left: 0; }
        .pills a:hover { background: var(--hover); text-decoration: none; }
        .pills a[aria-current] { background: var(--accent); color: #fff; }
        .pills-label { color: var(--muted); font-size: 12px; margin-right: 2px; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 18px; }
        .kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
        .kpi .label { color: var(--muted); font-size: 12px; }
        .kpi .value { font-size: 21px; font-weight: 650; margin-top: 2px; white-space: nowrap; }
        .kpi .note { color: var(--faint); font-size: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin-bottom: 18px; }
        .card > header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px; padding: 14px 16px 0; }
        .card > .body { padding: 10px 16px 14px; }
        .card .hint { color: var(--muted); font-size: 12px; }
        .table-wrap { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; }
        th, td { padding: 9px 12px; text-align: right; white-space: nowrap; border-top: 1px solid var(--line); }
        thead th { border-top: 0; color: var(--muted); font-size: 12px; font-weight: 600; padding-top: 12px; }
        th:first-child, td:first-child { text-align: left; padding-left: 16px; }
        th:last-child, td:last-child { padding-right: 16px; }
        th.text, td.text { text-align: left; }
        th a { color: inherit; }
        th a:hover { color: var(--text); text-decoration: none; }
        th[aria-sort] a { color: var(--text); }
        th[aria-sort="descending"] a::after { content: "\a0↓"; }
        th[aria-sort="ascending"] a::after { content: "\a0↑"; }
        tbody tr:hover { background: var(--hover); }
        td.skill a { font-weight: 600; color: var(--text); }
        td.skill a:hover { color: var(--accent); }
        td.muted, .muted { color: var(--muted); }
        td.measure { font-weight: 600; }
        td.test { text-align: left; white-space: normal; min-width: 190px; }
        td.spark-cell { padding-top: 4px; padding-bottom: 4px; width: 130px; }
        .rate.bad { color: var(--bad); font-weight: 600; }
        .rate.warn { color: var(--warn); font-weight: 600; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 18px; margin-bottom: 18px; }
        .charts .card { margin-bottom: 0; }
        .legend { display: flex; gap: 12px; color: var(--muted); font-size: 12px; }
        .legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; background: var(--swatch); }
        .legend .s1 { --swatch: var(--accent-2); } .legend .s2 { --swatch: var(--accent); } .legend .bad { --swatch: var(--bad); }
        .legend .tail::before { opacity: .55; }
        svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
        svg.chart text { font-size: 12px; fill: var(--muted); }
        svg.chart .unit { fill: var(--faint); }
        svg.chart .grid line { stroke: var(--line); }
        svg.chart .axis line { stroke: var(--faint); }
        svg.chart .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        svg.chart .pt { stroke: var(--card); stroke-width: 1; }
        .s1 .line { stroke: var(--accent-2); } .s1 .pt, .s1 .bar { fill: var(--accent-2); }
        .s2 .line { stroke: var(--accent); } .s2 .pt, .s2 .bar { fill: var(--accent); }
        .bad .line { stroke: var(--bad); } .bad .pt, .bad .bar { fill: var(--bad); }
        .bar.tail { opacity: .55; }
        svg .bar:hover, svg .pt:hover { opacity: .75; }
        svg.spark { display: block; width: 120px; height: 28px; }
        svg.spark .line { fill: none; stroke: var(--accent); stroke-width: 1.6; stroke-linejoin: round; }
        svg.spark circle { fill: transparent; }
        svg.spark circle.last { fill: var(--accent); }
        svg.spark .none { stroke: var(--line); stroke-dasharray: 3 3; }
        .verdict { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 14px 16px; border-radius: 10px; margin-bottom: 18px; border: 1px solid var(--line); border-left: 4px solid var(--faint); background: var(--card); }
        .verdict.better { border-left-color: var(--good); } .verdict.worse { border-left-color: var(--bad); } .verdict.neutral { border-left-color: var(--accent); }
        .verdict .badge { font-size: 13px; padding: 3px 11px; }
        .badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12px; font-weight: 650; background: var(--hover); color: var(--muted); white-space: nowrap; }
        .badge.better { background: var(--good-bg); color: var(--good); }
        .badge.worse { background: var(--bad-bg); color: var(--bad); }
        .badge.neutral { background: var(--accent-bg); color: var(--accent); }
        .verdict .headline { font-weight: 600; }
        .reasons { margin: -8px 0 18px; padding: 0 16px 0 34px; color: var(--muted); }
        .dir-better { color: var(--good); } .dir-worse { color: var(--bad); }
        td.error { text-align: left; white-space: normal; color: var(--bad); word-break: break-word; max-width: 560px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
        .empty { padding: 28px 16px; text-align: center; color: var(--muted); }
        form.pick { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr) minmax(0, 1.4fr) auto; gap: 12px 20px; padding: 14px 16px; align-items: end; }
        form.pick fieldset { border: 0; margin: 0; padding: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 8px; min-width: 0; }
        form.pick fieldset.one { grid-template-columns: 1fr; }
        form.pick legend { font-weight: 600; font-size: 13px; padding: 0; margin-bottom: 6px; }
        label { display: grid; gap: 3px; font-size: 12px; color: var(--muted); }
        select, input[type=text] { font: inherit; font-size: 14px; color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: 7px; padding: 6px 8px; width: 100%; }
        button { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 7px; padding: 8px 16px; cursor: pointer; }
        .message { padding: 14px 16px; border-radius: 10px; background: var(--warn-bg); color: var(--warn); margin-bottom: 18px; }
        footer { max-width: 1240px; margin: 0 auto; padding: 0 24px 28px; color: var(--faint); font-size: 12px; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
        @media (max-width: 900px) {
          form.pick { grid-template-columns: 1fr; }
        }
        @media (max-width: 640px) {
          .top { padding: 0 12px; gap: 8px; height: 50px; }
          .brand span, .refresh .pills-label, .refresh .pills a:nth-child(n+4) { display: none; }
          .top nav a { padding: 6px 8px; }
          .pills a { padding: 5px 9px; }
          main { padding: 16px 12px; }
          footer { padding: 0 12px 20px; }
          .kpis { grid-template-columns: repeat(2, 1fr); gap: 8px; }
          .kpi { padding: 10px 12px; }
          .kpi .value { font-size: 18px; }
          th, td { padding: 8px 8px; }
          thead th { white-space: normal; }
          td.skill { white-space: normal; word-break: break-word; }
          .phone-hide { display: none; }
          svg.chart text { font-size: 17px; }
          svg.chart .axis.x text:nth-of-type(even) { display: none; }
          .card > header { padding: 12px 12px 0; }
          .card > .body { padding: 8px 10px 12px; }
        }
        """#
}
