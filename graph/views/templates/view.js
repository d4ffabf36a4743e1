// Interaction for every view, in sections:
//   1 helpers · 2 details, tooltips and edge labels · 3 highlight, show-only, reset
//   4 layouts (year axis, columns, network) · 5 walks: trace, lineage, filter, focus
//   6 search · 7 the list beside the graph · 8 export · 9 the view state in the URL
//   10 keyboard · 11 wiring and start
// Text from documents only ever reaches the page through textContent or vis-network's canvas:
// never through innerHTML. Another script extends the page through window.maild (set at the
// end): its functions, and maild.hooks.changed, called after every change of what is shown.
(function () {
  "use strict";
  var element = dom.element, clear = dom.clear, plural = dom.plural;

  // ------------------------------------------------------------------------------ 1 helpers
  var byId = function (id) { return document.getElementById(id); };
  var original = { nodes: {}, edges: {} };
  var state = {
    highlighted: { nodes: [], edges: [] }, visible: null, stabilized: false,
    selected: { nodes: [], edges: [] }, action: null, query: "", focused: null,
    layout: PAGE.layout, cursor: null,
    sort: { key: PAGE.table.length ? PAGE.table[0][0] : null, descending: false }
  };
  var hooks = { changed: [] };

  function safeLink(url, label) {
    var a = element("a", label);
    if (/^https?:\/\//.test(url)) { a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  function status(text) { byId("status").textContent = text; }
  function changed() { renderList(); saveState(); hooks.changed.forEach(function (f) { f(state); }); }

  // ------------------------------------------------------- 2 details, tooltips and edge labels
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
    clear(panel);
    if (!meta) { panel.appendChild(element("p", "Click a node or an edge for its details.", "hint")); return; }
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

  // An edge's label is drawn only while the edge is hovered or selected (its font is 0 px
  // otherwise): at the first fit no label covers another.
  var EDGE_LABEL_PX = 14, hovered = { edge: null };
  function edgeLabels() {
    var want = new Set(state.selected.edges.concat(hovered.edge ? [hovered.edge] : []));
    var updates = [];
    edges.forEach(function (e) {
      var on = want.has(e.id);
      if (!!e.labelShown !== on) { updates.push({ id: e.id, labelShown: on, font: { size: on ? EDGE_LABEL_PX : 0 } }); }
    });
    if (updates.length) { edges.update(updates); }
  }

  // vis-network draws each edge's label with its line, so later lines cross it: the labels shown
  // are drawn once more, over everything
  function labelsOnTop(ctx) {
    edges.forEach(function (e) {
      var drawn = network.body.edges[e.id];
      if (e.labelShown && drawn && drawn.connected && !drawn.options.hidden) {
        drawn.drawLabel(ctx, drawn.edgeType.getViaNode());
      }
    });
  }

  function remember() {
    nodes.forEach(function (n) {
      original.nodes[n.id] = { color: n.color, hidden: !!n.hidden, font: n.font, borderWidth: n.borderWidth };
    });
    edges.forEach(function (e) { original.edges[e.id] = { color: e.color, hidden: !!e.hidden, width: e.width }; });
    nodes.update(nodes.get().map(function (n) { return { id: n.id, title: tooltip(n.meta) }; }));
    edges.update(edges.get().map(function (e) { return { id: e.id, title: tooltip(e.meta) }; }));
  }

  // ------------------------------------------------------------ 3 highlight, show-only, reset
  var HIGHLIGHT = { color: { background: "#ffb000", border: "#7a4500" }, font: { color: "#000000" } };
  var FADED = { color: { background: "#eeeeee", border: "#cccccc" }, font: { color: "#595959" } };

  // vis-network merges an update into a node's options, so what the focus changed is set back
  // explicitly (its defaults: 14 px labels, 1 px borders)
  function restoreNode(id) {
    var o = original.nodes[id];
    return { id: id, color: o.color, hidden: o.hidden, font: Object.assign({ size: 14 }, o.font),
             borderWidth: o.borderWidth || 1 };
  }

  function reset() {
    nodes.update(Object.keys(original.nodes).map(restoreNode));
    edges.update(Object.keys(original.edges).map(function (id) {
      var o = original.edges[id];
      return { id: id, color: o.color, hidden: o.hidden, width: o.width };
    }));
    state.highlighted = { nodes: [], edges: [] };
    state.visible = null;
    state.action = null;
    state.focused = null;
    state.columns = null;
    select([], []);
    status("");
    if (state.layout !== "network") { arrange(nodes.getIds()); }
    changed();
  }

  // Highlight a set of nodes and edges; everything else fades.
  function highlight(nodeIds, edgeIds, message) {
    var keepN = new Set(nodeIds), keepE = new Set(edgeIds);
    nodes.update(nodes.getIds().map(function (id) {
      var look = keepN.has(id) ? HIGHLIGHT : FADED;
      return { id: id, color: look.color, font: look.font };
    }));
    edges.update(edges.getIds().map(function (id) {
      return keepE.has(id) ? { id: id, color: { color: "#C25400" }, width: 3 }
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

  function shownNodeIds() { return state.visible ? state.visible.nodes : nodes.getIds(); }

  // ------------------------------------------------------------------------------- 4 layouts
  // Every layout but "network" places the nodes itself, from the width of each label measured
  // in the page's font, so that no label lies on another; then the view is fitted.
  var INSIDE = { box: 1, ellipse: 1, circle: 1, database: 1, text: 1 };
  var GAP = 14, ROW_GAP = 4, AXIS = 46, WRAP_SCALE = 12 / 14;
  var ruler = document.createElement("canvas").getContext("2d");

  function footprint(n) {
    var px = (n.font && n.font.size) || 14;
    ruler.font = px + "px arial";
    var text = ruler.measureText(String(n.label || "")).width;
    var shape = n.shape || "ellipse", h = px + 12;
    if (shape === "ellipse") { return { w: text + 12 + h, h: h * 1.6, above: 0 }; }
    // a box's line and margins, and the margin vis-network adds for its rounded corners
    if (INSIDE[shape]) { return { w: text + 24, h: px * 1.25 + 22, above: 0 }; }
    var r = n.size || 25;
    return { w: Math.max(text, 2 * r) + 2, h: 2 * r + px + 8, above: r };
  }

  function viewSize() {
    var box = byId("mynetwork");
    return { w: Math.max(box.clientWidth, 100), h: Math.max(box.clientHeight, 100) };
  }

  // On a phone the drawing is fitted to the width with its labels no smaller than PHONE_SCALE
  // (12 px) and grows downwards, the page scrolling; columns become bands, top to bottom.
  var NARROW = window.matchMedia("(max-width: 700px)"), PHONE_SCALE = 12 / 14;
  function narrow() { return NARROW.matches; }

  // How well a drawing `width` x `height` (at scale 1) fits: the larger the better. On a wide
  // screen its scale when fitted; on a phone any that keeps labels legible across the width
  // beats every one that does not, and of those the shortest wins.
  function fitness(width, height) {
    var size = viewSize();
    if (!narrow()) { return Math.min(size.w / width, size.h / height); }
    var scale = Math.min(size.w / width, 1);
    return scale >= PHONE_SCALE ? 2 + 1 / (height * scale) : scale;
  }

  // The drawing area's height: on a phone as tall as the drawing fitted to the width, else the
  // page's own (the style sheet's). A drawing as tall as itself is not dragged or zoomed: a
  // finger or a wheel on it scrolls the page.
  function fitHeight(bounds) {
    var box = byId("mynetwork"), height = "", tall = narrow() && !!bounds;
    box.classList.toggle("tall", tall);
    network.setOptions({ interaction: { dragView: !tall, zoomView: !tall } });
    if (tall) {
      var scale = Math.min(viewSize().w / (bounds.right - bounds.left), 1) * 0.97;
      height = Math.max(320, Math.ceil((bounds.bottom - bounds.top) * scale / 0.97) + 16) + "px";
    }
    if (box.style.height !== height) {
      box.style.height = height;
      network.setSize("100%", "100%");  // now, so that no later resize moves the fitted view
    }
  }

  // Place each node at `place[id]` = {x, top} (the top of its footprint), then fit `bounds`.
  function apply(place, feet, bounds) {
    nodes.update(Object.keys(place).map(function (id) {
      return { id: id, x: place[id].x, y: place[id].top + (feet[id].above || feet[id].h / 2) };
    }));
    fitHeight(bounds);
    var size = viewSize();
    var scale = Math.min(size.w / (bounds.right - bounds.left), size.h / (bounds.bottom - bounds.top)) * 0.97;
    network.moveTo({ position: { x: (bounds.left + bounds.right) / 2, y: (bounds.top + bounds.bottom) / 2 },
                     scale: Math.min(scale, 1.6), animation: false });
    state.stabilized = true;
  }

  // x = publication year, each year present one step of the axis (the years nobody published
  // in take no room); the works of a year and its neighbours are stacked in rows, each work in
  // the first row where its label clears the one before it. Of several widths of a step, the
  // one that lets the whole fit at the largest scale wins.
  function yearLayout(ids) {
    var feet = {}, items = ids.map(function (id) {
      var n = nodes.get(id);
      feet[id] = footprint(n);
      return { id: id, year: n.year, rank: n.rank || 0, corpus: !!(n.meta && n.meta.corpus) };
    });
    var years = Array.from(new Set(items.filter(function (i) { return i.year; }).map(function (i) { return i.year; })))
      .sort(function (a, b) { return a - b; });
    if (narrow()) { yearBands(items, years, feet); return; }
    var index = {};
    years.forEach(function (y, i) { index[y] = i; });
    var undated = years.length + 1;
    var best = null;
    [8, 11, 16, 22, 30, 40, 55, 75, 100, 140].forEach(function (step) {
      var x = function (it) { return (it.year ? index[it.year] : undated) * step; };
      var ends = [], heights = [], rowOf = {};
      items.slice().sort(function (a, b) {
        return x(a) - x(b) || b.corpus - a.corpus || b.rank - a.rank || (a.id < b.id ? -1 : 1);
      }).forEach(function (it) {
        var w = feet[it.id].w, left = x(it) - w / 2, row = 0;
        while (row < ends.length && ends[row] + GAP > left) { row++; }
        ends[row] = x(it) + w / 2;
        heights[row] = Math.max(heights[row] || 0, feet[it.id].h + ROW_GAP);
        rowOf[it.id] = row;
      });
      var tops = [0];
      heights.forEach(function (h, i) { tops[i + 1] = tops[i] + h; });
      var place = {};
      items.forEach(function (it) { place[it.id] = { x: x(it), top: tops[rowOf[it.id]] }; });
      var lefts = items.map(function (it) { return x(it) - feet[it.id].w / 2; });
      var bounds = { left: Math.min.apply(null, lefts), right: Math.max.apply(null, ends),
                     top: -AXIS, bottom: tops[heights.length] };
      var fit = fitness(bounds.right - bounds.left, bounds.bottom - bounds.top);
      if (!best || fit > best.fit) { best = { fit: fit, place: place, bounds: bounds, step: step }; }
    });
    state.axis = { years: years, undated: years.length < items.length ? undated : null,
                   step: best.step, top: -AXIS, bottom: best.bounds.bottom };
    apply(best.place, feet, best.bounds);
  }

  // On a phone the year axis runs down the page: a band per year, its heading the year.
  function yearBands(items, years, feet) {
    var groups = {}, order = years.concat(["no year"]);
    items.sort(function (a, b) { return b.corpus - a.corpus || b.rank - a.rank || (a.id < b.id ? -1 : 1); })
      .forEach(function (it) { var y = it.year || "no year"; (groups[y] = groups[y] || []).push(it.id); });
    bandLayout(order.filter(function (y) { return groups[y]; }), groups, feet, true);
  }

  // The year axis: a year's tick and a faint line wherever its label has room, under the nodes.
  function drawAxis(ctx) {
    if (state.layout !== "year" || !state.axis) { return; }
    if (state.axis.bands) { drawHeadings(ctx, state.axis.bands); return; }
    var a = state.axis, scale = network.getScale(), px = 13 / scale, room = 0;
    ctx.save();
    ctx.font = px + "px arial";
    ctx.textAlign = "center";
    ctx.lineWidth = 1 / scale;
    var mark = function (x, text) {
      ctx.strokeStyle = "#e3e3e3";
      ctx.beginPath(); ctx.moveTo(x, a.top + px * 1.6); ctx.lineTo(x, a.bottom); ctx.stroke();
      ctx.fillStyle = "#333333";
      ctx.fillText(text, x, a.top + px);
    };
    a.years.forEach(function (year, i) {
      var x = i * a.step;
      if (i === 0 || x >= room) { mark(x, String(year)); room = x + ctx.measureText(String(year)).width + 8 / scale; }
    });
    if (a.undated !== null) { mark(a.undated * a.step, "no year"); }
    ctx.restore();
  }

  // Each band's heading at its top left, 13 px whatever the zoom, with a faint line across.
  function drawHeadings(ctx, bands) {
    var scale = network.getScale(), px = 13 / scale;
    ctx.save();
    ctx.font = px + "px arial";
    ctx.lineWidth = 1 / scale;
    bands.forEach(function (b) {
      ctx.strokeStyle = "#e3e3e3";
      ctx.beginPath(); ctx.moveTo(b.left, b.top); ctx.lineTo(b.right, b.top); ctx.stroke();
      ctx.fillStyle = "#333333";
      ctx.fillText(b.text, b.left, b.top + px);
    });
    ctx.restore();
  }

  // Columns left to right by `columnOf(id)`; the busiest column is ordered by links, the others
  // by the mean row of their neighbours already placed. A tall column wraps into several.
  function columnLayout(ids, columnOf) {
    var feet = {}, groups = {}, members = new Set(ids), around = {};
    ids.forEach(function (id) {
      feet[id] = footprint(nodes.get(id));
      var c = columnOf(id);
      (groups[c] = groups[c] || []).push(id);
      around[id] = [];
    });
    edges.forEach(function (e) {
      if (!e.hidden && members.has(e.from) && members.has(e.to)) { around[e.from].push(e.to); around[e.to].push(e.from); }
    });
    var columns = Object.keys(groups).map(Number).sort(function (a, b) { return a - b; });
    var busiest = columns.reduce(function (best, c) {
      return groups[c].length > groups[best].length ? c : best;
    }, columns[0]);
    var row = {};
    var byLabel = function (a, b) { return String(nodes.get(a).label).localeCompare(String(nodes.get(b).label)); };
    var order = function (c, key) {
      groups[c].sort(function (a, b) { return key(a) - key(b) || byLabel(a, b); });
      groups[c].forEach(function (id, i) { row[id] = i; });
    };
    var mean = function (id) {
      var placed = around[id].filter(function (n) { return n in row; });
      return placed.length ? placed.reduce(function (s, n) { return s + row[n]; }, 0) / placed.length : 1e9;
    };
    order(busiest, function (id) { return -around[id].length; });
    columns.filter(function (c) { return c > busiest; }).forEach(function (c) { order(c, mean); });
    columns.filter(function (c) { return c < busiest; }).reverse().forEach(function (c) { order(c, mean); });
    if (narrow()) { bandLayout(columns, groups, feet); return; }
    var size = viewSize(), best = null, tallest = Math.max.apply(null, columns.map(function (c) { return groups[c].length; }));
    var heightOf = {};
    columns.forEach(function (c) {
      heightOf[c] = Math.max.apply(null, groups[c].map(function (id) { return feet[id].h; })) + ROW_GAP;
    });
    // a column of `rows` rows at most: its sub-columns, each as wide as its widest label
    var wrap = function (c, rows) {
      var wraps = Math.ceil(groups[c].length / rows), tall = Math.ceil(groups[c].length / wraps), subs = [];
      for (var k = 0; k < wraps; k++) {
        var members = groups[c].slice(k * tall, (k + 1) * tall);
        subs.push({ members: members, width: Math.max.apply(null, members.map(function (id) { return feet[id].w; })) });
      }
      return { subs: subs, tall: tall };
    };
    // the fewest wraps that keep labels at 12 px, else the scale that comes closest: an arrow to
    // a second sub-column crosses the first, so a column wraps only when it must
    for (var rows = tallest; rows >= 1; rows--) {
      var width = 0, height = 0;
      columns.forEach(function (c) {
        var w = wrap(c, rows);
        w.subs.forEach(function (sub) { width += sub.width + GAP; });
        width += 3 * GAP;
        height = Math.max(height, w.tall * heightOf[c]);
      });
      var scale = Math.min(size.w / width, size.h / height);
      if (!best || (best.scale < WRAP_SCALE && scale > best.scale + 1e-9)) { best = { scale: scale, rows: rows }; }
    }
    var place = {}, x = 0, bounds = { left: 0, right: 0, top: 0, bottom: 0 };
    columns.forEach(function (c) {
      var w = wrap(c, best.rows);
      w.subs.forEach(function (sub) {
        sub.members.forEach(function (id, r) {
          place[id] = { x: x + sub.width / 2, top: (r - w.tall / 2) * heightOf[c] };
          bounds.top = Math.min(bounds.top, place[id].top);
          bounds.bottom = Math.max(bounds.bottom, place[id].top + heightOf[c]);
        });
        x += sub.width + GAP;
      });
      x += 3 * GAP;
    });
    bounds.right = x - 4 * GAP;
    apply(place, feet, bounds);
  }

  // On a phone: each column a band across the width, top to bottom, its nodes in its order
  // wrapped into lines no wider than the screen holds at PHONE_SCALE; with `headed`, each band
  // named (a year) in a margin on the left, and the drawn names in `state.axis`.
  function bandLayout(columns, groups, feet, headed) {
    var width = viewSize().w / PHONE_SCALE * 0.97, margin = headed ? 48 / PHONE_SCALE : 0;
    var room = width - margin, between = headed ? GAP : 3 * GAP;  // arrows need room
    var place = {}, top = 0, bands = [];
    columns.forEach(function (c) {
      var lines = [[]], widths = [0];
      if (headed) { bands.push({ text: String(c), top: top }); }
      groups[c].forEach(function (id) {
        var last = lines.length - 1, w = feet[id].w + GAP;
        if (lines[last].length && widths[last] + w > room) { lines.push([]); widths.push(0); last++; }
        lines[last].push(id);
        widths[last] += w;
      });
      lines.forEach(function (line, i) {
        // a label too wide for beside the name goes under it, across the whole width
        var wide = widths[i] > room, x = wide ? Math.max(0, (width - widths[i]) / 2) : margin + (room - widths[i]) / 2;
        if (wide && headed && i === 0) { top += 13 / PHONE_SCALE + 4; }
        line.forEach(function (id) {
          place[id] = { x: x + (feet[id].w + GAP) / 2, top: top };
          x += feet[id].w + GAP;
        });
        top += Math.max.apply(null, line.map(function (id) { return feet[id].h; })) + ROW_GAP;
      });
      top += between;
    });
    var right = Math.max(width, Math.max.apply(null, Object.keys(place).map(function (id) {
      return place[id].x + feet[id].w / 2; })));
    var bounds = { left: 0, right: right, top: -ROW_GAP, bottom: top - between };
    bands.forEach(function (b) { b.left = 0; b.right = right; });
    state.axis = headed ? { bands: bands } : state.axis;
    apply(place, feet, bounds);
  }

  // Forces leave some labels on others: push each overlapping pair of boxes (shape and label,
  // as vis-network draws them) apart along the axis where they overlap least, until none does.
  function separate(ids) {
    var pos = network.getPositions(ids), box = {}, PAD = 3;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), p = pos[id];
      box[id] = { l: b.left - p.x, r: b.right - p.x, t: b.top - p.y, b: b.bottom - p.y };
    });
    var edge = function (id, side) { return (side === "l" || side === "r" ? pos[id].x : pos[id].y) + box[id][side]; };
    for (var pass = 0; pass < 200; pass++) {
      var moved = false;
      ids.sort(function (a, b) { return edge(a, "l") - edge(b, "l"); });
      for (var i = 0; i < ids.length; i++) {
        for (var j = i + 1; j < ids.length && edge(ids[j], "l") < edge(ids[i], "r") + PAD; j++) {
          var a = ids[i], b = ids[j];
          var ox = Math.min(edge(a, "r"), edge(b, "r")) - Math.max(edge(a, "l"), edge(b, "l")) + PAD;
          var oy = Math.min(edge(a, "b"), edge(b, "b")) - Math.max(edge(a, "t"), edge(b, "t")) + PAD;
          if (ox <= 0 || oy <= 0) { continue; }
          moved = true;
          if (ox < oy) {
            var sx = pos[a].x <= pos[b].x ? 1 : -1;
            pos[a].x -= sx * ox / 2; pos[b].x += sx * ox / 2;
          } else {
            var sy = pos[a].y < pos[b].y || (pos[a].y === pos[b].y && a < b) ? 1 : -1;
            pos[a].y -= sy * oy / 2; pos[b].y += sy * oy / 2;
          }
        }
      }
      if (!moved) { break; }
    }
    nodes.update(ids.map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
  }

  // Forces settle the shown nodes, then stop (a graph too big for physics keeps its places).
  function networkLayout(ids) {
    fitHeight(null);
    if (!PAGE.physics) { network.fit({ nodes: ids, animation: false }); state.stabilized = true; return; }
    state.stabilized = false;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      separate(ids);
      network.fit({ nodes: ids, animation: false });
      state.stabilized = true;
    });
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(300);
  }

  // a node's column: its place in the entity view's neighbourhood, else its own (evidence)
  function columnOf(id) { return state.columns ? state.columns[id] || 0 : nodes.get(id).column || 0; }

  // Lay out the shown nodes the way the page asks.
  function arrange(ids) {
    if (!ids.length) { state.stabilized = true; return; }
    if (state.layout === "year") { yearLayout(ids); }
    else if (state.layout === "columns") { columnLayout(ids, columnOf); }
    else { networkLayout(ids); }
  }

  function setLayout(name) {
    state.layout = name;
    if (byId("layout")) { byId("layout").value = name; }
    arrange(shownNodeIds());
    changed();
  }

  // ----------------------------------------------------- 5 walks: trace, lineage, filter, focus
  function adjacency(reverse) {
    var adj = {};
    edges.forEach(function (e) {
      if (e.negative) { return; }  // "did not test for" is never a path between two things
      var a = reverse ? e.to : e.from, b = reverse ? e.from : e.to;
      (adj[a] = adj[a] || []).push(b);
    });
    return adj;
  }

  // Steps from `start` along `adj` (by node id, or by work index in chains.js), at most `limit`
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

  // Chains and lineages walk the whole citation graph, drawn or not (chains.js, issue 25); the
  // action is kept for the URL and the list follows what is highlighted
  function trace(source, target) {
    var shown = window.maildChains.trace(source, target, { highlight: highlight, state: state, distances: distances });
    state.action = { trace: [source, target] };
    changed();
    return shown;
  }

  function lineage(work, depth, direction) {
    var shown = window.maildChains.lineage(work, depth, direction, { highlight: highlight, state: state, distances: distances });
    state.action = { lineage: { work: work, depth: depth, direction: direction } };
    changed();
    return shown;
  }

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
    state.action = (choice.drug || choice.antibody || choice.design) ? { filter: choice } : null;
    arrange(state.visible.nodes);
    changed();
    return state.visible;
  }

  // The neighbourhood of one entity, `depth` steps either way, in columns: what points to it on
  // the left, what it points to on the right, each further step one column further out. The
  // entity is outlined and selected.
  function focus(entity, depth) {
    depth = depth || 1;
    var column = {}, queue = [entity];
    column[entity] = 0;
    var walks = {};
    edges.forEach(function (e) {
      if (e.negative) { return; }
      (walks[e.from] = walks[e.from] || []).push([e.to, 1]);
      (walks[e.to] = walks[e.to] || []).push([e.from, -1]);
    });
    while (queue.length) {
      var at = queue.shift(), steps = Math.abs(column[at]);
      if (steps >= depth) { continue; }
      (walks[at] || []).forEach(function (pair) {
        if (pair[0] in column) { return; }
        var side = at === entity ? pair[1] : Math.sign(column[at]);
        column[pair[0]] = side * (steps + 1);
        queue.push(pair[0]);
      });
    }
    // a negative edge of a member is shown, with its other end, which is not walked from
    edges.forEach(function (e) {
      if (!e.negative) { return; }
      if (e.from in column && !(e.to in column)) { column[e.to] = (Math.sign(column[e.from]) || 1) * (Math.abs(column[e.from]) + 1); }
      else if (e.to in column && !(e.from in column)) { column[e.from] = (Math.sign(column[e.to]) || -1) * (Math.abs(column[e.to]) + 1); }
    });
    var members = new Set(Object.keys(column));
    var kept = edges.get().filter(function (e) { return members.has(e.from) && members.has(e.to); })
      .map(function (e) { return e.id; });
    if (state.focused && original.nodes[state.focused]) { nodes.update(restoreNode(state.focused)); }
    showOnly(Array.from(members), kept, plural(members.size - 1, "neighbour") + " within " + plural(depth, "step"));
    state.focused = entity;
    var look = original.nodes[entity] || {};
    nodes.update({ id: entity, borderWidth: 5, font: Object.assign({}, look.font, { size: 20 }),
                   color: { background: nodes.get(entity).color && (nodes.get(entity).color.background || nodes.get(entity).color),
                            border: "#000000" } });
    state.action = { focus: { entity: entity, depth: depth } };
    state.columns = column;
    arrange(Array.from(members));
    select([entity], []);
    changed();
    return state.visible;
  }

  // ------------------------------------------------------------------------------- 6 search
  // "Bohan & Peter 1975", "Ge et al. 2015" -> "bohan 1975"; a DOI without its resolver or label
  function needleOf(text) {
    var raw = String(text || "").trim().toLowerCase()
      .replace(/^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/|pmid:\s*|pmcid:\s*)/, "");
    var m = /^([^\s\d,]+)(?:\s+(?:et al\.?|(?:and|&)\s+\S+))?,?\s+(\d{4})[a-z]?$/.exec(raw);
    return { raw: raw, authorYear: m ? m[1] + " " + m[2] : null };
  }

  // Works named by first author and year, else anything whose title, label, IRI or identifiers
  // hold the text; "nothing matches" leaves nothing selected.
  function search(text) {
    var needle = needleOf(text);
    var all = nodes.get({ filter: function (n) { return !n.hidden; } });
    state.query = String(text || "");
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
    if (!found.length) { select([], []); status("nothing matches"); changed(); return []; }
    var ids = found.map(function (n) { return n.id; });
    select(ids, []);
    network.fit({ nodes: ids, animation: false });
    if (network.getScale() > 1.4) { network.moveTo({ scale: 1.4, animation: false }); }
    status(found.length === 1 ? "1 found" : found.length + " found: " + found.slice(0, 8).map(
      function (n) { return n.label + " \u2013 " + String((n.meta && n.meta.heading) || "").slice(0, 50); }
    ).join("; "));
    changed();
    return ids;
  }

  // Select nodes or edges (graph, details and list in step); the first one's details are shown.
  function select(nodeIds, edgeIds) {
    network.setSelection({ nodes: nodeIds, edges: edgeIds }, { unselectAll: true, highlightEdges: false });
    state.selected = { nodes: nodeIds.slice(), edges: edgeIds.slice() };
    var first = nodeIds.length ? nodes.get(nodeIds[0]) : edgeIds.length ? edges.get(edgeIds[0]) : null;
    showDetails(first && first.meta);
    markSelected(true);
    edgeLabels();
  }

  // ---------------------------------------------------------------- 7 the list beside the graph
  // The works (citations, entities) or findings (evidence) shown, sortable by any column; a
  // click on a row selects it in the graph, a click in the graph marks its row.
  function listedSet() { return PAGE.listing === "edges" ? edges : nodes; }

  function listed() {
    var set = listedSet(), kind = PAGE.listing;
    var ids = state.highlighted[kind].length ? state.highlighted[kind]
      : state.visible ? state.visible[kind] : set.getIds();
    return ids.map(function (id) { return set.get(id); })
      .filter(function (item) { return item && item.meta && item.meta.row; });
  }

  function cell(item, key) { return key === "heading" ? item.meta.heading : item.meta.row[key]; }

  function sortValue(item, key) {
    var v = cell(item, key);
    return v === "" || v === undefined || v === null ? null : v;
  }

  function sorted(items) {
    var key = state.sort.key;
    if (!key) { return items; }
    var sign = state.sort.descending ? -1 : 1;
    return items.slice().sort(function (a, b) {
      var x = sortValue(a, key), y = sortValue(b, key);
      if (x === null || y === null) { return (x === null) - (y === null); }  // blanks last
      var nx = Number(x), ny = Number(y);
      var c = !isNaN(nx) && !isNaN(ny) ? nx - ny : String(x).localeCompare(String(y));
      return sign * c || (a.id < b.id ? -1 : 1);
    });
  }

  function renderList() {
    var body = document.querySelector("#list-table tbody");
    if (!body) { return; }
    clear(body);
    sorted(listed()).forEach(function (item) {
      var tr = element("tr");
      tr.dataset.id = item.id;
      tr.tabIndex = 0;
      PAGE.table.forEach(function (column) { tr.appendChild(element("td", cell(item, column[0]))); });
      body.appendChild(tr);
    });
    document.querySelectorAll("#list-table th").forEach(function (th) {
      var key = th.querySelector("button").dataset.key;
      if (key === state.sort.key) { th.setAttribute("aria-sort", state.sort.descending ? "descending" : "ascending"); }
      else { th.removeAttribute("aria-sort"); }
    });
    markSelected(false);
  }

  function markSelected(scroll) {
    var chosen = new Set(state.selected[PAGE.listing] || []), first = null;
    document.querySelectorAll("#list-table tbody tr").forEach(function (tr) {
      var on = chosen.has(tr.dataset.id);
      tr.setAttribute("aria-selected", on ? "true" : "false");
      if (on && !first) { first = tr; }
    });
    if (first && scroll) { first.scrollIntoView({ block: "nearest" }); }
  }

  function sortBy(key) {
    state.sort = { key: key, descending: state.sort.key === key && !state.sort.descending };
    renderList();
  }

  function chooseRow(id) {
    if (PAGE.listing === "edges") { select([], [id]); } else { select([id], []); }
    saveState();
  }

  // -------------------------------------------------------------------------------- 8 export
  // The selection if there is one, else what the list shows: as CSV (any view), RIS (works) and
  // PNG (the canvas as drawn).
  function exported() {
    var kind = PAGE.listing, set = listedSet();
    var ids = state.selected[kind].length ? state.selected[kind] : null;
    return ids ? ids.map(function (id) { return set.get(id); }).filter(function (i) { return i && i.meta && i.meta.row; })
               : sorted(listed());
  }

  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // never a formula in a spreadsheet
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function exportCSV() {
    var lines = [PAGE.table.map(function (c) { return c[1]; }).concat(["IRI"]).map(csvCell).join(",")];
    exported().forEach(function (item) {
      lines.push(PAGE.table.map(function (c) { return cell(item, c[0]); }).concat([item.id]).map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function exportRIS() {
    var tags = [["AU", "first"], ["TI", "title"], ["PY", "year"], ["JO", "journal"], ["VL", "volume"],
                ["SP", "pages"], ["DO", "doi"], ["AN", "pmid"]];
    return exported().filter(function (item) { return item.meta.cite; }).map(function (item) {
      var lines = ["TY  - JOUR"];
      var fields = Object.assign({ title: item.meta.heading, year: item.meta.row.year }, item.meta.cite);
      tags.forEach(function (pair) {
        var v = fields[pair[1]];
        if (v) { lines.push(pair[0] + "  - " + String(v).replace(/[\r\n]+/g, " ")); }
      });
      lines.push("UR  - " + item.id, "ER  - ");
      return lines.join("\r\n");
    }).join("\r\n") + "\r\n";
  }

  function download(name, blob) {
    var a = element("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  function exportPNG() {
    document.querySelector("#mynetwork canvas").toBlob(function (blob) { download(PAGE.kind + ".png", blob); });
  }

  // ------------------------------------------------------------------ 9 the view state in the URL
  // The action (trace, lineage, filter or focus), the search, the selection and the layout, as
  // the URL's fragment: a link with it opens the page as it was.
  function saveState() {
    var p = new URLSearchParams(), a = state.action || {};
    if (a.trace) { p.set("from", a.trace[0]); p.set("to", a.trace[1]); }
    if (a.lineage) { p.set("lineage", a.lineage.work); p.set("depth", a.lineage.depth); p.set("direction", a.lineage.direction); }
    if (a.focus) { p.set("focus", a.focus.entity); p.set("depth", a.focus.depth); }
    if (a.filter) { ["drug", "antibody", "design"].forEach(function (k) { if (a.filter[k]) { p.set(k, a.filter[k]); } }); }
    if (state.query) { p.set("q", state.query); }
    if (state.selected.nodes.length) { p.set("nodes", state.selected.nodes.join(" ")); }
    if (state.selected.edges.length) { p.set("edges", state.selected.edges.join(" ")); }
    if (state.layout !== PAGE.layout) { p.set("layout", state.layout); }
    var hash = p.toString();
    if (("#" + hash) !== location.hash && (hash || location.hash)) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }

  function stateFromURL() {
    var p = new URLSearchParams(location.hash.slice(1));
    if (!location.hash.slice(1)) { return null; }
    var known = function (id) { return id && nodes.get(id) ? id : null; };
    var action = null;
    if (known(p.get("from")) && known(p.get("to"))) { action = { trace: [p.get("from"), p.get("to")] }; }
    else if (known(p.get("lineage"))) {
      action = { lineage: { work: p.get("lineage"), depth: parseInt(p.get("depth"), 10) || 2,
                            direction: p.get("direction") || "built-upon" } };
    } else if (known(p.get("focus"))) { action = { focus: { entity: p.get("focus"), depth: parseInt(p.get("depth"), 10) || 1 } }; }
    else if (p.get("drug") || p.get("antibody") || p.get("design")) {
      action = { filter: { drug: p.get("drug") || "", antibody: p.get("antibody") || "", design: p.get("design") || "" } };
    }
    var ids = function (key, set) { return (p.get(key) || "").split(" ").filter(function (id) { return id && set.get(id); }); };
    return { action: action, query: p.get("q") || "", layout: p.get("layout"),
             nodes: ids("nodes", nodes), edges: ids("edges", edges) };
  }

  // ------------------------------------------------------------------------------ 10 keyboard
  // The canvas takes focus; the arrow keys move to the nearest shown node that way (selected, as
  // a cursor), Enter shows its details, Escape clears the selection.
  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

  function step(key) {
    var ids = nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
    if (!ids.length) { return null; }
    var at = network.getPositions(ids), d = DIRECTIONS[key];
    var from = state.cursor && at[state.cursor] ? at[state.cursor] : network.getViewPosition();
    var best = null, bestScore = Infinity;
    ids.forEach(function (id) {
      if (id === state.cursor) { return; }
      var dx = at[id].x - from.x, dy = at[id].y - from.y;
      var along = dx * d[0] + dy * d[1], across = Math.abs(dx * d[1] - dy * d[0]);
      if (state.cursor && along <= 0) { return; }
      var score = state.cursor ? along + 2 * across : Math.hypot(dx, dy);
      if (score < bestScore) { bestScore = score; best = id; }
    });
    if (!best) { return state.cursor; }
    state.cursor = best;
    network.setSelection({ nodes: [best], edges: [] }, { unselectAll: true, highlightEdges: false });
    var p = network.canvasToDOM(at[best]), size = viewSize();
    if (p.x < 0 || p.y < 0 || p.x > size.w || p.y > size.h) { network.moveTo({ position: at[best], animation: false }); }
    status(nodes.get(best).label + " (Enter for its details)");
    return best;
  }

  function onKey(ev) {
    if (DIRECTIONS[ev.key]) { ev.preventDefault(); step(ev.key); }
    else if (ev.key === "Enter" && state.cursor) { ev.preventDefault(); select([state.cursor], []); saveState(); status(""); }
    else if (ev.key === "Escape") { state.cursor = null; select([], []); saveState(); }
  }

  // ------------------------------------------------------------------------ 11 wiring and start
  function fill(select, pairs, empty) {
    if (!select) { return; }
    if (empty) { select.appendChild(element("option", empty)).value = ""; }
    pairs.forEach(function (pair) {
      var option = element("option", pair[1]);
      option.value = pair[0];
      select.appendChild(option);
    });
  }

  function on(id, event, handler) { if (byId(id)) { byId(id).addEventListener(event, handler); } }

  function wire() {
    var names = byId("search-names");
    nodes.forEach(function (n) { names.appendChild(element("option", (n.meta && n.meta.heading) || n.label)); });
    on("search-go", "click", function () { search(byId("search").value); });
    on("search", "keydown", function (ev) { if (ev.key === "Enter") { search(byId("search").value); } });
    on("reset", "click", reset);
    var choices = PAGE.choices || {};
    fill(byId("trace-from"), choices.works || []);
    fill(byId("trace-to"), choices.works || []);
    fill(byId("lineage-work"), choices.works || []);
    fill(byId("filter-drug"), choices.drugs || [], "any drug");
    fill(byId("filter-antibody"), choices.antibodies || [], "any antibody");
    fill(byId("filter-design"), choices.designs || [], "any design");
    fill(byId("focus-entity"), choices.entities || []);
    on("trace-go", "click", function () { trace(byId("trace-from").value, byId("trace-to").value); });
    on("lineage-go", "click", function () {
      lineage(byId("lineage-work").value, parseInt(byId("lineage-depth").value, 10) || 1, byId("lineage-direction").value);
    });
    ["filter-drug", "filter-antibody", "filter-design"].forEach(function (id) {
      on(id, "change", function () {
        filter({ drug: byId("filter-drug").value, antibody: byId("filter-antibody").value, design: byId("filter-design").value });
      });
    });
    on("focus-go", "click", function () { focus(byId("focus-entity").value, parseInt(byId("focus-depth").value, 10) || 1); });
    on("layout", "change", function () { setLayout(byId("layout").value); });
    on("export-csv", "click", function () { download(PAGE.kind + ".csv", new Blob([exportCSV()], { type: "text/csv" })); });
    on("export-ris", "click", function () { download(PAGE.kind + ".ris", new Blob([exportRIS()], { type: "application/x-research-info-systems" })); });
    on("export-png", "click", exportPNG);
    document.querySelectorAll("#list-table th button").forEach(function (b) {
      b.addEventListener("click", function () { sortBy(b.dataset.key); });
    });
    var body = document.querySelector("#list-table tbody");
    body.addEventListener("click", function (ev) { var tr = ev.target.closest("tr"); if (tr) { chooseRow(tr.dataset.id); } });
    body.addEventListener("keydown", function (ev) {
      var tr = ev.target.closest("tr");
      if (tr && ev.key === "Enter") { chooseRow(tr.dataset.id); }
    });
    byId("mynetwork").addEventListener("keydown", onKey);
    network.on("click", function (params) {
      var nodeIds = params.nodes.slice(0, 1), edgeIds = nodeIds.length ? [] : params.edges.slice(0, 1);
      state.selected = { nodes: nodeIds, edges: edgeIds };
      var first = nodeIds.length ? nodes.get(nodeIds[0]) : edgeIds.length ? edges.get(edgeIds[0]) : null;
      if (first) { showDetails(first.meta); }
      markSelected(true);
      edgeLabels();
      saveState();
    });
    network.on("hoverEdge", function (params) { hovered.edge = params.edge; edgeLabels(); });
    network.on("blurEdge", function () { hovered.edge = null; edgeLabels(); });
    byId("mynetwork").addEventListener("mouseleave", function () { hovered.edge = null; edgeLabels(); });
    network.on("beforeDrawing", drawAxis);
    network.on("afterDrawing", labelsOnTop);
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

  function start() {
    var fromURL = stateFromURL();
    if (fromURL && fromURL.layout) { state.layout = fromURL.layout; if (byId("layout")) { byId("layout").value = fromURL.layout; } }
    arrange(nodes.getIds());
    applyInitial(fromURL ? fromURL.action : PAGE.initial);
    if (fromURL && fromURL.query) { byId("search").value = fromURL.query; search(fromURL.query); }
    if (fromURL && (fromURL.nodes.length || fromURL.edges.length)) { select(fromURL.nodes, fromURL.edges); }
    changed();
  }

  remember();
  wire();
  start();
  window.maild = {
    trace: trace, lineage: lineage, filter: filter, focus: focus, search: search, reset: reset,
    select: select, setLayout: setLayout, arrange: arrange, listed: listed, sortBy: sortBy,
    exportCSV: exportCSV, exportRIS: exportRIS, highlight: highlight, showOnly: showOnly,
    showDetails: showDetails, status: status, element: element, adjacency: adjacency,
    distances: distances, step: step, state: state, hooks: hooks
  };
})();
