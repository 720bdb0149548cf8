// The desk's scripts: small ES modules, no build step, nothing inline, so
// the pages run under a Content-Security-Policy without 'unsafe-inline'.
// Each module looks for its elements and does nothing where they are absent.
import { initHelp } from './desk-help.js';
import { initKeylists } from './desk-keys.js';
import { initSelection } from './desk-select.js';
import { initDraft, initPreview } from './desk-claim.js';

initHelp();
initKeylists();
initSelection();
initDraft();
initPreview();
