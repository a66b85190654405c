/** The topics of the cluster on screen: list, create, delete. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import { errorMessage } from '../api/http';
import type { CreateTopicIn, TopicSummary } from '../api/types';

export const useTopicsStore = defineStore('topics', () => {
  const cluster = ref<string | null>(null);
  const topics = ref<TopicSummary[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(id: string): Promise<void> {
    const mine = ++generation;
    if (cluster.value !== id) topics.value = [];
    cluster.value = id;
    loading.value = true;
    error.value = null;
    try {
      const list = await api.listTopics(id);
      if (mine === generation) topics.value = list.topics;
    } catch (e) {
      if (mine === generation) error.value = errorMessage(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function create(id: string, input: CreateTopicIn): Promise<void> {
    await api.createTopic(id, input);
    await load(id);
  }

  async function remove(id: string, topic: string): Promise<void> {
    await api.deleteTopic(id, topic);
    topics.value = topics.value.filter((t) => t.name !== topic);
  }

  return { cluster, topics, loading, error, load, create, remove };
});
