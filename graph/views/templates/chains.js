// Chains and lineages of the citation view, walked through the whole citation graph that the page
// carries (PAGE.data.graph: every work, and by index the works it cites), not only the works drawn.
// A work past the node budget is inside a group node: the group is highlighted in its place and
// the page says so. The chains found are listed, shortest first. Text reaches the page through
// textContent only.
(function () {
  "use strict";
  var element = dom.element, plural = dom.plural;
  var LISTED = 200;      // chains listed at most; the page counts the rest
  var COUNTED = 100000;  // chains counted at most
  var whole = null;

  function graph() {
    if (whole) { return whole; }
    var data = PAGE.data.graph, index = {};
    var back = data.works.map(function () { return []; });
    data.works.forEach(function (w, i) { index[w[0]] = i; });
    data.cites.forEach(function (cited, i) { cited.forEach(function (j) { back[j].push(i); }); });
    whole = { works: data.works, index: index, out: data.cites, back: back, maxSteps: data.maxSteps,
              caveat: data.partial ? " (through the drawn works only: the graph is too big to carry" +
                " whole; ma-ild view citations --trace-from/--trace-to draws every chain)" : "" };
    return whole;
  }

  // What stands for a work in the drawing: the work itself, or the group that holds it
  function drawnAs(i) { var w = whole.works[i]; return w[2] || w[0]; }
  function groupName(id) { var n = nodes.get(id); return n ? String(n.label).split("\n")[0] : id; }

  // The drawn nodes and edges that stand for a set of works and citations among them
  function drawing(members, citations) {
    var ids = new Set(), edgeIds = new Set(), groups = new Set(), hidden = 0;
    members.forEach(function (i) {
      var id = drawnAs(i);
      ids.add(id);
      if (whole.works[i][2]) { hidden += 1; groups.add(id); }
    });
    citations.forEach(function (pair) {
      var a = drawnAs(pair[0]), b = drawnAs(pair[1]), id = a + " -> " + b;
      if (a !== b && edges.get(id)) { edgeIds.add(id); }
    });
    return { nodes: Array.from(ids), edges: Array.from(edgeIds), hidden: hidden, groups: groups };
  }

  function outside(found) {
    if (!found.hidden) { return whole.caveat; }
    return whole.caveat + "; " + found.hidden + " of them not drawn, inside " + plural(found.groups.size, "group") +
      " (" + Array.from(found.groups).map(groupName).sort().join(", ") + ")";
  }

  // Every chain of exactly `steps` citations from s to t through the works on chains, in order
  function walk(s, t, steps, behind, out, limit) {
    var path = [s];
    (function next(at) {
      if (out.count >= limit) { return; }
      if (path.length - 1 === steps) {
        if (at === t) {
          out.count += 1;
          if (out.chains.length < LISTED) { out.chains.push(path.slice()); }
          path.forEach(function (w, k) {
            out.works.add(w);
            if (k) { out.citations.add(path[k - 1] + " " + w); }
          });
        }
        return;
      }
      whole.out[at].forEach(function (b) {
        if (b in behind && path.length + behind[b] <= steps && path.indexOf(b) < 0) {
          path.push(b); next(b); path.pop();
        }
      });
    })(s);
  }

  function listChains(source, target, chains, count, shortestOnly) {
    var panel = document.getElementById("details");
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(element("h2", (shortestOnly ? "Shortest chains from " : "Chains from ") +
      whole.works[source][1] + " to " + whole.works[target][1]));
    panel.appendChild(element("p", count > chains.length
      ? "The first " + chains.length + " of " + (count >= COUNTED ? "more than " + COUNTED : count) + " chains, shortest first:"
      : plural(count, "chain") + ", shortest first:"));
    var list = element("ol");
    list.id = "chain-list";
    chains.forEach(function (chain) {
      var item = element("li");
      chain.forEach(function (i, k) {
        if (k) { item.appendChild(element("span", " \u2192 ")); }
        var part = element("button", whole.works[i][1] + (whole.works[i][2] ? " [not drawn: " + groupName(whole.works[i][2]) + "]" : ""));
        part.type = "button";
        part.className = "chain-work";
        part.title = whole.works[i][0];
        part.addEventListener("click", function () {
          network.selectNodes([drawnAs(i)]);
          network.focus(drawnAs(i), { animation: false });
        });
        item.appendChild(part);
      });
      item.appendChild(element("span", " (" + plural(chain.length - 1, "step") + ")"));
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  // Every work and citation on a chain from `source` to `target` of at most maxSteps citations
  // (the shortest chains only, when asked), highlighted; the chains listed.
  function trace(source, target, tools) {
    var g = graph(), s = g.index[source], t = g.index[target];
    var shortest = document.getElementById("trace-shortest");
    var shortestOnly = !!(shortest && shortest.checked);
    if (s === undefined || t === undefined) { return tools.highlight([], [], "choose two works"); }
    var ahead = tools.distances(s, g.out, g.maxSteps), behind = tools.distances(t, g.back, g.maxSteps);
    if (!(t in ahead) || s === t) {
      var ends = drawing([s, t], []);
      tools.highlight(ends.nodes, [], "no citation chain of at most " + g.maxSteps + " steps between them" + g.caveat);
      return tools.state.highlighted;
    }
    var limit = shortestOnly ? ahead[t] : g.maxSteps;
    var found = { count: 0, chains: [], works: new Set(), citations: new Set() };
    for (var steps = ahead[t]; steps <= limit && found.count < COUNTED; steps++) {
      walk(s, t, steps, behind, found, COUNTED);
    }
    // the works and citations of every chain; past COUNTED chains, of every walk as short (a
    // work reached only by passing another twice counts then too)
    var members = Object.keys(ahead).map(Number).filter(function (n) {
      return n in behind && ahead[n] + behind[n] <= limit && (found.count >= COUNTED || found.works.has(n));
    });
    var onChain = new Set(members), citations = [];
    members.forEach(function (a) {
      g.out[a].forEach(function (b) {
        if (onChain.has(b) && ahead[a] + 1 + behind[b] <= limit
            && (found.count >= COUNTED || found.citations.has(a + " " + b))) { citations.push([a, b]); }
      });
    });
    var shown = drawing(members, citations);
    tools.highlight(shown.nodes, shown.edges, plural(members.length, "work") + " on chains, " +
      plural(citations.length, "citation") + outside(shown));
    listChains(s, t, found.chains, found.count, shortestOnly);
    return tools.state.highlighted;
  }

  // What a work builds on (its references, transitively) and/or what builds on it
  function lineage(work, depth, direction, tools) {
    var g = graph(), w = g.index[work], reached = {};
    if (w === undefined) { return tools.highlight([], [], "choose a work"); }
    reached[w] = 0;
    if (direction !== "built-upon") { Object.assign(reached, tools.distances(w, g.out, depth)); }
    if (direction !== "builds-on") { Object.assign(reached, tools.distances(w, g.back, depth)); }
    var members = Object.keys(reached).map(Number), citations = [];
    members.forEach(function (a) {
      g.out[a].forEach(function (b) {
        if (!(b in reached)) { return; }
        var kept = direction === "both" || (direction === "builds-on" ? a === w || reached[b] > 0
                                                                      : b === w || reached[a] > 0);
        if (kept) { citations.push([a, b]); }
      });
    });
    var shown = drawing(members, citations);
    tools.highlight(shown.nodes, shown.edges,
                    plural(members.length - 1, "work") + " within " + plural(depth, "step") + outside(shown));
    return tools.state.highlighted;
  }

  // The works past the budget can be traced too: offered in the lists after the drawn ones
  function offerHidden() {
    var g = graph(), hidden = g.works.filter(function (w) { return w[2]; });
    if (!hidden.length) { return; }
    ["trace-from", "trace-to", "lineage-work"].forEach(function (id) {
      var select = document.getElementById(id), group = element("optgroup");
      if (!select) { return; }
      group.label = "not drawn (inside a group)";
      hidden.forEach(function (w) {
        var option = element("option", w[1] + " [" + groupName(w[2]) + "]");
        option.value = w[0];
        group.appendChild(option);
      });
      select.appendChild(group);
    });
  }

  function shortestOption() {
    var go = document.getElementById("trace-go");
    if (!go) { return; }
    var label = element("label"), box = element("input");
    box.type = "checkbox";
    box.id = "trace-shortest";
    label.appendChild(box);
    label.appendChild(document.createTextNode(" shortest only"));
    go.parentNode.insertBefore(label, go);
  }

  shortestOption();
  document.addEventListener("DOMContentLoaded", offerHidden);
  window.maildChains = { trace: trace, lineage: lineage };
})();
