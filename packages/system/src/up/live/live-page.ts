/**
 * The live page of `sf up --ui`: one HTML document, no build step. Its script loads `/graph.svg`
 * once, then every second `/status.json`, and writes each wire's rate under its edge label
 * (Graphviz names the edges `edge1`, `edge2`… in `sf graph`'s order) and one row per service.
 * Below, the recent traces (`/traces.json`, filtered by a workflow id prefix) and, for the one
 * picked, a waterfall of its spans with one lane per service (`/trace.json`).
 */
export const LIVE_PAGE =
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sf up</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2733; }
  h1 { font-size: 1.3em; margin: 0 0 .6em; }
  #graph svg { max-width: 100%; height: auto; }
  text.sf-rate { font: bold 11px sans-serif; fill: #b3261e; }
  text.sf-rate.idle { fill: #8a96a3; }
  table { border-collapse: collapse; margin-top: 1em; }
  th, td { padding: .25em .8em; border-bottom: 1px solid #dde3ea; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .up, .running { color: #1e7a3c; } .restarting, .starting { color: #a86b00; } .crash { color: #b3261e; font-weight: bold; }
  #updated { color: #8a96a3; font-size: .85em; }
  h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
  #traces tbody tr { cursor: pointer; } #traces tbody tr:hover, #traces tbody tr.picked { background: #eef3f8; }
  .error { color: #b3261e; } .ok { color: #1e7a3c; }
  #waterfall { margin-top: .8em; }
  .lane { border-top: 1px solid #dde3ea; padding: .2em 0; }
  .lane-name { font-weight: bold; font-size: .9em; }
  .span { position: relative; height: 20px; margin: 2px 0; }
  .bar { position: absolute; height: 16px; top: 2px; background: #4a7fb5; border-radius: 2px; min-width: 2px; }
  .bar.error { background: #b3261e; }
  .label { position: absolute; font-size: 11px; top: 3px; white-space: nowrap; color: #1d2733; }
</style>
</head>
<body>
<h1>system <span id="system">…</span> <span id="updated"></span></h1>
<div id="graph">loading the graph…</div>
<table id="services">
  <thead><tr><th>service</th><th>state</th><th>ready</th><th>pid</th><th>up</th>` +
  `<th>restarts</th><th>in msg/s</th><th>out msg/s</th><th>errors</th><th>rejected</th><th>last error</th></tr></thead>
  <tbody></tbody>
</table>
<ul id="entries"></ul>
<h2>traces <input id="workflow" placeholder="workflow id" size="40"></h2>
<div id="tracing-note"></div>
<table id="traces">
  <thead><tr><th>started</th><th>first span</th><th>services</th><th>workflow id</th><th>spans</th><th>ms</th><th>status</th></tr></thead>
  <tbody></tbody>
</table>
<div id="waterfall"></div>
<script>
const SVG_NS = 'http://www.w3.org/2000/svg';
const rate = (value) => value === null ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; };

async function loadGraph() {
  const response = await fetch('graph.svg');
  document.getElementById('graph').innerHTML = await response.text();
}

function drawEdges(edges) {
  for (const edge of edges) {
    const group = document.getElementById('edge' + (edge.index + 1));
    if (!group) continue;
    let label = group.querySelector('text.sf-rate');
    if (!label) {
      const texts = group.querySelectorAll('text');
      const last = texts[texts.length - 1];
      if (!last) continue;
      label = document.createElementNS(SVG_NS, 'text');
      label.setAttribute('class', 'sf-rate');
      label.setAttribute('x', last.getAttribute('x'));
      label.setAttribute('y', String(Number(last.getAttribute('y')) + 14));
      label.setAttribute('text-anchor', 'middle');
      group.appendChild(label);
    }
    label.textContent = rate(edge.perSecond) + ' msg/s';
    label.classList.toggle('idle', !edge.perSecond);
    label.dataset.rate = edge.perSecond === null ? '' : String(edge.perSecond);
  }
}

function drawServices(services) {
  const body = document.querySelector('#services tbody');
  body.replaceChildren(...services.map((service) => {
    const row = document.createElement('tr');
    row.dataset.service = service.name;
    row.append(
      cell(service.name),
      cell(service.state, service.state.split(' ')[0]),
      cell(service.ready === null ? '–' : service.ready ? 'yes' : 'no'),
      cell(service.pid ?? '–', 'num'),
      cell(service.upSeconds + ' s', 'num'),
      cell(String(service.restarts), 'num'),
      cell(rate(service.inPerSecond), 'num in'),
      cell(rate(service.outPerSecond), 'num out'),
      cell(String(service.errors), 'num'),
      cell(String(service.rejected), 'num'),
      cell(service.lastError ?? ''),
    );
    return row;
  }));
}

function drawEntries(entries) {
  document.getElementById('entries').replaceChildren(...entries.map((entry) => {
    const item = document.createElement('li');
    item.textContent = 'entry point ' + entry.label + (entry.docs ? ': ' : '');
    if (entry.docs) {
      const link = document.createElement('a');
      link.href = entry.docs;
      link.textContent = 'docs';
      item.append(link);
    }
    return item;
  }));
}

async function refresh() {
  try {
    const status = await (await fetch('status.json')).json();
    document.getElementById('system').textContent = status.system;
    document.getElementById('updated').textContent = 'updated ' + new Date(status.at).toLocaleTimeString();
    drawServices(status.services);
    drawEdges(status.edges);
    drawEntries(status.entries || []);
  } catch (error) {
    document.getElementById('updated').textContent = 'sf up is not answering (' + error.message + ')';
  }
}

let picked = null;

async function refreshTraces() {
  const workflow = document.getElementById('workflow').value.trim();
  const answer = await (await fetch('traces.json?workflow=' + encodeURIComponent(workflow))).json();
  document.getElementById('tracing-note').textContent = answer.collecting ? '' :
    'traces go to the collector named in the system file (tracing.otlp), not to this page';
  const body = document.querySelector('#traces tbody');
  body.replaceChildren(...answer.traces.map((trace) => {
    const row = document.createElement('tr');
    row.dataset.trace = trace.traceId;
    if (trace.traceId === picked) row.className = 'picked';
    row.append(
      cell(new Date(trace.startMs).toLocaleTimeString()),
      cell(trace.root),
      cell(trace.services.join(' → ')),
      cell(trace.workflowIds[0] ?? ''),
      cell(String(trace.spanCount), 'num'),
      cell((trace.endMs - trace.startMs).toFixed(1), 'num'),
      cell(trace.error ? 'error' : 'ok', trace.error ? 'error' : 'ok'),
    );
    row.addEventListener('click', () => showTrace(trace.traceId));
    return row;
  }));
  if (picked === null && answer.traces.length > 0 && workflow !== '') return showTrace(answer.traces[0].traceId);
  // The picked trace may still be filling in (each service exports every second): redraw it when it grew.
  const current = answer.traces.find((trace) => trace.traceId === picked);
  if (current && String(current.spanCount) !== document.getElementById('waterfall').dataset.spans) await showTrace(picked);
}

/** The waterfall of one trace: one lane per service, one bar per span, placed on the trace's time line. */
async function showTrace(traceId) {
  picked = traceId;
  for (const row of document.querySelectorAll('#traces tbody tr')) row.classList.toggle('picked', row.dataset.trace === traceId);
  const spans = await (await fetch('trace.json?id=' + encodeURIComponent(traceId))).json();
  const box = document.getElementById('waterfall');
  box.dataset.trace = traceId;
  box.dataset.spans = String(spans.length);
  if (spans.length === 0) return box.replaceChildren();
  const start = Math.min(...spans.map((span) => span.startMs));
  const total = Math.max(0.001, Math.max(...spans.map((span) => span.endMs)) - start);
  const lanes = new Map();
  for (const span of spans) {
    if (!lanes.has(span.service)) lanes.set(span.service, []);
    lanes.get(span.service).push(span);
  }
  box.replaceChildren(...[...lanes].map(([service, own]) => {
    const lane = document.createElement('div');
    lane.className = 'lane';
    lane.dataset.service = service;
    const name = document.createElement('div');
    name.className = 'lane-name';
    name.textContent = service;
    lane.append(name, ...own.map((span) => {
      const row = document.createElement('div');
      row.className = 'span';
      const left = ((span.startMs - start) / total) * 70;
      const bar = document.createElement('div');
      bar.className = 'bar' + (span.error ? ' error' : '');
      bar.style.left = left + '%';
      bar.style.width = Math.max(0.2, ((span.endMs - span.startMs) / total) * 70) + '%';
      bar.title = span.name + (span.statusMessage ? ': ' + span.statusMessage : '');
      const label = document.createElement('span');
      label.className = 'label';
      label.style.left = 'calc(' + (left + Math.max(0.2, ((span.endMs - span.startMs) / total) * 70)) + '% + 6px)';
      const code = span.attributes['sf.error.code'] ? ' ' + span.attributes['sf.error.code'] : '';
      label.textContent = span.name + ' ' + (span.endMs - span.startMs).toFixed(2) + ' ms' + code;
      row.append(bar, label);
      return row;
    }));
    return lane;
  }));
}

document.getElementById('workflow').addEventListener('input', () => { picked = null; refreshTraces(); });
loadGraph().then(refresh).finally(() => {
  setInterval(refresh, 1000);
  refreshTraces();
  setInterval(refreshTraces, 2000);
});
</script>
</body>
</html>
`;
