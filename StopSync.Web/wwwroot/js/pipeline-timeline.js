// Data page: keeps the phase cards of the live run current from each status poll (pipeline-status.js). Cards are
// server-rendered once and only their text and status class change, so focus and layout survive polls.
import { formatDuration } from './duration.js';

const timeline = document.getElementById('pipelineTimeline');
if (timeline) {
  const setText = (root, selector, text) => {
    const node = root.querySelector(selector);
    if (node) {
      node.textContent = text;
    }
  };

  document.addEventListener('pipeline-status:update', (event) => {
    const s = event.detail || {};
    setText(timeline, '[data-run="title"]', s.status === 'running' ? 'Live run' : 'Latest run');
    setText(timeline, '[data-run="status"]', s.status || '');
    setText(timeline, '[data-run="message"]', s.message || '');
    for (const phase of s.phases || []) {
      const card = Array.from(timeline.querySelectorAll('[data-phase-id]')).find((c) => c.dataset.phaseId === phase.id);
      if (!card) {
        continue;
      }
      card.className = `phase-card phase-${phase.status}`;
      const running = phase.status === 'running' && phase.started_at;
      const seconds = running ? (Date.now() - Date.parse(phase.started_at)) / 1000 : phase.duration_seconds;
      setText(card, '[data-field="status"]', phase.status);
      setText(card, '[data-field="duration"]', formatDuration(seconds));
      setText(card, '[data-field="counts"]', Object.entries(phase.counts || {}).map(([k, v]) => `${k.replaceAll('_', ' ')} ${v}`).join(' · '));
      setText(card, '[data-field="detail"]', phase.detail || '');
      const list = card.querySelector('[data-field="stages"]');
      if (list) {
        // Sub-stages are few; rebuilt from text nodes only, never from markup.
        list.replaceChildren(...(phase.stages || []).map((stage) => {
          const item = document.createElement('li');
          item.className = `stage-${stage.status}`;
          const stageRunning = stage.status === 'running' && stage.started_at;
          const stageSeconds = stageRunning ? (Date.now() - Date.parse(stage.started_at)) / 1000 : stage.duration_seconds;
          const amount = Number.isFinite(stage.total) ? ` · ${(stage.processed ?? 0).toLocaleString('en-US')} of ${stage.total.toLocaleString('en-US')}` : '';
          item.textContent = `${stage.label} · ${stage.status} · ${formatDuration(stageSeconds)}${amount}`;
          return item;
        }));
      }
    }
  });
}
