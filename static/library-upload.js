// Uploading a recording with tus 1.0: the file goes up in pieces, the bar
// shows how far, Cancel throws it away, and a dropped connection carries on
// from where the server says it got to (also after reloading the page).
const form = document.getElementById("upload-form");
if (form) {
  const input = document.getElementById("upload-file");
  const title = document.getElementById("upload-title");
  const bar = document.getElementById("upload-progress");
  const barWrap = document.getElementById("upload-progress-wrap");
  const status = document.getElementById("upload-status");
  const startButton = document.getElementById("upload-start");
  const cancelButton = document.getElementById("upload-cancel");
  const max = Number(form.dataset.max);
  const CHUNK = 8 * 1024 * 1024;
  const TUS = { "Tus-Resumable": "1.0.0" };
  let xhr = null;
  let location = null;
  let cancelled = false;

  const b64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const say = (text) => { status.textContent = text; };
  const remember = (file) => `tus:${file.name}:${file.size}:${file.lastModified}`;
  const busy = (on) => {
    startButton.hidden = on;
    cancelButton.hidden = !on;
    barWrap.hidden = !on && bar.value === 0;
    input.disabled = on;
  };

  const request = (method, url, headers, body, onProgress) => new Promise((resolve, reject) => {
    xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries({ ...TUS, ...headers })) xhr.setRequestHeader(k, v);
    if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new Error("aborted"));
    xhr.send(body ?? null);
  });

  const offsetOf = async (url) => {
    const r = await request("HEAD", url, {});
    return r.status === 200 ? Number(r.getResponseHeader("Upload-Offset")) : null;
  };

  const upload = async (file) => {
    const key = remember(file);
    location = localStorage.getItem(key);
    let offset = location ? await offsetOf(location).catch(() => null) : null;
    if (offset === null) {
      const meta = `filename ${b64(file.name)}` + (title.value.trim() ? `,title ${b64(title.value.trim())}` : "");
      const created = await request("POST", "/coach/library/uploads", { "Upload-Length": String(file.size), "Upload-Metadata": meta });
      if (created.status !== 201) throw new Error(created.responseText || "The upload could not start.");
      location = created.getResponseHeader("Location");
      localStorage.setItem(key, location);
      offset = 0;
    } else {
      say(`Carrying on from ${Math.round((offset / file.size) * 100)} %.`);
    }
    let failures = 0;
    while (offset < file.size) {
      if (cancelled) return null;
      const end = Math.min(offset + CHUNK, file.size);
      try {
        const r = await request("PATCH", location, { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
          file.slice(offset, end), (sent) => { bar.value = Math.floor(((offset + sent) / file.size) * 100); });
        if (r.status === 204) {
          offset = Number(r.getResponseHeader("Upload-Offset"));
          failures = 0;
          const recording = r.getResponseHeader("Upload-Recording");
          if (recording) { localStorage.removeItem(key); return recording; }
          continue;
        }
        if (r.status === 409) { offset = Number(r.getResponseHeader("Upload-Offset")); continue; }
        localStorage.removeItem(key);
        throw new Error(r.responseText || `The server refused the upload (${r.status}).`);
      } catch (e) {
        if (cancelled || e.message !== "network") throw e;
        failures += 1;
        if (failures > 8) throw new Error("The connection keeps dropping. Try again later: the upload will carry on from where it stopped.");
        say("The connection dropped. Trying again…");
        await new Promise((r) => setTimeout(r, Math.min(30000, 1000 * 2 ** failures)));
        const now = await offsetOf(location).catch(() => null);
        if (now !== null) offset = now;
      }
    }
    return null;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) { say("Choose a recording file first."); input.focus(); return; }
    if (file.size > max) { say("This file is larger than the upload limit."); return; }
    cancelled = false;
    bar.value = 0;
    busy(true);
    say(`Uploading ${file.name}…`);
    try {
      const recording = await upload(file);
      if (recording) {
        bar.value = 100;
        say("Uploaded. Opening its page so you can describe it…");
        window.location.assign(recording);
      }
    } catch (e) {
      if (!cancelled) say(e.message === "aborted" ? "Upload stopped." : e.message);
    } finally {
      busy(false);
    }
  });

  cancelButton.addEventListener("click", async () => {
    cancelled = true;
    if (xhr) xhr.abort();
    const file = input.files[0];
    if (file) localStorage.removeItem(remember(file));
    if (location) await request("DELETE", location, {}).catch(() => {});
    location = null;
    bar.value = 0;
    busy(false);
    barWrap.hidden = true;
    say("Upload cancelled. Nothing of it was kept.");
  });
}
