import { mount } from 'svelte';
import App from './App.svelte';
import { startApp } from '$lib/startup/start';
import './app.css';

// See app.css: in WebKitGTK, the generic font is the one that costs the first frame nothing.
if (navigator.userAgent.includes('Linux')) document.documentElement.classList.add('generic-font');

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');

startApp(target, (element) => mount(App, { target: element }));
