// The one way the site writes a duration; the server's Infrastructure/DurationFormat.cs writes the same for the values
// it renders. Under a minute with tenths (sub-stages often take less than a second), then minutes and seconds, then
// hours and minutes.
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '--';
  }
  const s = Math.max(0, seconds);
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  return s >= 60 ? `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s` : `${s.toFixed(1)} s`;
}
