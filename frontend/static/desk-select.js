// "Select text → new claim". The document body is one element whose text
// content is the stored body exactly. A selection's ends are measured as
// the text from the element's start to each end, counted in Unicode code
// points (JavaScript strings count UTF-16 units: a character outside the
// BMP is two of them), which is how the server's anchors count. Spaces at
// the ends of a selection are left out, so the claim is the words selected.
// The same selection feeds the "Place claim N here" forms of the claims
// that lost their place after an edit.

const codePoints = (s) => {
  let n = 0;
  for (const _ of s) n++; // eslint-disable-line no-unused-vars
  return n;
};

export function initSelection() {
  const body = document.getElementById('doc-body');
  const form = document.getElementById('select-form');
  if (!body || !form) return;
  const shown = form.querySelector('#selection');
  const button = form.querySelector('#sel-submit');
  const text = Array.from(body.textContent); // one entry per code point
  const prompt = shown.textContent;
  const places = Array.from(document.querySelectorAll('form[data-place]'));

  const setSpan = (s, e) => {
    for (const f of [form, ...places]) {
      f.querySelector('input[name="start"]').value = s;
      f.querySelector('input[name="end"]').value = e;
    }
    const none = s === '';
    button.disabled = none;
    for (const f of places) f.querySelector('[data-place-button]').disabled = none;
  };

  const offset = (node, off) => {
    const r = document.createRange();
    r.setStart(body, 0);
    r.setEnd(node, off);
    return codePoints(r.toString());
  };

  const clear = () => {
    setSpan('', '');
    shown.textContent = prompt;
  };

  const update = () => {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0) return;
    const r = sel.getRangeAt(0);
    if (!body.contains(r.startContainer) || !body.contains(r.endContainer)) return; // keep the last one
    if (r.collapsed) { clear(); return; }
    let s = offset(r.startContainer, r.startOffset);
    let e = offset(r.endContainer, r.endOffset);
    while (s < e && /\s/u.test(text[s])) s++;
    while (e > s && /\s/u.test(text[e - 1])) e--;
    if (e <= s) { clear(); return; }
    setSpan(String(s), String(e));
    shown.textContent = `Selected: “${text.slice(s, e).join('')}”`;
  };

  document.addEventListener('selectionchange', update);
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key !== 'n' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
    if (!button.disabled) { e.preventDefault(); form.requestSubmit(button); }
  });
}
