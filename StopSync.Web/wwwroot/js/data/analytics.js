// Analytics tab of the Data page: draws each server-rendered canvas with Chart.js (global Chart, loaded before this
// module) from /api/analytics. The tables beside the canvases hold the same figures and work without this script;
// when the charts are drawn the section carries data-charts="drawn" and data-chart-count.

const root = document.getElementById('analytics');

const palette = () => {
  const css = getComputedStyle(document.documentElement);
  const read = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    navy: read('--navy', '#174092'),
    green: read('--green', '#4caf50'),
    red: read('--red', '#dc3545'),
    grey: read('--grey', '#6c757d'),
    p1: read('--priority-1', '#dc3545'),
    p2: read('--priority-2', '#f0ad4e'),
    p3: read('--priority-3', '#6c757d'),
    light: '#9db4e0',
  };
};

const count = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');
const percent = (fraction) => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)} %` : '–');

// Publication times as the tables show them: Swiss local time, 2026-11-29 06:20.
const swissTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const published = (iso) => swissTime.format(new Date(iso));

const baseOptions = (extra = {}) => ({
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { position: 'bottom' }, ...(extra.plugins || {}) },
  scales: extra.scales,
  indexAxis: extra.indexAxis,
});

// Category labels (method and type names) shortened on narrow charts; the tooltip keeps the full name.
const categoryAxis = (extra = {}) => ({
  ...extra,
  ticks: {
    callback(value) {
      const label = String(this.getLabelForValue(value));
      // Names share their beginnings (distance_matching_1_uic_ref, distance_matching_1_name): keep both ends.
      const max = this.chart.width < 480 ? 20 : 40;
      return label.length > max ? `${label.slice(0, 8)}…${label.slice(label.length - (max - 9))}` : label;
    },
  },
});

const countAxis = (stacked = false) => ({ beginAtZero: true, stacked, ticks: { callback: (v) => count(v) } });

function charts(data, colours) {
  const c = data.current;
  const specs = [];
  specs.push(['matching', {
    type: 'bar',
    data: {
      labels: ['ATLAS platforms', 'OSM nodes'],
      datasets: [
        { label: 'Matched', data: [c.atlas_matched, c.osm_matched], backgroundColor: colours.navy },
        { label: 'Effectively matched', data: [c.atlas_effectively_matched, 0], backgroundColor: colours.light },
        { label: 'Unmatched', data: [c.atlas_unmatched, c.osm_unmatched], backgroundColor: colours.red },
      ],
    },
    options: baseOptions({ indexAxis: 'y', scales: { x: countAxis(true), y: { stacked: true } } }),
  }]);
  const methods = c.match_methods || [];
  specs.push(['methods', {
    type: 'bar',
    data: {
      labels: methods.map((m) => m.method),
      datasets: [{ label: 'Matched pairs', data: methods.map((m) => m.count), backgroundColor: colours.navy }],
    },
    options: baseOptions({ indexAxis: 'y', scales: { x: countAxis(), y: categoryAxis() }, plugins: { legend: { display: false } } }),
  }]);
  specs.push(['distances', {
    type: 'bar',
    data: {
      labels: methods.map((m) => m.method),
      datasets: [
        { label: 'Mean (m)', data: methods.map((m) => m.distance_mean), backgroundColor: colours.navy },
        { label: 'Median (m)', data: methods.map((m) => m.distance_median), backgroundColor: colours.green },
        { label: '95th percentile (m)', data: methods.map((m) => m.distance_p95), backgroundColor: colours.grey },
      ],
    },
    options: baseOptions({ indexAxis: 'y', scales: { x: { beginAtZero: true, title: { display: true, text: 'metres' } }, y: categoryAxis() } }),
  }]);
  const u = c.unmatched;
  if (u) {
    specs.push(['unmatched', {
      type: 'bar',
      data: {
        labels: ['ATLAS platforms', 'OSM nodes'],
        datasets: [
          { label: 'Isolated', data: [u.atlas_isolated, u.osm_isolated], backgroundColor: colours.red },
          { label: 'Counterpart within 50 m', data: [u.atlas_with_counterpart_nearby, u.osm_with_counterpart_nearby], backgroundColor: colours.p2 },
        ],
      },
      options: baseOptions({ indexAxis: 'y', scales: { x: countAxis(true), y: { stacked: true } } }),
    }]);
  }
  const types = c.problem_types || [];
  specs.push(['problems', {
    type: 'bar',
    data: {
      labels: types.map((t) => t.type),
      datasets: [
        { label: 'P1', data: types.map((t) => t.p1), backgroundColor: colours.p1 },
        { label: 'P2', data: types.map((t) => t.p2), backgroundColor: colours.p2 },
        { label: 'P3', data: types.map((t) => t.p3), backgroundColor: colours.p3 },
      ],
    },
    options: baseOptions({ indexAxis: 'y', scales: { x: countAxis(true), y: categoryAxis({ stacked: true }) } }),
  }]);
  const units = c.stop_units || [];
  specs.push(['units', {
    type: 'bar',
    data: {
      labels: units.map((s) => s.kind),
      datasets: [{ label: 'Stop units', data: units.map((s) => s.count), backgroundColor: colours.green }],
    },
    options: baseOptions({ indexAxis: 'y', scales: { x: countAxis(), y: categoryAxis() }, plugins: { legend: { display: false } } }),
  }]);

  const trend = data.trend || [];
  // Ticks show the day; the tooltip the full publication time.
  const dateAxis = {
    ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 4, callback(value) { return String(this.getLabelForValue(value)).slice(0, 10); } },
  };
  const labels = trend.map((p) => published(p.published_at));
  const line = (label, values, colour) => ({
    label, data: values, borderColor: colour, backgroundColor: colour, pointRadius: trend.length > 60 ? 0 : 3, tension: 0,
  });
  specs.push(['trend-rate', {
    type: 'line',
    data: { labels, datasets: [line('Match rate (%)', trend.map((p) => (p.match_rate == null ? null : p.match_rate * 100)), colours.navy)] },
    options: baseOptions({
      scales: { y: { suggestedMax: 100, ticks: { callback: (v) => `${v} %` } }, x: dateAxis },
      plugins: { tooltip: { callbacks: { label: (ctx) => `Match rate ${percent(ctx.parsed.y / 100)}` } } },
    }),
  }]);
  specs.push(['trend-matched', {
    type: 'line',
    data: { labels, datasets: [line('Matched ATLAS platforms', trend.map((p) => p.atlas_matched), colours.green)] },
    options: baseOptions({ scales: { y: { ticks: { callback: (v) => count(v) } }, x: dateAxis } }),
  }]);
  specs.push(['trend-problems', {
    type: 'line',
    data: {
      labels,
      datasets: [
        line('P1', trend.map((p) => p.problems_p1), colours.p1),
        line('P2', trend.map((p) => p.problems_p2), colours.p2),
        line('P3', trend.map((p) => p.problems_p3), colours.p3),
      ],
    },
    options: baseOptions({ scales: { y: countAxis(), x: dateAxis } }),
  }]);
  return specs;
}

async function draw() {
  const status = root.querySelector('[data-chart-status]');
  if (typeof window.Chart !== 'function') {
    root.dataset.charts = 'failed';
    return;
  }
  let data;
  try {
    const response = await fetch(root.dataset.api, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    data = await response.json();
  } catch (error) {
    root.dataset.charts = 'failed';
    if (status) {
      status.textContent = `The charts could not be loaded (${error.message}); the tables hold the figures.`;
    }
    return;
  }
  if (!data.available) {
    root.dataset.charts = 'none';
    return;
  }

  const Chart = window.Chart;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1d2433';
  const colours = palette();
  let drawn = 0;
  for (const [name, config] of charts(data, colours)) {
    const canvas = root.querySelector(`canvas[data-chart="${name}"]`);
    if (!canvas) {
      continue;
    }
    Chart.getChart(canvas)?.destroy();
    new Chart(canvas, config);
    drawn += 1;
  }
  root.dataset.chartCount = String(drawn);
  root.dataset.charts = 'drawn';
}

if (root && root.dataset.api) {
  draw();
}
