// The evidence gap map: cells counted from the findings for the chosen filters. Text from
// documents only ever reaches the page through textContent: never through innerHTML.
(function () {
  "use strict";
  var element = dom.element, clear = dom.clear, plural = dom.plural;
  var data = PAGE.data;
  // the packed findings (gapmap.py's pack) as records
  var findings = data.findings.map(function (r) {
    var pop = data.pops[r[6]];
    return { drug: data.drugs[r[0]][0], outcome: data.outcomes[r[1]][0], evidence: !!r[2],
             summary: data.directions[r[3]], level: r[4], design: data.designs[r[5]], pop: pop[0],
             antibodies: pop[1], diseases: pop[2], n: r[7], detail: r[8] >= 0 ? data.details[r[8]] : null };
  });
  var byId = function (id) { return document.getElementById(id); };
  var state = { cells: {}, chosen: null, ready: false };

  function filters() {
    return { antibody: byId("filter-antibody").value, disease: byId("filter-disease").value,
             design: byId("filter-design").value, role: byId("filter-role").value };
  }

  function counted(f, choice) {
    return (choice.role === "any" || f.evidence) &&
      (!choice.antibody || f.antibodies.indexOf(choice.antibody) >= 0) &&
      (!choice.disease || f.diseases.indexOf(choice.disease) >= 0) &&
      (!choice.design || f.design === choice.design);
  }

  // A cell: its findings, patients of their distinct populations, direction and best level
  function cells(choice) {
    var out = {};
    findings.forEach(function (f) {
      if (!counted(f, choice)) { return; }
      var key = f.drug + " " + f.outcome;
      var cell = out[key] = out[key] || { drug: f.drug, outcome: f.outcome, findings: [], pops: {}, summaries: {}, best: null };
      cell.findings.push(f);
      if (f.n !== null) { cell.pops[f.pop] = f.n; } else { cell.unsized = true; }
      cell.summaries[f.summary] = true;
      if (f.level !== null && (cell.best === null || f.level < cell.best)) { cell.best = f.level; }
    });
    Object.keys(out).forEach(function (key) {
      var cell = out[key], said = Object.keys(cell.summaries).filter(function (s) { return s !== "unclear"; });
      cell.patients = Object.keys(cell.pops).reduce(function (sum, p) { return sum + cell.pops[p]; }, 0);
      // patients as known: "n=?" when no population's size is stated, "n≥" when some are not
      cell.shown = !Object.keys(cell.pops).length ? "n=?" : (cell.unsized ? "n\u2265" : "n=") + cell.patients;
      cell.direction = said.length === 0 ? "unclear" : said.length === 1 ? said[0] : "mixed";
      cell.band = cell.best !== null && cell.best <= 2 ? 0 : cell.best === 3 ? 1 : 2;
    });
    return out;
  }

  function describe(cell, drug, outcome) {
    return drug + " \u00d7 " + outcome + ": " + plural(cell.findings.length, "finding") + ", " +
      (cell.shown === "n=?" ? "patients not stated" : (cell.unsized ? "at least " : "") + plural(cell.patients, "patient")) +
      ", " + cell.direction + ", " +
      (cell.best === null ? "no graded evidence" : "best evidence level " + cell.best);
  }

  function header() {
    var head = element("thead"), groups = element("tr", null, "groups"), names = element("tr", null, "names");
    groups.appendChild(element("th"));
    names.appendChild(element("th", "drug \\ outcome"));
    var last = null, span = null;
    data.outcomes.forEach(function (o) {
      var start = o[3] !== last;
      if (start) { span = element("th", null, "group-start"); span.colSpan = 1; span.title = o[3]; groups.appendChild(span); last = o[3]; }
      else { span.colSpan += 1; span.textContent = o[3]; }  // a group of one column is named by it
      var th = element("th", null, start ? "group-start" : "");
      th.appendChild(element("span", (o[2] ? "\u2003".repeat(o[2]) : "") + o[1]));
      th.title = o[0];
      th.scope = "col";
      names.appendChild(th);
    });
    head.appendChild(groups);
    head.appendChild(names);
    return head;
  }

  function draw() {
    var choice = filters(), table = byId("gapmap"), body = element("tbody");
    state.cells = cells(choice);
    clear(table);
    table.appendChild(header());
    var groupStarts = {};
    data.outcomes.forEach(function (o, i) { groupStarts[i] = i === 0 || o[3] !== data.outcomes[i - 1][3]; });
    data.drugs.forEach(function (d) {
      var row = element("tr"), th = element("th", "\u2003".repeat(d[2]) + d[1]);
      th.scope = "row";
      th.title = d[0];
      if (d[3]) { th.className = "class"; }  // a class, its members below it
      row.appendChild(th);
      data.outcomes.forEach(function (o, i) {
        var td = element("td", null, groupStarts[i] ? "group-start" : ""), cell = state.cells[d[0] + " " + o[0]];
        td.dataset.drug = d[0];
        td.dataset.outcome = o[0];
        if (cell) {
          var look = data.palette[cell.direction], fill = look.fill[cell.band];
          var button = element("button");
          button.type = "button";
          button.style.background = fill[0];
          button.style.color = fill[1];
          button.appendChild(element("span", look.symbol + " " + cell.findings.length, "count"));
          button.appendChild(element("br"));
          button.appendChild(element("span", cell.shown, "patients"));
          button.title = describe(cell, d[1], o[1]);
          button.setAttribute("aria-label", button.title);
          button.addEventListener("click", function () { choose(d, o); });
          td.appendChild(button);
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    table.appendChild(body);
    var shown = Object.keys(state.cells).reduce(function (n, k) { return n + state.cells[k].findings.length; }, 0);
    var matching = findings.filter(function (f) { return counted(f, { antibody: choice.antibody, disease: choice.disease, design: choice.design, role: "any" }); }).length;
    byId("status").textContent = plural(shown, "finding") + " in " + plural(Object.keys(state.cells).length, "cell") +
      (matching > shown ? "; " + plural(matching - shown, "finding") + " of a drug given in another role (role filter: any role)" : "");
    state.chosen = null;
    state.ready = true;
  }

  function line(parent, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    parent.appendChild(element("div", name + ": " + value, "meta"));
  }

  // The cell's findings with their quotes, and its pooled estimate where one is given
  function choose(drug, outcome) {
    var cell = state.cells[drug[0] + " " + outcome[0]], panel = byId("details");
    clear(panel);
    document.querySelectorAll("#gapmap button.chosen").forEach(function (b) { b.classList.remove("chosen"); });
    if (!cell) { panel.appendChild(element("p", "No finding of " + drug[1] + " for " + outcome[1] + " with these filters.", "hint")); return; }
    var td = document.querySelector('#gapmap td[data-drug="' + CSS.escape(drug[0]) + '"][data-outcome="' + CSS.escape(outcome[0]) + '"] button');
    if (td) { td.classList.add("chosen"); }
    panel.appendChild(element("h2", drug[1] + " \u00d7 " + outcome[1]));
    panel.appendChild(element("p", describe(cell, drug[1], outcome[1])));
    var pooled = data.pooled[drug[0] + " " + outcome[0]];
    if (pooled) {
      var box = element("div", null, "pooled");
      box.appendChild(element("b", "Pooled estimate"));
      Object.keys(pooled).forEach(function (k) { line(box, k, pooled[k]); });
      panel.appendChild(box);
    }
    var listed = cell.findings.filter(function (f) { return f.detail; });
    listed.forEach(function (record) {
      var f = record.detail, item = element("div", null, "finding");
      item.appendChild(element("div", f.result || "(no numbers)", "result"));
      line(item, "Direction", f.direction);
      line(item, "Role of " + drug[1], f.role);
      line(item, "Population", f.population + (record.n !== null ? " (n=" + record.n + ")" : ""));
      line(item, "Timepoint", f.timepoint);
      line(item, "Study", f.study);
      line(item, "Design", record.design);
      line(item, "Evidence level", record.level === null ? "not graded" : record.level);
      item.appendChild(element("blockquote", f.quote, "quote"));
      line(item, "Finding", f.finding);
      panel.appendChild(item);
    });
    var more = cell.findings.length - listed.length;
    if (more) {
      panel.appendChild(element("p", plural(more, "more finding") + " of this cell " + (more === 1 ? "is" : "are") +
        " not carried in the page (it carries the best " + PAGE.data.detailed + " of each cell): ma-ild query drug-outcomes --param drug=" +
        drug[1] + " lists every one.", "hint"));
    }
    state.chosen = { drug: drug[0], outcome: outcome[0], more: more,
                     findings: listed.map(function (f) { return f.detail.finding; }) };
  }

  function fill(select, pairs, empty) {
    select.appendChild(element("option", empty)).value = "";
    pairs.forEach(function (pair) { select.appendChild(element("option", pair[1])).value = pair[0]; });
  }

  fill(byId("filter-antibody"), PAGE.choices.antibodies, "any antibody");
  fill(byId("filter-disease"), PAGE.choices.diseases, "any disease");
  fill(byId("filter-design"), PAGE.choices.designs, "any design");
  ["filter-antibody", "filter-disease", "filter-design", "filter-role"].forEach(function (id) {
    byId(id).addEventListener("change", draw);
  });
  byId("reset").addEventListener("click", function () {
    ["filter-antibody", "filter-disease", "filter-design"].forEach(function (id) { byId(id).value = ""; });
    byId("filter-role").value = "evidence";
    draw();
  });
  draw();
  window.maild = { state: state, draw: draw };
})();
