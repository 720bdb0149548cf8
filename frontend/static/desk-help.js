// The keyboard help overlay: "?" or the Shortcuts button opens it, Esc closes it.
import { typing } from './desk-keys.js';

export function initHelp() {
  const dialog = document.getElementById('help');
  if (!dialog) return;
  const open = () => { if (!dialog.open) dialog.showModal(); };
  document.querySelectorAll('[data-help-open]').forEach((b) => b.addEventListener('click', open));
  document.addEventListener('keydown', (e) => {
    if (e.key === '?' && !typing(e) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      open();
    }
  });
}
