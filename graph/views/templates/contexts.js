// Citation contexts in the citation view: filter arrows by CiTO intent, and list a traced
// chain step by step with the sentence by which each work cites the next. Inlined before
// view.js, it sets itself up once the page has run it (window.maild), so its listeners follow
// view.js's; every text from a document reaches the page through textContent only.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = dom.element;
  var byId = function (id) { return document.getElementById(id); };
  var MAX_CHAINS = 12;

  function label(id) {
    var n = nodes.get(id);
    return n ? n.label : id;
  }

  // Keep only the arrows that have a sentence of `intent` ("" shows every arrow again).
  function filterIntent(intent) {
    var shown = 0;
    edges.update(edges.get().map(function (e) {
      var keep = !intent || ((e.meta && e.meta.intents) || []).indexOf(intent) >= 0;
      if (keep) { shown += 1; }
      return { id: e.id, hidden: !keep };
    }));
    byId("status").textContent = intent ? shown + " citation" + (shown === 1 ? "" : "s") +
      " with a sentence citing as cito:" + intent : "";
    return edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; }).sort();
  }

  // Every chain from `source` to `target` along the given edges, shortest first.
  function chains(source, target, edgeIds) {
    var out = {};
    edgeIds.forEach(function (id) {
      var e = edges.get(id);
      if (e) { (out[e.from] = out[e.from] || []).push(e); }
    });
    var found = [];
    (function walk(at, path, seen) {
      if (found.length >= MAX_CHAINS) { return; }
      if (at === target && path.length) { found.push(path.slice()); return; }
      (out[at] || []).forEach(function (e) {
        if (seen.has(e.to)) { return; }
        seen.add(e.to); path.push(e);
        walk(e.to, path, seen);
        path.pop(); seen.delete(e.to);
      });
    })(source, [], new Set([source]));
    return found.sort(function (a, b) { return a.length - b.length; });
  }

  // Under the chains listed in the details panel, each drawn chain step by step with the
  // sentences of its citations.
  function chainSteps(source, target) {
    var found = chains(source, target, (window.maild.state.highlighted || {}).edges || []);
    var old = byId("chain-sentences");
    if (old) { old.parentNode.removeChild(old); }
    var panel = element("section");
    panel.id = "chain-sentences";
    byId("details").appendChild(panel);
    panel.appendChild(element("h2", "Step by step, the sentence of each citation"));
    if (!found.length) { panel.appendChild(element("p", "no drawn citation chain between them")); }
    var steps = [];
    found.forEach(function (chain, index) {
      panel.appendChild(element("h3", "Chain " + (index + 1) + ": " + chain.length +
                                (chain.length === 1 ? " step" : " steps")));
      var list = element("ol", null, "chain");
      chain.forEach(function (e) {
        var item = element("li");
        item.appendChild(element("b", label(e.from) + " \u2192 " + label(e.to)));
        var said = (e.meta && e.meta.sentences) || [];
        if (!said.length) {
          item.appendChild(element("p", "no citing sentence in the graph (the citing document " +
                                   "has no body text here)", "sentence none"));
        }
        said.forEach(function (s) {
          var p = element("p", null, "sentence");
          p.appendChild(element("span", s[0] + ", cito:" + s[1] + ": ", "intent"));
          p.appendChild(document.createTextNode(s[2]));
          item.appendChild(p);
        });
        list.appendChild(item);
        steps.push({ from: e.from, to: e.to, sentences: said });
      });
      panel.appendChild(list);
    });
    return steps;
  }

  function addIntentControl() {
    var intents = (PAGE.choices && PAGE.choices.intents) || [];
    if (!intents.length || !byId("side")) { return; }
    // in the side panel, above the details: a control added to the top bar after the layout
    // would make the bar wrap and the drawing shorter than the one the layout fitted
    var group = element("div", null, "intent-group");
    var wrap = element("label", "Intent ");
    var select = element("select");
    select.id = "intent-filter";
    var any = element("option", "any intent (or none)");
    any.value = "";
    select.appendChild(any);
    intents.forEach(function (pair) {
      var option = element("option", pair[1]);
      option.value = pair[0];
      select.appendChild(option);
    });
    wrap.appendChild(select);
    group.appendChild(wrap);
    byId("side").insertBefore(group, byId("details"));
    select.addEventListener("change", function () { filterIntent(select.value); });
    byId("reset").addEventListener("click", function () { select.value = ""; });
  }

  addIntentControl();
  if (byId("trace-go")) {
    byId("trace-go").addEventListener("click", function () {
      chainSteps(byId("trace-from").value, byId("trace-to").value);
    });
  }
  if (PAGE.initial && PAGE.initial.trace) { chainSteps(PAGE.initial.trace[0], PAGE.initial.trace[1]); }
  window.maildContexts = { filterIntent: filterIntent, chainSteps: chainSteps };
});
