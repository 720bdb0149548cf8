// The claim editor: the explanation draft is kept in the browser until it is
// saved, and the Markdown preview is rendered by the server's sanitiser.

const PREFIX = 'factdesk:draft:claim:';

function storage() {
  try { return window.localStorage; } catch { return null; }
}

export function initDraft() {
  const ta = document.querySelector('textarea[data-draft-claim]');
  const store = storage();
  if (!ta || !store) return;
  const claim = ta.dataset.draftClaim;
  const version = ta.dataset.draftVersion;
  const mine = `${PREFIX}${claim}:`;
  const key = `${mine}v${version}`;
  const note = document.getElementById('draft-note');
  const drafts = () => Object.keys(store).filter((k) => k.startsWith(mine));

  if (ta.hasAttribute('data-saved')) {
    // The save went through: every draft of this claim is in the database now.
    drafts().forEach((k) => store.removeItem(k));
    const url = new URL(window.location.href);
    url.searchParams.delete('saved');
    window.history.replaceState(null, '', url);
  } else {
    const saved = ta.value;
    const show = (msg, buttons) => {
      note.replaceChildren(document.createTextNode(msg));
      buttons.forEach(([label, fn]) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.addEventListener('click', () => { fn(); note.hidden = true; });
        note.append(b);
      });
      note.hidden = false;
    };
    for (const k of drafts()) {
      const v = store.getItem(k);
      if (v === ta.value) { if (k !== key) store.removeItem(k); continue; }
      if (k === key) {
        ta.value = v;
        show('Your unsaved draft of the explanation was restored. It is not saved yet.', [
          ['Discard draft', () => { ta.value = saved; store.removeItem(key); }],
        ]);
      } else {
        const from = k.slice(mine.length + 1);
        show(`You have an unsaved explanation draft from version ${from}; the claim has changed since.`, [
          ['Use my draft', () => { ta.value = v; store.setItem(key, v); store.removeItem(k); }],
          ['Discard it', () => store.removeItem(k)],
        ]);
      }
    }
  }
  ta.addEventListener('input', () => store.setItem(key, ta.value));
}

export function initPreview() {
  const button = document.querySelector('[data-preview]');
  const ta = document.getElementById('f-explanation');
  const out = document.getElementById('preview');
  if (!button || !ta || !out) return;
  const token = button.form.querySelector('input[name="csrf_token"]').value;
  button.addEventListener('click', async (e) => {
    e.preventDefault();
    const res = await fetch('/desk/preview', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token },
      body: new URLSearchParams({ explanation: ta.value }),
      credentials: 'same-origin',
    });
    if (!res.ok) return;
    out.innerHTML = await res.text(); // sanitised by the server's Markdown renderer
    out.hidden = false;
  });
}
