/** Deep-linkable routes: `/c/:cluster/…` names what is on screen, so a URL can be shared. */
import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/clusters' },
    { path: '/clusters', name: 'clusters', component: () => import('../views/ClustersView.vue') },
    {
      path: '/c/:cluster',
      name: 'cluster',
      component: () => import('../views/ClusterView.vue'),
      props: true,
    },
    {
      path: '/c/:cluster/topics',
      name: 'topics',
      component: () => import('../views/TopicsView.vue'),
      props: true,
    },
    {
      path: '/c/:cluster/t/:topic',
      name: 'topic',
      component: () => import('../views/TopicView.vue'),
      props: true,
    },
    {
      // ?offset= | ?timestamp= | ?position=latest, &filter=, &tab=segments
      path: '/c/:cluster/t/:topic/p/:partition',
      name: 'partition',
      component: () => import('../views/PartitionView.vue'),
      props: true,
    },
    {
      path: '/:rest(.*)*',
      name: 'not-found',
      component: () => import('../views/NotFoundView.vue'),
    },
  ],
});
