// Draws each trend chart of an operator or canton page from the server-rendered table beside it
// (docs/08-site.md, "Operators and cantons"): the columns whose header has data-series become lines, the
// row headers' <time> the x axis. Values are read from data-value, so chart and table never disagree.
const COLOURS = {
  'Match rate (%)': '#174092',
  P1: '#dc3545',
  P2: '#f0ad4e',
  P3: '#6c757d',
};

function readTable(table) {
  const headers = [...table.tHead.rows[0].cells];
  const series = headers
    .map((cell, index) => ({ index, name: cell.dataset.series }))
    .filter((s) => s.name);
  // The table lists the newest publication first; the chart runs from the oldest.
  const rows = [...table.tBodies[0].rows].reverse();
  // Swiss local date of each publication ("2026-12-05"); the table keeps the time.
  const labels = rows.map((row) => row.cells[0].textContent.trim().slice(0, 10));
  const datasets = series.map((s) => ({
    label: s.name,
    data: rows.map((row) => {
      const raw = row.cells[s.index].dataset.value;
      return raw === undefined || raw === '' ? null : Number(raw);
    }),
    borderColor: COLOURS[s.name] ?? '#174092',
    backgroundColor: COLOURS[s.name] ?? '#174092',
    pointRadius: rows.length > 60 ? 0 : 2,
    borderWidth: 2,
    spanGaps: true,
    tension: 0.1,
  }));
  return { labels, datasets };
}

function draw(canvas) {
  const table = document.getElementById(canvas.dataset.chartFor);
  if (!table || typeof Chart === 'undefined') {
    return;
  }

  const { labels, datasets } = readTable(table);
  const percent = datasets.some((d) => d.label.includes('%'));
  // Chart.js is loaded as a classic script before this module and defines the global Chart.
  // eslint-disable-next-line no-undef
  new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        // A date label is about 70 px wide: fewer of them on a phone so they do not run together.
        x: { ticks: { maxTicksLimit: canvas.clientWidth < 500 ? 4 : 8, autoSkip: true, maxRotation: 0 } },
        y: percent ? { suggestedMin: 0, suggestedMax: 100 } : { beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
}

for (const canvas of document.querySelectorAll('canvas[data-chart-for]')) {
  draw(canvas);
}
