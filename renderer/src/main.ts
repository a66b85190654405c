import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { takeTokenFromLocation } from './api/token';
import { router } from './router';
import './styles.css';

// Before anything else reads the URL: move the token out of the address bar.
takeTokenFromLocation();

createApp(App).use(createPinia()).use(router).mount('#app');
