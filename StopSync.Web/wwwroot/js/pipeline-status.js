// Pipeline status on every page: navbar label, background-run card and the blocking maintenance overlay.
// Starts from the status the server embedded as JSON (#initialPipelineStatus; no inline script, the site runs under a
// CSP), then polls /api/system/pipeline_status every 10 s (1.5 s while a run is active) and ticks the timers every
// second. Every value is inserted as text, never as HTML.
import { formatDuration } from './duration.js';

const endpoint = '/api/system/pipeline_status';
const idleDelay = 10000;
const runningDelay = 1500;
const zurich = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

const label = document.getElementById('navbarDataUpdated');
const overlay = document.getElementById('pipelineMaintenanceOverlay');
const notice = document.getElementById('pipelineRunNotice');
const field = (name) => document.querySelector(`[data-pipeline="${name}"]`);
const onDocs = window.location.pathname === '/docs' || window.location.pathname.startsWith('/docs/');
let status = readInitialStatus();

const time = (iso) => (iso ? zurich.format(new Date(iso)) : null);

function readInitialStatus() {
  const element = document.getElementById('initialPipelineStatus');
  try {
    return element ? JSON.parse(element.textContent) : null;
  } catch {
    return null;
  }
}

const phaseLabel = (s) => {
  const running = (s.phases || []).find((p) => p.status === 'running');
  return running ? running.label : null;
};

function render() {
  const s = status || {};
  const running = s.status === 'running';

  if (label) {
    let text = label.dataset.publishedLabel || label.textContent;
    if (running) {
      text = 'Pipeline running in the background';
    } else if (s.status === 'held') {
      // The published data is unchanged; the note sends an administrator to the Data page, where the held run waits.
      text = `${label.dataset.publishedLabel || text} · last run held for review`;
    } else if (s.status === 'idle' && s.dataset_published && s.finished_at) {
      text = `Data updated: ${time(s.finished_at)}`;
    }
    label.textContent = text;
    const next = time(s.next_run_at);
    if (next) {
      label.title = `Next pipeline run: ${next}`;
    }
  }

  const blocking = s.blocking_maintenance === true && !onDocs;
  if (overlay) {
    overlay.hidden = !blocking;
    if (blocking) {
      const started = s.maintenance_started_at ? Date.parse(s.maintenance_started_at) : NaN;
      const elapsed = Number.isNaN(started) ? null : (Date.now() - started) / 1000;
      const eta = typeof s.eta_seconds === 'number' && elapsed !== null ? Math.max(0, s.eta_seconds - elapsed) : null;
      field('elapsed').textContent = formatDuration(elapsed);
      field('eta').textContent = formatDuration(eta);
      field('phase').textContent = s.phase && s.phase !== 'idle' ? s.phase : '--';
    }
  }

  if (notice) {
    notice.hidden = !running || blocking;
    if (running) {
      const current = phaseLabel(s);
      field('notice-status').textContent = current ? `Phase: ${current}` : 'Preparing update...';
    }
  }
}

async function poll() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(endpoint, { cache: 'no-store', signal: controller.signal, headers: { Accept: 'application/json' } });
    if (response.ok) {
      status = await response.json();
      render();
      document.dispatchEvent(new CustomEvent('pipeline-status:update', { detail: status }));
    }
  } catch {
    // Keep the last known status; the next poll tries again.
  } finally {
    clearTimeout(timer);
    setTimeout(poll, status && status.status === 'running' ? runningDelay : idleDelay);
  }
}

render();
setInterval(render, 1000);
setTimeout(poll, status && status.status === 'running' ? runningDelay : idleDelay);
