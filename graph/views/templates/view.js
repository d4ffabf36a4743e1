// Interaction for every view. Text from documents only ever reaches the page through
// textContent or vis-network's canvas: never through innerHTML.
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var original = { nodes: {}, edges: {} };
  var state = { highlighted: { nodes: [], edges: [] }, visible: null, stabilized: false };

  function element(tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (cls) { el.className = cls; }
    return el;
  }

  function safeLink(url, label) {
    var a = element("a", label);
    if (/^https?:\/\//.test(url)) { a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  function tooltip(meta) {
    var box = element("div", null, "tip");
    box.appendChild(element("b", meta.heading));
    (meta.lines || []).slice(0, 4).forEach(function (pair) {
      box.appendChild(element("div", pair[0] + ": " + pair[1]));
    });
    return box;
  }

  function showDetails(meta) {
    var panel = byId("details");
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(element("h2", meta.heading));
    var list = element("dl");
    (meta.lines || []).forEach(function (pair) {
      list.appendChild(element("dt", pair[0]));
      list.appendChild(element("dd", pair[1]));
    });
    panel.appendChild(list);
    (meta.links || []).forEach(function (pair) {
      var p = element("p");
      p.appendChild(safeLink(pair[1], pair[0]));
      panel.appendChild(p);
    });
  }

  function remember() {
    nodes.forEach(function (n) { original.nodes[n.id] = { color: n.color, hidden: !!n.hidden }; });
    edges.forEach(function (e) { original.edges[e.id] = { color: e.color, hidden: !!e.hidden, width: e.width }; });
    nodes.update(nodes.get().map(function (n) { return { id: n.id, title: tooltip(n.meta) }; }));
    edges.update(edges.get().map(function (e) { return { id: e.id, title: tooltip(e.meta) }; }));
  }

  function status(text) { byId("status").textContent = text; }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }

  function reset() {
    nodes.update(Object.keys(original.nodes).map(function (id) {
      return { id: id, color: original.nodes[id].color, hidden: original.nodes[id].hidden };
    }));
    edges.update(Object.keys(original.edges).map(function (id) {
      var o = original.edges[id];
      return { id: id, color: o.color, hidden: o.hidden, width: o.width };
    }));
    state.highlighted = { nodes: [], edges: [] };
    state.visible = null;
    status("");
  }

  // Highlight a set of nodes and edges; everything else fades.
  function highlight(nodeIds, edgeIds, message) {
    var keepN = new Set(nodeIds), keepE = new Set(edgeIds);
    nodes.update(nodes.getIds().map(function (id) {
      return keepN.has(id) ? { id: id, color: { background: "#ffb000", border: "#a15c00" } }
                           : { id: id, color: { background: "#eeeeee", border: "#cccccc" } };
    }));
    edges.update(edges.getIds().map(function (id) {
      return keepE.has(id) ? { id: id, color: { color: "#d35400" }, width: 3 }
                           : { id: id, color: { color: "#e5e5e5" }, width: 1 };
    }));
    state.highlighted = { nodes: Array.from(keepN).sort(), edges: Array.from(keepE).sort() };
    status(message);
  }

  // Show only a set of nodes and edges.
  function showOnly(nodeIds, edgeIds, message) {
    var keepN = new Set(nodeIds), keepE = new Set(edgeIds);
    nodes.update(nodes.getIds().map(function (id) { return { id: id, hidden: !keepN.has(id) }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, hidden: !keepE.has(id) }; }));
    state.visible = { nodes: Array.from(keepN).sort(), edges: Array.from(keepE).sort() };
    status(message);
  }

  function adjacency(reverse) {
    var adj = {};
    edges.forEach(function (e) {
      if (e.negative) { return; }  // "did not test for" is never a path between two things
      var a = reverse ? e.to : e.from, b = reverse ? e.from : e.to;
      (adj[a] = adj[a] || []).push(b);
    });
    return adj;
  }

  function distances(start, adj, limit) {
    var dist = {}, queue = [start];
    dist[start] = 0;
    while (queue.length) {
      var at = queue.shift();
      if (dist[at] >= limit) { continue; }
      (adj[at] || []).forEach(function (next) {
        if (!(next in dist)) { dist[next] = dist[at] + 1; queue.push(next); }
      });
    }
    return dist;
  }

  // Chains and lineages walk the whole citation graph, drawn or not (chains.js, issue 25)
  function trace(source, target) { return window.maildChains.trace(source, target, { highlight: highlight, state: state }); }
  function lineage(work, depth, direction) { return window.maildChains.lineage(work, depth, direction, { highlight: highlight, state: state }); }

  // Evidence filters: keep finding edges that match every chosen value.
  function filter(choice) {
    var keptEdges = edges.get().filter(function (e) {
      var m = e.meta || {};
      if (m.kind !== "finding") { return !choice.drug && !choice.antibody && !choice.design; }
      if (choice.drug && m.drug !== choice.drug) { return false; }
      if (choice.antibody && (m.antibodies || []).indexOf(choice.antibody) < 0) { return false; }
      if (choice.design && m.design !== choice.design) { return false; }
      return true;
    });
    var keptNodes = new Set();
    keptEdges.forEach(function (e) { keptNodes.add(e.from); keptNodes.add(e.to); });
    if (!choice.drug && !choice.antibody && !choice.design) { nodes.forEach(function (n) { keptNodes.add(n.id); }); }
    showOnly(Array.from(keptNodes), keptEdges.map(function (e) { return e.id; }),
             plural(keptEdges.length, "edge") + " shown");
    return state.visible;
  }

  // The neighbourhood of one entity, `depth` steps in either direction.
  function focus(entity, depth) {
    var both = adjacency(false), back = adjacency(true);
    Object.keys(back).forEach(function (k) { both[k] = (both[k] || []).concat(back[k]); });
    var reached = distances(entity, both, depth || 2);
    var members = new Set(Object.keys(reached));
    // a negative edge of a member is shown, with its other end, which is not walked from
    edges.forEach(function (e) {
      if (e.negative && (e.from in reached || e.to in reached)) { members.add(e.from); members.add(e.to); }
    });
    var kept = edges.get().filter(function (e) { return members.has(e.from) && members.has(e.to); })
      .map(function (e) { return e.id; });
    showOnly(Array.from(members), kept, plural(members.size - 1, "neighbour") + " within " + (depth || 2) + " steps");
    if (PAGE.physics) {  // lay the neighbourhood out afresh: hidden nodes take no part
      state.stabilized = false;
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.fit({ nodes: Array.from(members), animation: false });
        state.stabilized = true;
      });
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(150);
    } else {
      network.fit({ nodes: Array.from(members), animation: false });
    }
    return state.visible;
  }

  // "Bohan & Peter 1975", "Ge et al. 2015" -> "bohan 1975"; a DOI without its resolver or label
  function needleOf(text) {
    var raw = String(text || "").trim().toLowerCase()
      .replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/|pmid:\s*|pmcid:\s*)/, "");
    var m = /^([^\s\d,]+)(?:\s+(?:et al\.?|(?:and|&)\s+\S+))?,?\s+(\d{4})[a-z]?$/.exec(raw);
    return { raw: raw, authorYear: m ? m[1] + " " + m[2] : null };
  }

  // Works named by first author and year, else anything whose title, label, IRI or identifiers
  // hold the text
  function search(text) {
    var needle = needleOf(text);
    var all = nodes.get();
    var found = needle.authorYear ? all.filter(function (n) {
      return ((n.meta && n.meta.find) || []).indexOf(needle.authorYear) >= 0;
    }) : [];
    if (!found.length && needle.raw) {
      found = all.filter(function (n) {
        var names = [(n.meta && n.meta.heading) || "", n.label || ""].concat((n.meta && n.meta.find) || []);
        return names.some(function (s) { return String(s).toLowerCase().indexOf(needle.raw) >= 0; });
      });
    }
    var words = needle.raw.split(/\W+/).filter(function (w) { return w; });
    if (!found.length && words.length > 1) {  // title words in any order
      found = all.filter(function (n) {
        var heading = String((n.meta && n.meta.heading) || "").toLowerCase();
        return words.every(function (w) { return heading.indexOf(w) >= 0; });
      });
    }
    if (!found.length) { status("nothing matches"); return []; }
    var ids = found.map(function (n) { return n.id; });
    network.selectNodes(ids);
    network.fit({ nodes: ids, animation: false });
    showDetails(found[0].meta);
    status(found.length === 1 ? "1 found" : found.length + " found: " + found.slice(0, 8).map(
      function (n) { return n.label + " \u2013 " + String((n.meta && n.meta.heading) || "").slice(0, 50); }
    ).join("; "));
    return ids;
  }

  function fill(select, pairs, empty) {
    if (!select) { return; }
    if (empty) { select.appendChild(element("option", empty)).value = ""; }
    pairs.forEach(function (pair) {
      var option = element("option", pair[1]);
      option.value = pair[0];
      select.appendChild(option);
    });
  }

  function wire() {
    var names = byId("search-names");
    nodes.forEach(function (n) { names.appendChild(element("option", (n.meta && n.meta.heading) || n.label)); });
    byId("search-go").addEventListener("click", function () { search(byId("search").value); });
    byId("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(byId("search").value); } });
    byId("reset").addEventListener("click", reset);
    var choices = PAGE.choices || {};
    fill(byId("trace-from"), choices.works || []);
    fill(byId("trace-to"), choices.works || []);
    fill(byId("lineage-work"), choices.works || []);
    fill(byId("filter-drug"), choices.drugs || [], "any drug");
    fill(byId("filter-antibody"), choices.antibodies || [], "any antibody");
    fill(byId("filter-design"), choices.designs || [], "any design");
    fill(byId("focus-entity"), choices.entities || []);
    if (byId("trace-go")) {
      byId("trace-go").addEventListener("click", function () { trace(byId("trace-from").value, byId("trace-to").value); });
      byId("lineage-go").addEventListener("click", function () {
        lineage(byId("lineage-work").value, parseInt(byId("lineage-depth").value, 10) || 1, byId("lineage-direction").value);
      });
    }
    ["filter-drug", "filter-antibody", "filter-design"].forEach(function (id) {
      if (byId(id)) {
        byId(id).addEventListener("change", function () {
          filter({ drug: byId("filter-drug").value, antibody: byId("filter-antibody").value, design: byId("filter-design").value });
        });
      }
    });
    if (byId("focus-go")) {
      byId("focus-go").addEventListener("click", function () {
        focus(byId("focus-entity").value, parseInt(byId("focus-depth").value, 10) || 2);
      });
    }
    network.on("click", function (params) {
      if (params.nodes.length) { showDetails(nodes.get(params.nodes[0]).meta); }
      else if (params.edges.length) { showDetails(edges.get(params.edges[0]).meta); }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      state.stabilized = true;
    });
  }

  function applyInitial(initial) {
    if (!initial) { return; }
    var set = function (id, value) { if (byId(id) && value !== undefined) { byId(id).value = value; } };
    if (initial.trace) {
      set("trace-from", initial.trace[0]); set("trace-to", initial.trace[1]);
      trace(initial.trace[0], initial.trace[1]);
    } else if (initial.lineage) {
      set("lineage-work", initial.lineage.work); set("lineage-depth", initial.lineage.depth);
      set("lineage-direction", initial.lineage.direction);
      lineage(initial.lineage.work, initial.lineage.depth, initial.lineage.direction);
    } else if (initial.focus) {
      set("focus-entity", initial.focus.entity); set("focus-depth", initial.focus.depth);
      focus(initial.focus.entity, initial.focus.depth);
    } else if (initial.filter) {
      set("filter-drug", initial.filter.drug); set("filter-antibody", initial.filter.antibody);
      set("filter-design", initial.filter.design);
      filter(initial.filter);
    }
  }

  remember();
  wire();
  if (!(PAGE.physics)) { state.stabilized = true; }
  applyInitial(PAGE.initial);
  window.maild = { trace: trace, lineage: lineage, filter: filter, focus: focus, search: search,
                   reset: reset, state: state };
})();
