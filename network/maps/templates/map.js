/* Influence map page script: legend, search, filters, highlight and panels over vis-network.
 *
 * Reads its data with JSON.parse from two JSON script elements: "influence-map-data" (what the
 * first drawing needs) and "influence-map-details" (entities, edges, relationships, sources: read
 * on first use). Tables of records come as columns (network.maps.page.as_columns), rebuilt here.
 * Every string from the data reaches the page through textContent, DOM properties or
 * canvas labels: never innerHTML. Page globals: `network`, `nodes`, `edges` (as pyvis
 * pages have them) and `influenceMap`, the API the tests and curious users can call.
 */
var network, nodes, edges, influenceMap;
(function () {
  "use strict";
  performance.mark("map:start");
  const data = JSON.parse(document.getElementById("influence-map-data").textContent);
  performance.mark("map:data-parsed");
  const $ = (id) => document.getElementById(id);
  const panel = $("map-panel");
  const VEIL = "rgba(255, 255, 255, 0.8)";  // laid over everything but the selection's neighbourhood
  const state = {
    types: new Set(), layers: new Set(), relationshipTypes: new Set(), minAmountUsd: 0, yearFrom: null, yearTo: null,
    selected: null, focus: null, hiddenNodes: new Set(), hiddenEdges: new Set(),
    firstDrawMs: null, stabilized: !data.physics, drawCount: 0,
  };

  /* ---------- DOM building: text only ---------- */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "text") node.textContent = value;
      else if (key === "style") Object.assign(node.style, value);
      else if (key === "on") for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
      else node[key] = value;  // className, dir, lang, type, value, checked, title...: properties, never markup
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  const present = (part) => part !== null && part !== undefined && part !== false && part !== "";  // never "null" text
  const isLanguageTag = (text) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(text || "");
  const isWebLink = (url) => /^https?:\/\//i.test(url || "");

  /* ---------- records from columns (network.maps.page.as_columns) ---------- */
  const columnValues = (column) => (Array.isArray(column) ? column : column.codes.map((code) => column.values[code]));
  function fromColumns(table, {keepNull = true, skip = []} = {}) {  // -> records, keyed by ids when there are ids
    const names = Object.keys(table.columns).filter((name) => !skip.includes(name));
    const columns = names.map((name) => columnValues(table.columns[name]));
    const records = new Array(table.count);
    for (let i = 0; i < table.count; i++) {
      const record = {};
      for (let c = 0; c < names.length; c++) {
        const value = columns[c][i];
        if (keepNull || value !== null) record[names[c]] = value;
      }
      records[i] = record;
    }
    return table.ids ? Object.fromEntries(table.ids.map((id, i) => [id, records[i]])) : records;
  }
  const pageColumn = (table, name) => (table.columns[name] ? columnValues(table.columns[name]) : []);

  /* ---------- vis-network items: null fields left out, edge tooltips composed here ---------- */
  // Ids are data: vis-network keeps items in plain objects, where an id such as "constructor" or
  // "__proto__" meets Object.prototype (and the page overflows its stack). Such ids, and any that
  // start with "~", reach vis-network as "~" + id; toVis/fromVis are used wherever ids cross over.
  const toVis = (id) => (typeof id === "string" && (id in Object.prototype || id.startsWith("~")) ? "~" + id : id);
  const fromVis = (id) => (typeof id === "string" && id.startsWith("~") ? id.slice(1) : id);
  const visNodes = fromColumns(data.vis.nodes, {keepNull: false, skip: ["name"]});
  const visEdges = fromColumns(data.vis.edges, {keepNull: false, skip: ["directed", "tooltip"]});
  (function composeEdgeTooltips() {  // "A → B" (or "A — B"), then layer and types, amount, status
    const names = pageColumn(data.vis.nodes, "name");
    const nameOfEnd = new Map(visNodes.map((node, i) => [node.id, names[i] ?? node.label]));
    const directed = pageColumn(data.vis.edges, "directed"), tooltips = pageColumn(data.vis.edges, "tooltip");
    visEdges.forEach((edge, i) => {
      const ends = `${nameOfEnd.get(edge.from) ?? edge.from} ${directed[i] ? "\u2192" : "\u2014"} ${nameOfEnd.get(edge.to) ?? edge.to}`;
      edge.title = tooltips[i] ? ends + "\n" + tooltips[i] : ends;
    });
  })();
  performance.mark("map:items-built");

  /* ---------- details and indexes, read on first use (the first drawing needs neither) ---------- */
  const entityIds = visNodes.map((n) => n.id);
  const tieIds = visEdges.map((e) => e.id);
  let details = null, index = null;
  function info() {  // entities, ties (edge records), relationships, sources
    if (details === null) {
      const parsed = JSON.parse(document.getElementById("influence-map-details").textContent);
      details = Object.assign(parsed, {entities: fromColumns(parsed.entities), ties: fromColumns(parsed.ties),
                                       relationships: fromColumns(parsed.relationships)});
      performance.mark("map:details-parsed");
    }
    return details;
  }
  const year = (text) => (/^\d{4}/.test(text || "") ? parseInt(text.slice(0, 4), 10) : null);
  function indexes() {
    if (index !== null) return index;
    const {entities, ties, relationships} = info();
    const tiesByEntity = new Map(entityIds.map((id) => [id, []]));
    for (const id of tieIds) {
      const tie = ties[id];
      tiesByEntity.get(tie.source).push(id);
      if (tie.target !== tie.source) tiesByEntity.get(tie.target).push(id);
      tie.firstYear = year(tie.firstDate) ?? year(tie.lastDate);  // an edge with only a start date
      tie.lastYear = year(tie.lastDate) ?? tie.firstYear;          // lasts that year
    }
    const relationshipsByEntity = new Map(entityIds.map((id) => [id, []]));
    for (const r of relationships) {
      for (const end of new Set([r.source, r.target])) {
        if (relationshipsByEntity.has(end)) relationshipsByEntity.get(end).push(r);
      }
    }
    const searchKeys = entityIds.map((id) => {
      const e = entities[id];
      const keys = [e.name, e.nameAr, ...e.aliases, id].filter(Boolean);
      return {id, keys: keys.map((text) => {
        const norm = normalize(text);
        return {text, norm, tokens: norm.split(" ").filter(Boolean)};
      })};
    });
    index = {tiesByEntity, relationshipsByEntity, searchKeys,
             relationshipById: new Map(relationships.map((r) => [r.id, r]))};
    return index;
  }
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);  // ids are data, not keys of Object
  const nameOf = (id) => (has(info().entities, id) ? info().entities[id].name : id);
  const typeLabel = (type) => (has(data.typeLabels, type) ? data.typeLabels[type] : type);

  /* ---------- search: names, aliases and ids, English and Arabic, as the command line matches ---------- */
  function normalize(text) {  // network.contract.names.normalize_name: case, Arabic marks and letter variants, punctuation
    return (text || "").normalize("NFKC")
      .replace(/[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g, "")  // Arabic marks, tatweel
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .toLowerCase().replace(/\p{Cf}/gu, "").replace(/[\p{P}\p{Z}\p{C}]+/gu, " ").trim();
  }
  function queryForms(query) {  // the query, and "Last, First" turned around
    const forms = [normalize(query)];
    const parts = (query || "").split(",");
    if (parts.length === 2 && parts[0].trim() && parts[1].trim()) forms.push(normalize(parts[1] + " " + parts[0]));
    return forms.filter(Boolean);
  }
  function withinOneEdit(a, b) {  // Levenshtein distance <= 1 ("الون" and "ايلون": a letter left out)
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++; else if (a.length < b.length) j++; else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }
  function keyRank(key, q) {
    if (key.norm === q) return 0;
    if (key.norm.startsWith(q)) return 1;
    if (key.norm.includes(" " + q)) return 2;
    if (key.norm.includes(q)) return 3;
    const words = q.split(" ");
    if (words.every((w) => key.tokens.some((t) => t.startsWith(w)))) return 4;  // any order: "musk elon"
    if (words.every((w) => key.tokens.some((t) => t.startsWith(w) || (w.length >= 4 && withinOneEdit(w, t))))) return 5;
    return null;
  }
  const sizeOf = new Map(visNodes.map((n) => [n.id, n.size || 0]));
  function search(query) {
    const forms = queryForms(query);
    if (!forms.length) return [];
    const found = [];
    for (const entry of indexes().searchKeys) {
      let best = null;
      for (const key of entry.keys) {
        for (const q of forms) {
          const rank = keyRank(key, q);
          if (rank !== null && (best === null || rank < best.rank)) best = {rank, text: key.text};
        }
      }
      if (best) found.push({id: entry.id, rank: best.rank, matched: best.text});
    }
    found.sort((a, b) => a.rank - b.rank || sizeOf.get(b.id) - sizeOf.get(a.id) || (a.id < b.id ? -1 : 1));
    return found.map(({id, matched}) => ({id, name: nameOf(id), matched}));
  }
  function showSearchResults(query) {
    const results = search(query).slice(0, 8);
    $("search-results").replaceChildren(...results.map((r) => el("li", {}, [
      el("button", {type: "button", on: {click: () => selectEntity(r.id, {focus: true})}}, [
        el("span", {dir: "auto", text: r.name}),
        r.matched !== r.name ? el("span", {className: "match", dir: "auto", text: r.matched}) : null]),
    ])));
    if (query && !results.length) $("search-results").replaceChildren(el("li", {className: "note", text: "No match."}));
    return results;
  }

  /* ---------- legend and filter controls ---------- */
  function legendRow(mark, label, count) {
    return el("div", {className: "legend-row"}, [mark, el("span", {dir: "auto", text: label}),
      count === undefined ? null : el("span", {className: "n", text: String(count)})]);
  }
  const dot = (color) => el("span", {className: "swatch", style: {background: color}});
  const line = (color, style) => el("span", {className: "line", style: {borderTopColor: color, borderTopStyle: style}});
  function buildLegend() {
    const rows = [el("h3", {className: "note", text: data.legend.nodeTitle})];
    for (const item of data.legend.nodes) rows.push(legendRow(dot(item.color), item.label, item.count));
    if (data.legend.more) rows.push(el("p", {className: "note", text: data.legend.more}));
    rows.push(el("h3", {className: "note", text: "Layers (edge color)"}));
    for (const item of data.legend.layers) rows.push(legendRow(line(item.color, "solid"), item.label, item.count));
    rows.push(el("h3", {className: "note", text: "Line style"}));
    rows.push(legendRow(line("#57606a", "solid"), "confirmed or reported"));
    rows.push(legendRow(line("#57606a", "dotted"), "planned or alleged"));
    rows.push(legendRow(line("#57606a", "dashed"), "conflict layer"));
    for (const note of data.legend.notes) rows.push(el("p", {className: "note", text: note}));
    $("legend").replaceChildren(...rows);
  }
  function checkboxes(fieldsetId, items, chosen) {
    const fieldset = $(fieldsetId);
    if (items.length < 2) { fieldset.hidden = true; }
    for (const item of items) {
      chosen.add(item.key);
      const box = el("input", {type: "checkbox", checked: true, value: item.key, on: {change: (event) => {
        if (event.target.checked) chosen.add(item.key); else chosen.delete(item.key);
        applyFilters();
      }}});
      fieldset.appendChild(el("label", {className: "option"}, [box, item.color ? dot(item.color) : null,
        el("span", {dir: "auto", text: item.label}), el("span", {className: "n", text: String(item.count)})]));
    }
  }
  function formatUsd(amount) { return amount > 0 ? "$" + amount.toLocaleString("en-US") : "any"; }
  function buildFilters() {
    checkboxes("filter-types", data.filters.types, state.types);
    checkboxes("filter-layers", data.filters.layers, state.layers);
    checkboxes("filter-relationship-types", data.filters.relationshipTypes, state.relationshipTypes);
    const steps = data.filters.amountSteps;
    const slider = $("min-amount");
    if (steps.length < 2) $("filter-amount").hidden = true;
    slider.max = String(Math.max(steps.length - 1, 0));
    slider.addEventListener("input", () => {
      state.minAmountUsd = steps[Number(slider.value)] || 0;
      $("min-amount-value").textContent = formatUsd(state.minAmountUsd);
      applyFilters();
    });
    const years = data.filters.years;
    if (!years) { $("filter-dates").hidden = true; } else {
      for (const id of ["year-from", "year-to"]) {
        const input = $(id);
        input.min = String(years[0]); input.max = String(years[1]);
        input.value = String(id === "year-from" ? years[0] : years[1]);
        input.addEventListener("change", () => {
          const value = parseInt(input.value, 10);
          state[id === "year-from" ? "yearFrom" : "yearTo"] = Number.isFinite(value) ? value : null;
          applyFilters();
        });
      }
    }
    $("reset-filters").addEventListener("click", () => resetFilters());
    const toggle = $("physics-toggle");
    toggle.checked = Boolean(data.physics);
    toggle.addEventListener("change", () => setPhysics(toggle.checked));
    $("physics-note").textContent = data.physicsNote;
  }

  /* ---------- filtering ---------- */
  function tiePasses(tie) {
    if (!tie.layers.some((layer) => state.layers.has(layer))) return false;
    if (tie.types.length && !tie.types.some((type) => state.relationshipTypes.has(type))) return false;
    const amount = Math.max(tie.amountUsd ?? -1, tie.statedTotalUsd ?? -1);
    if (state.minAmountUsd > 0 && amount >= 0 && amount < state.minAmountUsd) return false;
    if (state.yearFrom !== null && tie.lastYear !== null && tie.lastYear < state.yearFrom) return false;
    if (state.yearTo !== null && tie.firstYear !== null && tie.firstYear > state.yearTo) return false;
    return true;
  }
  function applyFilters() {
    indexes();  // edge years
    const nodeChanges = [], edgeChanges = [];
    const passing = new Map(tieIds.map((id) => [id, tiePasses(info().ties[id])]));
    for (const id of entityIds) {
      // hidden by its type, or left with no visible tie by the tie filters (layer, type, amount, years)
      const ties = indexes().tiesByEntity.get(id);
      const hide = !state.types.has(info().entities[id].type) || (ties.length > 0 && !ties.some((t) => passing.get(t)));
      if (hide !== state.hiddenNodes.has(id)) {
        nodeChanges.push({id, hidden: hide});
        if (hide) state.hiddenNodes.add(id); else state.hiddenNodes.delete(id);
      }
    }
    tieIds.forEach((id) => {
      const tie = info().ties[id];
      const hide = state.hiddenNodes.has(tie.source) || state.hiddenNodes.has(tie.target) || !passing.get(id);
      if (hide !== state.hiddenEdges.has(id)) {
        edgeChanges.push({id, hidden: hide});
        if (hide) state.hiddenEdges.add(id); else state.hiddenEdges.delete(id);
      }
    });
    if (nodeChanges.length) nodes.update(nodeChanges.map((change) => ({...change, id: toVis(change.id)})));
    if (edgeChanges.length) edges.update(edgeChanges.map((change) => ({...change, id: toVis(change.id)})));
    const selected = state.selected;
    if (selected && ((selected.kind === "entity" && state.hiddenNodes.has(selected.id))
                     || (selected.kind === "edge" && state.hiddenEdges.has(selected.id)))) clearSelection();
    else refreshHighlight();
    updateStatus();
    return counts();
  }
  function counts() {
    return {entities: entityIds.length - state.hiddenNodes.size, edges: tieIds.length - state.hiddenEdges.size};
  }
  function updateStatus() {
    const c = counts();
    $("map-status").textContent = `Showing ${c.entities} of ${entityIds.length} ${data.nouns[0]} and `
      + `${c.edges} of ${tieIds.length} ${data.nouns[1]}.`;
  }
  function setFilters(options) {
    const sets = {types: state.types, layers: state.layers, relationshipTypes: state.relationshipTypes};
    const ids = {types: "filter-types", layers: "filter-layers", relationshipTypes: "filter-relationship-types"};
    for (const key of Object.keys(sets)) {
      if (!options[key]) continue;
      const wanted = new Set(options[key]);
      for (const box of $(ids[key]).querySelectorAll("input[type=checkbox]")) {
        box.checked = wanted.has(box.value);
        if (box.checked) sets[key].add(box.value); else sets[key].delete(box.value);
      }
    }
    if (options.minAmountUsd !== undefined) {
      state.minAmountUsd = Number(options.minAmountUsd) || 0;
      $("min-amount-value").textContent = formatUsd(state.minAmountUsd);
    }
    for (const key of ["yearFrom", "yearTo"]) {
      if (options[key] === undefined) continue;
      state[key] = options[key];
      $(key === "yearFrom" ? "year-from" : "year-to").value = options[key] === null ? "" : String(options[key]);
    }
    return applyFilters();
  }
  function resetFilters() {
    $("min-amount").value = "0";
    const years = data.filters.years;
    return setFilters({types: data.filters.types.map((i) => i.key), layers: data.filters.layers.map((i) => i.key),
      relationshipTypes: data.filters.relationshipTypes.map((i) => i.key), minAmountUsd: 0,
      yearFrom: years ? years[0] : null, yearTo: years ? years[1] : null});
  }

  /* ---------- selection and neighbourhood highlight ---------- */
  function neighbourhood(selected) {
    if (selected.kind === "edge") {
      const tie = info().ties[selected.id];
      return {nodes: new Set([tie.source, tie.target]), edges: new Set([selected.id])};
    }
    const near = {nodes: new Set([selected.id]), edges: new Set()};
    for (const id of indexes().tiesByEntity.get(selected.id) || []) {
      if (state.hiddenEdges.has(id)) continue;
      near.edges.add(id);
      near.nodes.add(info().ties[id].source); near.nodes.add(info().ties[id].target);
    }
    return near;
  }
  function refreshHighlight() {
    state.focus = state.selected ? neighbourhood(state.selected) : null;
    // ask for one redraw on the next frame (coalesced with vis-network's own), not a synchronous one
    if (network.body && network.body.emitter) network.body.emitter.emit("_requestRedraw"); else network.redraw();
  }
  function drawFocus(ctx) {
    // Neighbourhood highlight without touching the DataSets (updating 20,000 edges takes seconds):
    // veil the drawing, then draw the neighbourhood again on top with vis-network's own
    // node and edge drawing (internal API of the pinned vis-network 9.1.2).
    const focus = state.focus;
    if (!focus) return;
    const frame = $("mynetwork");
    const topLeft = network.DOMtoCanvas({x: 0, y: 0});
    const bottomRight = network.DOMtoCanvas({x: frame.clientWidth, y: frame.clientHeight});
    ctx.save();
    ctx.fillStyle = VEIL;
    ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
    ctx.restore();
    const body = network.body;
    const shown = [...focus.edges].map((id) => body.edges[toVis(id)]).filter((edge) => edge && typeof edge.draw === "function");
    shown.forEach((edge) => edge.draw(ctx));
    shown.forEach((edge) => edge.drawArrows(ctx));
    const labels = [];
    for (const id of focus.nodes) {
      const node = body.nodes[toVis(id)];
      if (!node || typeof node.draw !== "function" || state.hiddenNodes.has(id)) continue;
      const drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
    }
    labels.forEach((drawLabel) => drawLabel());
  }
  function selectEntity(id, options) {
    if (!has(info().entities, id)) return false;
    state.selected = {kind: "entity", id};
    refreshHighlight();
    if (!state.hiddenNodes.has(id)) {
      network.selectNodes([toVis(id)], false);
      if (options && options.focus) {
        network.focus(toVis(id), {scale: Math.max(network.getScale(), 0.9), animation: {duration: 350, easingFunction: "easeInOutQuad"}});
        network.once("animationFinished", arrowsForZoom);
      }
    }
    renderEntityPanel(id);
    return true;
  }
  function selectTie(id) {
    if (!has(info().ties, id)) return false;
    state.selected = {kind: "edge", id};
    refreshHighlight();
    if (!state.hiddenEdges.has(id)) network.selectEdges([toVis(id)]);
    renderTiePanel(id);
    return true;
  }
  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    refreshHighlight();
    panel.replaceChildren(el("p", {className: "hint",
      text: "Click an entity or an edge, or search, to see its relationships, amounts and sources."}));
  }
  function fitWithLabels() {  // vis-network's fit() frames node centres and sizes, not labels
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    for (const id of entityIds) {
      if (state.hiddenNodes.has(id)) continue;
      const box = network.getBoundingBox(toVis(id));
      if (!box) continue;
      left = Math.min(left, box.left); right = Math.max(right, box.right);
      top = Math.min(top, box.top); bottom = Math.max(bottom, box.bottom);
    }
    const frame = $("mynetwork");
    if (!(right > left) || !(bottom > top) || !frame.clientWidth || !frame.clientHeight) return;
    const scale = 0.96 * Math.min(frame.clientWidth / (right - left), frame.clientHeight / (bottom - top));
    network.moveTo({position: {x: (left + right) / 2, y: (top + bottom) / 2}, scale: Math.min(scale, 1.5)});
    arrowsForZoom();
  }
  let arrowsShown = data.arrowsFromScale === null;
  function arrowsForZoom() {  // large maps: arrowheads only once zoomed in enough to see them
    if (data.arrowsFromScale === null) return;
    const wanted = network.getScale() >= data.arrowsFromScale;
    if (wanted === arrowsShown) return;
    arrowsShown = wanted;
    network.setOptions({edges: {arrows: {to: {enabled: wanted, scaleFactor: 0.55}}}});
  }
  function setPhysics(enabled) {
    network.setOptions({physics: {enabled: Boolean(enabled)}});
    $("physics-toggle").checked = Boolean(enabled);
    return Boolean(enabled);
  }

  /* ---------- panels ---------- */
  const QUALIFIER_WORDS = {at_least: "at least ", at_most: "at most ", approx: "about "};
  const usd = (amount) => (amount === null || amount === undefined ? "" : "$" + Math.round(amount).toLocaleString("en-US"));
  const number = (value) => (value === null || value === undefined ? ""
    : Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))));
  function edgeFacts(tie) {
    const rows = [["Layer", tie.layers.join(", ")], ["Types", tie.types.join(", ")], ["Strength", number(tie.strength)],
      ["Amount", tie.amountUsd === undefined ? "" : (QUALIFIER_WORDS[tie.amountQualifier] ?? "") + usd(tie.amountUsd)],
      ["Stated total", usd(tie.statedTotalUsd)],
      ["Relationships", String(tie.relationshipCount)],
      ["Dates", [tie.firstDate, tie.lastDate].filter(Boolean).join(" to ")],
      [tie.relationshipCount > 1 ? "Status (best of its relationships)" : "Status", tie.status]];
    return rows.concat(tie.layerStrengths ? tie.layerStrengths.map(([layer, value]) => [`Strength (${layer})`, number(value)]) : []);
  }
  function facts(pairs) {
    const list = el("dl", {className: "facts"});
    for (const [label, value] of pairs) {
      if (value === "" || value === null || value === undefined) continue;
      list.append(el("dt", {text: label}), el("dd", {dir: "auto", text: String(value)}));
    }
    return list;
  }
  function entityButton(id) {
    if (!has(info().entities, id)) return el("span", {dir: "auto", text: id});
    return el("button", {type: "button", className: "link", dir: "auto", text: nameOf(id),
                         on: {click: () => selectEntity(id, {focus: true})}});
  }
  function sourceItem(sourceId) {
    const s = has(info().sources, sourceId) ? info().sources[sourceId] : null;
    if (!s) return el("li", {text: `${sourceId} (not in the sources table)`});
    const title = el("cite", {dir: "auto", text: s.title || sourceId});
    if (isLanguageTag(s.language)) title.lang = s.language;
    const parts = [el("span", {dir: "auto", text: s.publisher}), s.publisher ? ": " : "", title];
    if (s.published) parts.push(` (${s.published})`);
    if (isWebLink(s.url)) {
      parts.push(" ");
      parts.push(el("a", {href: s.url, target: "_blank", rel: "noopener noreferrer", text: "link"}));
    }
    if (s.document) parts.push(el("span", {className: "note", text: ` document ${s.document}`}));
    return el("li", {}, parts);
  }
  function relationshipItem(r) {
    const head = el("div", {className: "rel-head"}, [entityButton(r.source),
      el("span", {className: "rel-type", text: `${r.type} →`}), entityButton(r.target)]);
    const tags = [];
    if (r.aggregate) tags.push(el("span", {className: "tag", text: "aggregate total"}));
    if (r.status === "planned" || r.status === "alleged") tags.push(el("span", {className: "tag", text: r.status}));
    const dates = [r.startDate, r.endDate].filter(Boolean);
    return el("li", {}, [head, ...tags, facts([
      ["Amount", r.amount], ["Dates", r.startDate && r.endDate ? `${r.startDate} to ${r.endDate}` : dates.join("")],
      ["Status", r.status], ["Role", r.role], ["Against filings", r.check], ["Id", r.id]]),
      r.evidence ? el("p", {className: "evidence", dir: "auto", text: r.evidence}) : null,
      r.sourceIds.length ? el("ul", {className: "sources"}, r.sourceIds.map(sourceItem)) : null]);
  }
  const PANEL_LIMIT = 200;  // a hub can have thousands: list the first ones, the rest on request
  function relationshipList(list, heading) {
    const items = el("ol", {className: "relationships"}, list.slice(0, PANEL_LIMIT).map(relationshipItem));
    const parts = [el("h3", {text: `${heading} (${list.length})`}), items];
    if (list.length > PANEL_LIMIT) {
      const more = el("button", {type: "button", text: `Show all ${list.length}`, on: {click: () => {
        items.append(...list.slice(PANEL_LIMIT).map(relationshipItem));
        more.remove();
      }}});
      parts.push(more);
    }
    return parts;
  }
  function renderEntityPanel(id) {
    const e = info().entities[id];
    const arabicFirst = data.labels === "ar" && e.nameAr;
    const parts = [el("p", {className: "kind", text: typeLabel(e.type)}),
      arabicFirst ? el("h2", {dir: "rtl", lang: "ar", text: e.nameAr}) : el("h2", {dir: "auto", text: e.name}),
      arabicFirst ? el("p", {dir: "auto", text: e.name})
                  : (e.nameAr ? el("p", {className: "name-ar", dir: "rtl", lang: "ar", text: e.nameAr}) : null)];
    if (e.aliases.length) {
      const aliases = el("p", {className: "note"}, ["Also known as: "]);
      e.aliases.forEach((alias, i) => aliases.append(el("bdi", {dir: "auto", text: alias}), i < e.aliases.length - 1 ? "; " : ""));
      parts.push(aliases);
    }
    if (e.description) parts.push(el("p", {dir: "auto", text: e.description}));
    if (state.hiddenNodes.has(id)) parts.push(el("p", {className: "tag", text: "hidden by the current filters"}));
    parts.push(facts(e.facts));
    if (e.members) {
      parts.push(el("h3", {text: `Members (${e.memberCount}${e.members.length < e.memberCount ? `, top ${e.members.length} by PageRank` : ""})`}));
      parts.push(el("ol", {className: "members"}, e.members.map((m) => el("li", {}, [
        el("span", {dir: "auto", text: m[1]}), el("span", {className: "note", text: ` ${typeLabel(m[2])}`})]))));
    } else {
      parts.push(...relationshipList(indexes().relationshipsByEntity.get(id) || [], "Relationships"));
      if (e.outside) parts.push(el("p", {className: "note", text: `${e.outside} more relationship(s) of this entity are not on this map.`}));
    }
    panel.replaceChildren(...parts.filter(present));
    panel.scrollTop = 0;
  }
  function renderTiePanel(id) {
    const tie = info().ties[id];
    const parts = [el("p", {className: "kind", text: data.kind === "overview" ? "Edges between communities" : "Edge"}),
      el("h2", {}, [entityButton(tie.source), tie.directed ? " → " : " — ", entityButton(tie.target)]),
      facts(edgeFacts(tie))];
    if (tie.relationshipIds.length) {
      const list = tie.relationshipIds.map((rid) => indexes().relationshipById.get(rid)
        || {id: rid, source: tie.source, target: tie.target, type: "?", amount: "", role: "(not in the relationships table)",
            startDate: "", endDate: "", status: "", aggregate: false, sourceIds: [], evidence: "", check: ""});
      parts.push(...relationshipList(list, "Relationships"));
    }
    panel.replaceChildren(...parts.filter(present));
    panel.scrollTop = 0;
  }

  /* ---------- the network ---------- */
  function skipFontsOfUnlabelledEdges() {
    // vis-network 9.1.2 resolves the label fonts of every edge (four font variants, five
    // properties each, through four layers of options) even when the edge has no label, and
    // none of ours has one: that is half the time it takes to build 20,000 edges. An edge
    // without a label skips it; one that gets a label later is resolved as usual. Internal API
    // of the pinned vis-network (Edge.prototype.updateLabelModule); left alone if it changed.
    const probe = network.body.functions.createEdge({id: "probe", from: "probe-from", to: "probe-to"});
    const edgePrototype = Object.getPrototypeOf(probe);
    const resolveFonts = edgePrototype.updateLabelModule;
    if (typeof resolveFonts !== "function" || resolveFonts.length !== 1 || !("label" in probe.options)) return;
    edgePrototype.updateLabelModule = function (options) {
      if (this.options.label !== undefined) resolveFonts.call(this, options);
    };
  }
  performance.mark("map:indexed");
  buildLegend();
  buildFilters();
  updateStatus();  // before the network measures its frame: the status line takes room in the header
  performance.mark("map:controls-built");
  nodes = new vis.DataSet(visNodes.map((node) => ({...node, id: toVis(node.id)})));
  edges = new vis.DataSet(visEdges.map((edge) => ({...edge, id: toVis(edge.id), from: toVis(edge.from), to: toVis(edge.to)})));
  performance.mark("map:datasets-built");
  // Built empty, then given its data once the listeners below are on, so that no drawing of the
  // map goes unseen (the first one marks the map as drawn and frames it, labels included: vis-network
  // places labels, and so knows their boxes, only when it draws them).
  network = new vis.Network($("mynetwork"), {}, data.vis.options);
  skipFontsOfUnlabelledEdges();
  network.on("afterDrawing", (ctx) => {
    drawFocus(ctx);
    state.drawCount += 1;
    if (state.firstDrawMs === null) {
      state.firstDrawMs = performance.now();
      performance.mark("map:first-draw");
      document.body.dataset.drawn = "true";
      fitWithLabels();
    }
  });
  network.on("stabilizationIterationsDone", () => { state.stabilized = true; });
  let zoomTimer = null;
  network.on("zoom", () => { clearTimeout(zoomTimer); zoomTimer = setTimeout(arrowsForZoom, 250); });
  network.on("click", (params) => {
    if (params.nodes.length) selectEntity(fromVis(params.nodes[0]));
    else if (params.edges.length) selectTie(fromVis(params.edges[0]));
    else clearSelection();
  });
  const searchBox = $("map-search");
  searchBox.addEventListener("input", () => showSearchResults(searchBox.value));
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { const hits = search(searchBox.value); if (hits.length) selectEntity(hits[0].id, {focus: true}); }
    if (event.key === "Escape") { searchBox.value = ""; showSearchResults(""); clearSelection(); }
  });
  network.setData({nodes, edges});
  if (!entityIds.length) { state.stabilized = true; network.redraw(); }  // nothing to stabilize or fit
  performance.mark("map:network-built");

  influenceMap = Object.freeze({
    get data() { return Object.assign({}, data, info()); },
    selectEntity: (id) => selectEntity(id, {focus: true}),
    selectEdge: selectTie,
    clearSelection,
    search,
    searchAndSelect(query) { const hits = search(query); return hits.length && selectEntity(hits[0].id, {focus: true}) ? hits[0].id : null; },
    setFilters,
    resetFilters,
    visibleEntityIds: () => entityIds.filter((id) => !state.hiddenNodes.has(id)),
    visibleEdgeIds: () => tieIds.filter((id) => !state.hiddenEdges.has(id)),
    panelText: () => panel.textContent,
    setPhysics,
    fit: fitWithLabels,
    status: () => ({firstDrawMs: state.firstDrawMs, drawCount: state.drawCount, stabilized: state.stabilized,
                    physics: $("physics-toggle").checked, selected: state.selected, ...counts(),
                    highlighted: state.focus ? {entities: [...state.focus.nodes].sort(), edges: [...state.focus.edges].sort()} : null}),
  });
})();
