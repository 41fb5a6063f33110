// Live preview for the post editor: the server renders the Markdown exactly as
// the published post will show it (sanitised), a moment after typing stops.
const body = document.getElementById("body");
const target = body ? document.getElementById(body.dataset.preview) : null;
let timer = null;
let latest = 0;

async function refresh() {
  const ticket = ++latest;
  try {
    const response = await fetch("/api/v1/posts/preview", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ body: body.value }),
    });
    if (!response.ok || ticket !== latest) return;
    const data = await response.json();
    target.innerHTML = data.html;
  } catch {
    // Offline: the Preview button still works when the connection returns.
  }
}

if (body && target) {
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
