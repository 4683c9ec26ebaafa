// Entry point of the page. The full editor comes later; for now the app opens a template
// and shows every node's shape, parameter count and FLOPs, with the graph's diagnostics.
import { render } from 'solid-js/web';
import { App } from './App.js';
import { readLaunch } from './share/launch.js';
import { LaunchGate } from './share/LaunchGate.js';

// Read before the app's hash router runs: it replaces fragments it does not know (share links).
const launch = readLaunch(location);
render(() => <LaunchGate launch={launch} studio={() => <App />} />, document.getElementById('app')!);
