// Reads a chart's points out loud and on screen: with the keyboard (focus the
// chart, then the arrow keys, Home and End) and with the pointer (the nearest
// point to it). Without this script each point still has its tooltip, and the
// numbers are in the table under the chart.
for (const chart of document.querySelectorAll('svg.chart')) {
  const dots = [...chart.querySelectorAll('.chart-dot')];
  if (dots.length === 0) continue;
  const readout = document.createElement('p');
  readout.className = 'chart-readout';
  readout.setAttribute('aria-live', 'polite');
  chart.after(readout);
  const hint = chart.parentElement.querySelector('.chart-hint');
  if (hint) hint.hidden = false;
  let current = -1;

  const show = (i) => {
    if (current >= 0) dots[current].classList.remove('is-current');
    current = Math.max(0, Math.min(dots.length - 1, i));
    dots[current].classList.add('is-current');
    readout.textContent = dots[current].dataset.value;
  };
  const clear = () => {
    if (current >= 0) dots[current].classList.remove('is-current');
    current = -1;
    readout.textContent = '';
  };

  chart.addEventListener('focus', () => show(current >= 0 ? current : dots.length - 1));
  chart.addEventListener('blur', clear);
  chart.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: dots.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    show(moves[event.key]);
  });
  chart.addEventListener('pointermove', (event) => {
    const box = chart.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * chart.viewBox.baseVal.width;
    let nearest = 0;
    for (let i = 1; i < dots.length; i++) {
      if (Math.abs(dots[i].cx.baseVal.value - x) < Math.abs(dots[nearest].cx.baseVal.value - x)) nearest = i;
    }
    show(nearest);
  });
  chart.addEventListener('pointerleave', () => {
    if (document.activeElement !== chart) clear();
  });
}
