// recpipe ui: the only script the pages run (the CSP allows no inline code). It copies the pull
// command and draws the charts from the JSON the server embedded; it never sends anything.
'use strict';

(function () {
  const copy = document.getElementById('copy-pull');
  if (copy) {
    copy.addEventListener('click', async () => {
      const input = document.getElementById(copy.dataset.copy);
      const state = document.getElementById('copy-state');
      try {
        await navigator.clipboard.writeText(input.value);
        state.textContent = 'copied';
      } catch {
        // No clipboard permission (e.g. a plain-http remote host): select it for Ctrl+C instead.
        input.select();
        state.textContent = 'selected: press Ctrl+C';
      }
    });
  }

  const dataEl = document.getElementById('chart-data');
  if (!dataEl || typeof window.Chart === 'undefined') return;
  const data = JSON.parse(dataEl.textContent);
  const common = { animation: false, responsive: false };

  new window.Chart(document.getElementById('chart-per-day'), {
    data: {
      labels: data.perDay.days,
      datasets: [
        { type: 'bar', label: 'sessions', data: data.perDay.sessions, yAxisID: 'sessions', backgroundColor: '#4e79a7' },
        { type: 'line', label: 'MB', data: data.perDay.bytes.map((b) => b / 1e6), yAxisID: 'bytes', borderColor: '#f28e2b', backgroundColor: '#f28e2b' },
      ],
    },
    options: {
      ...common,
      scales: {
        sessions: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'sessions' } },
        bytes: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'MB' } },
      },
    },
  });

  if (data.variable) {
    new window.Chart(document.getElementById('chart-variable'), {
      type: 'bar',
      data: { labels: data.histogram.labels, datasets: [{ label: 'sessions', data: data.histogram.counts, backgroundColor: '#59a14f' }] },
      options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { title: { display: true, text: data.variable } } } },
    });
  }
  document.body.dataset.chartsReady = 'true';
})();
