// /data/changes: choosing another publication shows it at once; the other filters wait for Apply.
for (const select of document.querySelectorAll('select[data-autosubmit]')) {
  select.addEventListener('change', () => select.form?.requestSubmit());
}
