// The library's player: jump to a moment from the transcript, chapters and
// notes without reloading; light up the line being spoken; keep the member's
// place every few seconds and when the page is hidden; pin notes at the
// current moment. Without this file every link still works by reloading at ?t=.
const media = document.getElementById("media");
if (media) {
  const id = media.dataset.recording;
  const start = Number(media.dataset.start || 0);
  const lines = Array.from(document.querySelectorAll("#transcript li"));
  const noteAt = document.getElementById("note-at");
  let lastSaved = -1;
  let current = null;

  const clock = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = String(s % 60).padStart(2, "0");
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  };

  media.addEventListener("loadedmetadata", () => {
    if (start > 0 && media.currentTime < start - 1) media.currentTime = start;
  });

  const save = (useBeacon) => {
    const seconds = Math.floor(media.currentTime || 0);
    if (seconds === lastSaved) return;
    lastSaved = seconds;
    const body = new URLSearchParams({ seconds: String(seconds) });
    if (Number.isFinite(media.duration)) body.set("duration", String(media.duration));
    const url = `/library/${id}/position`;
    if (useBeacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
    } else {
      fetch(url, { method: "POST", body, credentials: "same-origin", keepalive: true }).catch(() => {});
    }
  };
  setInterval(() => { if (!media.paused) save(false); }, 5000);
  media.addEventListener("pause", () => save(false));
  media.addEventListener("ended", () => save(false));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && media.currentTime > 0) save(true);
  });

  const highlight = () => {
    const ms = media.currentTime * 1000;
    const now = lines.find((li) => Number(li.dataset.start) <= ms && ms < Number(li.dataset.end)) || null;
    if (now === current) return;
    if (current) { current.classList.remove("current"); current.removeAttribute("aria-current"); }
    current = now;
    if (current) {
      current.classList.add("current");
      current.setAttribute("aria-current", "true");
      const list = current.parentElement;
      if (list.scrollHeight > list.clientHeight) {
        list.scrollTop = current.offsetTop - list.offsetTop - list.clientHeight / 3;
      }
    }
  };
  media.addEventListener("timeupdate", highlight);
  media.addEventListener("seeked", highlight);

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.seek");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    media.currentTime = Number(link.dataset.at || 0);
    media.play().catch(() => {});
    media.focus();
  });

  if (noteAt) {
    const follow = () => { if (media.currentTime > 0) noteAt.value = clock(media.currentTime); };
    media.addEventListener("pause", follow);
    document.getElementById("note-text")?.addEventListener("focus", follow);
  }
}
