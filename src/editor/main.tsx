// Entry point of the page. The full editor comes later; for now the app opens a template
// and shows every node's shape, parameter count and FLOPs, with the graph's diagnostics.
import { render } from 'solid-js/web';
import { App } from './App.js';

render(() => <App />, document.getElementById('app')!);
