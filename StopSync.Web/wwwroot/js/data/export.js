// The export tab (docs/08-site.md, "Export"): starts an export through /api/generate_report_async, downloads small ones
// at once and follows long ones (rows done / total, ETA) until their file downloads. The task id is kept in the URL
// (?task=…) and in sessionStorage, so that a reload picks the export up again. Every value is inserted as text.

const POLL_MS = 1500;
const STORAGE_KEY = "stopsync.export.task";
const number = new Intl.NumberFormat("en-US");

const form = document.getElementById("exportForm");
const typeSelect = document.getElementById("reportType");
const button = document.getElementById("exportButton");
const message = document.getElementById("exportMessage");
const panel = document.getElementById("exportProgress");
const bar = document.getElementById("exportBar");
const counts = document.getElementById("exportCounts");
const eta = document.getElementById("exportEta");
const errorBox = document.getElementById("exportError");
const cancel = document.getElementById("exportCancel");
const download = document.getElementById("exportDownload");
const title = document.getElementById("exportProgressTitle");

let timer = null;
let current = null;

// Only the chosen report's own fields and sort are enabled, so only they are sent (the API refuses the others).
function showType() {
  const type = typeSelect.value;
  for (const element of form.querySelectorAll("[data-for]")) {
    const active = element.dataset.for === type;
    element.hidden = !active;
    for (const input of element.querySelectorAll("input, select")) {
      input.disabled = !active;
    }
  }
}

function parameters() {
  const values = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (String(value).trim() === "") continue;
    values.append(key, String(value));
  }
  return values;
}

async function problemText(response) {
  try {
    const body = await response.json();
    return body.detail || body.error || body.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function seconds(value) {
  if (value === null || value === undefined) return "";
  if (value < 60) return `about ${Math.max(1, Math.round(value))} s left`;
  return `about ${Math.round(value / 60)} min left`;
}

function remember(taskId) {
  sessionStorage.setItem(STORAGE_KEY, taskId);
  const url = new URL(location.href);
  url.searchParams.set("task", taskId);
  history.replaceState(null, "", url);
}

function forget() {
  sessionStorage.removeItem(STORAGE_KEY);
  const url = new URL(location.href);
  url.searchParams.delete("task");
  history.replaceState(null, "", url);
}

function startDownload(taskId, fileName) {
  download.href = `/api/download_report/${encodeURIComponent(taskId)}`;
  download.setAttribute("download", fileName || "");
  download.textContent = `Download ${fileName || "file"}`;
  download.hidden = false;
  download.click();
}

function render(state) {
  panel.hidden = false;
  const total = Number(state.total) || 0;
  const processed = Number(state.processed) || 0;
  bar.max = Math.max(total, 1);
  bar.value = state.status === "completed" ? bar.max : Math.min(processed, bar.max);
  bar.textContent = `${total ? Math.round((100 * processed) / total) : 0} %`;
  counts.textContent = `${number.format(processed)} of ${number.format(total)} rows · ${state.status}`;
  eta.textContent = state.status === "processing" ? seconds(state.eta_seconds) : "";
  errorBox.hidden = state.status !== "error";
  errorBox.textContent = state.error || "";
  cancel.hidden = ["completed", "error", "cancelled"].includes(state.status);
  title.textContent = {
    completed: "Export ready",
    error: "Export failed",
    cancelled: "Export cancelled",
  }[state.status] || "Export in progress";
}

function stopPolling() {
  if (timer) clearTimeout(timer);
  timer = null;
}

async function poll(taskId, downloadWhenDone) {
  stopPolling();
  let response;
  try {
    response = await fetch(`/api/report_progress/${encodeURIComponent(taskId)}`, { headers: { Accept: "application/json" } });
  } catch {
    counts.textContent = "Connection lost; trying again…";
    timer = setTimeout(() => poll(taskId, downloadWhenDone), POLL_MS * 2);
    return;
  }
  if (response.status === 404) {
    forget();
    panel.hidden = true;
    message.textContent = "That export is no longer available (files are kept for a limited time).";
    button.disabled = false;
    return;
  }
  if (!response.ok) {
    message.textContent = await problemText(response);
    timer = setTimeout(() => poll(taskId, downloadWhenDone), POLL_MS * 2);
    return;
  }
  const state = await response.json();
  render(state);
  if (state.status === "completed") {
    button.disabled = false;
    if (downloadWhenDone) startDownload(taskId, state.file_name);
    else {
      download.href = `/api/download_report/${encodeURIComponent(taskId)}`;
      download.textContent = `Download ${state.file_name}`;
      download.hidden = false;
    }
    return;
  }
  if (state.status === "error" || state.status === "cancelled") {
    button.disabled = false;
    forget();
    return;
  }
  timer = setTimeout(() => poll(taskId, downloadWhenDone), POLL_MS);
}

async function start(event) {
  event.preventDefault();
  stopPolling();
  button.disabled = true;
  download.hidden = true;
  errorBox.hidden = true;
  message.textContent = "Counting the rows…";
  let response;
  try {
    response = await fetch("/api/generate_report_async", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: parameters(),
    });
  } catch {
    message.textContent = "The server could not be reached; try again.";
    button.disabled = false;
    return;
  }
  if (!response.ok) {
    message.textContent = await problemText(response);
    button.disabled = false;
    return;
  }
  const started = await response.json();
  current = started.task_id;
  message.textContent = "";
  remember(current);
  if (started.status === "completed") {
    render(started);
    button.disabled = false;
    message.textContent = `${number.format(started.total)} rows.`;
    startDownload(current, started.file_name);
    return;
  }
  if (started.status === "error") {
    render(started);
    button.disabled = false;
    return;
  }
  render({ ...started, status: "starting" });
  poll(current, true);
}

async function cancelExport() {
  if (!current) return;
  stopPolling();
  cancel.disabled = true;
  try {
    const response = await fetch(`/api/cancel_report/${encodeURIComponent(current)}`, { method: "POST" });
    if (!response.ok && response.status !== 404) {
      message.textContent = await problemText(response);
    }
  } finally {
    cancel.disabled = false;
  }
  forget();
  panel.hidden = true;
  button.disabled = false;
  message.textContent = "Export cancelled.";
}

if (form) {
  showType();
  typeSelect.addEventListener("change", showType);
  form.addEventListener("submit", start);
  cancel.addEventListener("click", cancelExport);
  const resumed = new URL(location.href).searchParams.get("task") || sessionStorage.getItem(STORAGE_KEY);
  if (resumed && /^[0-9a-f]{32}$/.test(resumed)) {
    current = resumed;
    button.disabled = true;
    // After a reload the file is offered, not downloaded a second time.
    poll(resumed, false);
  }
}
