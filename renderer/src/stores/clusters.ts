/** The clusters the engine knows: the local broker and saved external or offline ones. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Cluster } from '../../../engine/api';
import { api } from '../api/client';
import { EngineApiError } from '../api/http';

export const useClustersStore = defineStore('clusters', () => {
  const clusters = ref<Cluster[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const loaded = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      clusters.value = (await api.listClusters()).clusters;
      loaded.value = true;
    } catch (e) {
      error.value = e instanceof EngineApiError ? e.message : String(e);
    } finally {
      loading.value = false;
    }
  }

  const byId = (id: string) => clusters.value.find((c) => c.id === id);

  return { clusters, loading, error, loaded, load, byId };
});
