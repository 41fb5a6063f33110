// Keeps journal writing safe: a copy in this browser on every keystroke, and
// a draft saved to the account every few seconds and when the page is left.
// The browser copy lasts only until the server has the words: once a save
// goes through it is removed, so a shared device keeps nothing. If the
// connection drops, the copy stays and is put back in the form next time. If
// the session has ended, every copy on this device is removed at once (the
// next person at this device must not find it) and the words stay in the
// open form, which carries them through signing in again.
const SAVE_EVERY_MS = 3000;

const storageKey = (owner, key) => `securebase:draft:${owner}:${key}`;

function readLocal(k) {
  try {
    return JSON.parse(localStorage.getItem(k) || 'null');
  } catch {
    return null;
  }
}

function writeLocal(k, value) {
  try {
    localStorage.setItem(k, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the server copy still stands.
  }
}

function forget(k) {
  try {
    localStorage.removeItem(k);
  } catch {
    // Nothing to do.
  }
}

// Every draft this browser holds for one account.
function forgetAllOf(owner) {
  try {
    const prefix = storageKey(owner, '');
    for (const k of Object.keys(localStorage)) {
      if (k.startsWith(prefix)) localStorage.removeItem(k);
    }
  } catch {
    // Nothing to do.
  }
}

// On an entry's page: the save went through, so copies kept here from before
// that save are done with. Anything written after it stays.
const saved = document.querySelector('[data-draft-saved]');
if (saved) {
  const owner = saved.dataset.draftOwner;
  const savedAt = Number(saved.dataset.draftSavedAt) * 1000;
  for (const key of saved.dataset.draftSaved.split(' ')) {
    const local = readLocal(storageKey(owner, key));
    if (local && (local.synced || local.at <= savedAt + 5000)) forget(storageKey(owner, key));
  }
}

const form = document.querySelector('form[data-draft-key]');
if (form) {
  const owner = form.dataset.draftOwner;
  const key = form.dataset.draftKey;
  const entry = form.dataset.draftEntry || null;
  // A new entry started beside a kept draft has a slot of its own.
  const slot = form.dataset.draftSlot || null;
  const k = storageKey(owner, key);
  const status = form.querySelector('[data-draft-status]');
  const field = (name) => form.elements.namedItem(name);
  const version = field('version');
  const current = () => ({
    prompt_id: field('prompt_id').value,
    title: field('title').value,
    body: field('body').value,
  });
  const say = (text, urgent) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('warning', Boolean(urgent));
  };
  // 24-hour, as every time on the server's pages is written.
  const time = () => new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  let dirty = false;
  let signedOut = false;
  // Once the form is sent, the server has the words (as the entry, or as a
  // draft if they need another look): a save on the way out would bring back
  // a draft of an entry just saved.
  let submitted = false;

  // A copy in this browser that never reached the server wins over the form.
  const local = readLocal(k);
  const shown = current();
  if (local && !local.synced && (local.body !== shown.body || local.title !== shown.title)) {
    field('title').value = local.title || '';
    field('body').value = local.body || '';
    if (local.prompt_id !== undefined) field('prompt_id').value = local.prompt_id;
    dirty = true;
    const restored = document.querySelector('[data-draft-restored]');
    const message = 'We kept the text you were writing on this device. It is back in the form and saved to your account again.';
    if (restored) {
      restored.textContent = message;
      restored.hidden = false;
    } else {
      say(message);
    }
  }

  const payload = () => {
    // Named, so words from a page another account left open on this device
    // are refused rather than kept in whichever account is signed in now.
    const body = { ...current(), entry_id: entry, owner };
    if (!entry && slot) body.draft = slot;
    if (version && version.value) body.base_version = Number(version.value);
    return JSON.stringify(body);
  };

  async function push(keepalive) {
    if (!dirty || submitted) return;
    dirty = false;
    const sent = current();
    try {
      const res = await fetch('/api/v1/journal/draft', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: payload(),
        credentials: 'same-origin',
        keepalive: Boolean(keepalive) && payload().length < 60000,
      });
      if (res.ok) {
        const now = current();
        // The server has these words: this device need not keep them.
        if (now.body === sent.body && now.title === sent.title && now.prompt_id === sent.prompt_id) forget(k);
        signedOut = false;
        say(`Draft saved at ${time()}.`);
      } else if (res.status === 401) {
        forgetAllOf(owner);
        if (!signedOut) signedOut = true;
        if (status && !status.querySelector('button')) {
          status.innerHTML = '';
          status.append('You have been signed out. Your words are still here on this page (not kept on this device). ');
          const keep = document.createElement('button');
          keep.type = 'button';
          keep.className = 'link-button';
          keep.textContent = 'Sign in again and keep them';
          keep.addEventListener('click', () => form.requestSubmit());
          status.append(keep);
          status.classList.add('warning');
        }
      } else if (res.status === 404) {
        say('This entry no longer exists: it may have been deleted elsewhere. Your text is kept on this device; save it to keep it as a new entry.', true);
      } else if (res.status === 422) {
        const data = await res.json().catch(() => ({}));
        const msg = data?.error?.fields?.body || data?.error?.fields?.title || 'This draft could not be saved.';
        say(`${msg} Your text is kept on this device.`, true);
      } else {
        dirty = true;
        say('The draft could not be saved just now; it is kept on this device and will be tried again.', true);
      }
    } catch {
      dirty = true;
      say('You seem to be offline. Your text is kept on this device and will be saved when the connection returns.', true);
    }
  }

  // Signing out clears this browser's storage: save the last words first.
  // (One in the header's phone menu, one in the wide navigation.)
  for (const signOut of document.querySelectorAll('form[action="/signout"]')) {
    signOut.addEventListener('submit', async (event) => {
      if (!dirty) return;
      event.preventDefault();
      await push(false);
      signOut.submit();
    });
  }

  form.addEventListener('submit', () => {
    submitted = true;
    dirty = false;
  });
  // Back to this page from the browser's history: writing may go on.
  addEventListener('pageshow', (event) => {
    if (event.persisted) submitted = false;
  });
  form.addEventListener('input', () => {
    // Signed out: nothing more goes into this device's storage.
    if (!signedOut) writeLocal(k, { ...current(), synced: false, at: Date.now() });
    dirty = true;
    // Still writing: the form was not sent after all (the send was stopped).
    submitted = false;
  });
  setInterval(() => push(false), SAVE_EVERY_MS);
  addEventListener('online', () => push(false));
  addEventListener('pagehide', () => push(true));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') push(true);
  });
  if (dirty) push(false);
}
