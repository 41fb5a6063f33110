// Quick exit: leave for a neutral site at once, replacing this page in the
// history so that Back does not return to it. Button, or Escape twice. The
// browser goes straight to the neutral site; a beacon asks the server, on the
// side, to forget what this browser holds of get-started. (Without
// JavaScript the link itself goes through /exit, which does both.)
const link = document.getElementById("quick-exit");
const target = link ? link.dataset.exitUrl : null;

function leave(event) {
  if (event) event.preventDefault();
  if (!target) return;
  document.title = "";
  document.body.hidden = true;
  try {
    navigator.sendBeacon("/exit");
  } catch {
    // Leaving matters more than tidying up.
  }
  window.location.replace(target);
}

if (link && target) {
  link.addEventListener("click", leave);
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape < 800) leave(event);
    lastEscape = now;
  });
}
