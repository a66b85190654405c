// First, for its side effect: take the token out of the URL before anything else reads it.
import './api/tokenFromLocation';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import './styles.css';

createApp(App).use(createPinia()).use(router).mount('#app');
