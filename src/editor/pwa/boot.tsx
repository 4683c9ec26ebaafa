// The offline app's own page entry (a second module script in index.html, beside the editor's):
// registers the service worker and shows the update prompt in its own root element.
import { render } from 'solid-js/web';
import { registerServiceWorker } from './register.js';
import { UpdateBanner } from './UpdateBanner.js';

const flow = registerServiceWorker();
const root = document.getElementById('pwa');
if (typeof flow !== 'string' && root) render(() => <UpdateBanner flow={flow} />, root);
