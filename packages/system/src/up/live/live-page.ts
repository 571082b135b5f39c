/**
 * The live page of `sf up --ui`: one HTML document, no build step. Its script loads `/graph.svg`
 * once, then every second `/status.json`, and writes each wire's rate under its edge label
 * (Graphviz names the edges `edge1`, `edge2`… in `sf graph`'s order) and one row per service.
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

loadGraph().then(refresh).finally(() => setInterval(refresh, 1000));
</script>
</body>
</html>
`;
