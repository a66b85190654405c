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
      // ?from=&to= (ms since the epoch) &speed=0.5|1|10|100|max &field=$.path &filter=
      path: '/c/:cluster/t/:topic/playback',
      name: 'playback',
      component: () => import('../views/PlaybackView.vue'),
      props: true,
    },
    {
      path: '/c/:cluster/groups',
      name: 'groups',
      component: () => import('../views/GroupsView.vue'),
      props: true,
    },
    {
      path: '/c/:cluster/g/:group',
      name: 'group',
      component: () => import('../views/GroupView.vue'),
      props: true,
    },
    {
      path: '/c/:cluster/metrics',
      name: 'metrics',
      component: () => import('../views/MetricsView.vue'),
      props: true,
    },
    {
      // ?topic=
      path: '/c/:cluster/explore',
      name: 'explore',
      component: () => import('../views/EdaView.vue'),
      props: (route) => ({ cluster: route.params.cluster, topic: route.query.topic ?? undefined }),
    },
    {
      path: '/:rest(.*)*',
      name: 'not-found',
      component: () => import('../views/NotFoundView.vue'),
    },
  ],
});
