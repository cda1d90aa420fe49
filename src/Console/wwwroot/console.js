// The console's page scripts: charts (Chart.js, vendored) and the session player. Pages are server-rendered and
// Blazor's enhanced navigation swaps them in place, so everything is (re)attached on load and after each navigation.
(() => {
  const charts = new WeakMap();

  function renderCharts() {
    if (typeof Chart === 'undefined') return;
    document.querySelectorAll('canvas[data-chart]').forEach(canvas => {
      const config = canvas.getAttribute('data-chart');
      const existing = charts.get(canvas);
      if (existing && existing.source === config) return;
      if (existing) existing.chart.destroy();
      const data = JSON.parse(config);
      const hasSecondAxis = data.datasets.some(d => d.yAxisID === 'y1');
      const scales = { y: { beginAtZero: true } };
      if (hasSecondAxis) scales.y1 = { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } };
      const chart = new Chart(canvas, {
        type: 'line',
        data,
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales, plugins: { legend: { position: 'bottom' } } },
      });
      charts.set(canvas, { chart, source: config });
    });
  }

  // Session detail: a click on a transcript line seeks the recording to the line's start; the line being heard is highlighted.
  function attachPlayer() {
    const audio = document.querySelector('audio[data-session-player]');
    if (!audio || audio.dataset.attached) return;
    audio.dataset.attached = '1';
    const lines = Array.from(document.querySelectorAll('[data-start-ms]'));
    lines.forEach(line => line.querySelector('button')?.addEventListener('click', () => {
      audio.currentTime = Number(line.dataset.startMs) / 1000;
      highlight();
      audio.play().catch(() => { /* autoplay may be refused; the seek stands */ });
    }));
    function highlight() {
      const ms = audio.currentTime * 1000;
      let playing = null;
      for (const line of lines) {
        if (ms >= Number(line.dataset.startMs) && ms < Math.max(Number(line.dataset.endMs), Number(line.dataset.startMs) + 1)) playing = line;
      }
      lines.forEach(line => {
        const on = line === playing;
        line.classList.toggle('playing', on);
        if (on) line.setAttribute('aria-current', 'true'); else line.removeAttribute('aria-current');
      });
    }
    audio.addEventListener('timeupdate', highlight);
    audio.addEventListener('seeked', highlight);
  }

  function attach() { renderCharts(); attachPlayer(); }
  document.addEventListener('DOMContentLoaded', attach);
  if (document.readyState !== 'loading') attach();
  if (window.Blazor) Blazor.addEventListener('enhancedload', attach); // blazor.web.js is loaded before this file
})();

// Copy buttons (a new key's secret, snippets): data-copy-target names the input or element whose text is copied.
document.addEventListener('click', event => {
  const button = event.target.closest?.('[data-copy-target]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  const text = 'value' in source ? source.value : source.textContent;
  const status = button.parentElement.querySelector('.copy-status');
  const done = ok => { if (status) status.textContent = ok ? 'Copied.' : 'Select the text and copy it.'; };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
  else { source.select?.(); try { done(document.execCommand('copy')); } catch { done(false); } }
});
