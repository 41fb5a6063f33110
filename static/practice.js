// Small helpers for the practice tools: the pause timer in the repair guide
// and print buttons. Without JavaScript the pages say how to do both by hand.

for (const box of document.querySelectorAll('[data-pause-timer]')) {
  const minutes = Number(box.dataset.pauseTimer) || 20;
  const display = box.querySelector('[data-timer-display]');
  const start = box.querySelector('[data-timer-start]');
  const stop = box.querySelector('[data-timer-stop]');
  const announce = box.querySelector('[data-timer-announce]');
  box.hidden = false;
  let timer = null;
  let endsAt = 0;
  const show = (ms) => {
    const total = Math.max(0, Math.round(ms / 1000));
    const m = String(Math.floor(total / 60)).padStart(2, '0');
    const s = String(total % 60).padStart(2, '0');
    display.textContent = `${m}:${s}`;
  };
  show(minutes * 60000);
  const tick = () => {
    const left = endsAt - Date.now();
    show(left);
    if (left <= 0) {
      clearInterval(timer);
      timer = null;
      start.hidden = false;
      stop.hidden = true;
      announce.textContent = 'The pause is over. When you feel ready, go back and continue.';
    }
  };
  start.addEventListener('click', () => {
    endsAt = Date.now() + minutes * 60000;
    timer = setInterval(tick, 1000);
    start.hidden = true;
    stop.hidden = false;
    announce.textContent = `Timer started: ${minutes} minutes. Breathe slowly; there is nothing to solve right now.`;
  });
  stop.addEventListener('click', () => {
    clearInterval(timer);
    timer = null;
    show(minutes * 60000);
    start.hidden = false;
    stop.hidden = true;
    announce.textContent = 'Timer stopped.';
  });
}

for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
