// j/k move through a list marked data-keylist (the claims queue, the triage
// candidates); Enter or o opens the current item; on the triage list a
// accepts and d goes to the dismissal reason. Keys are ignored while typing.

export function typing(e) {
  const t = e.target;
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function initKeylists() {
  const list = document.querySelector('[data-keylist]');
  if (!list) return;
  const items = () => Array.from(list.querySelectorAll('[data-item]'));
  let current = -1;

  const select = (i) => {
    const all = items();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((el, n) => el.classList.toggle('current', n === current));
    const el = all[current];
    // Rows are focused through their link, so Enter opens them natively;
    // candidates are focusable themselves.
    const target = el.tabIndex === -1 && el.hasAttribute('tabindex') ? el : el.querySelector('a') || el;
    target.focus();
    el.scrollIntoView({ block: 'nearest' });
  };

  list.addEventListener('focusin', (e) => {
    const i = items().findIndex((el) => el.contains(e.target));
    if (i >= 0 && i !== current) {
      current = i;
      items().forEach((el, n) => el.classList.toggle('current', n === current));
    }
  });

  document.addEventListener('keydown', (e) => {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const el = items()[current];
    switch (e.key) {
      case 'j': e.preventDefault(); select(current + 1); break;
      case 'k': e.preventDefault(); select(current < 0 ? 0 : current - 1); break;
      case 'o':
      case 'Enter':
        if (!el || (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('a, button'))) return;
        e.preventDefault();
        window.location.assign(el.dataset.href);
        break;
      case 'a': {
        const b = el && el.querySelector('[data-accept]');
        if (b) { e.preventDefault(); b.click(); }
        break;
      }
      case 'd': {
        const r = el && el.querySelector('[data-reason]');
        if (!r) break;
        e.preventDefault();
        if (r.value.trim() !== '') r.form.requestSubmit();
        else r.focus();
        break;
      }
      default:
    }
  });

  // Coming back to the triage list after accepting or dismissing: carry on
  // from the first candidate left.
  if (window.location.hash === '#candidates' && items().length > 0) select(0);
}
