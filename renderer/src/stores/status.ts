/** Engine connection and local broker health, for the status indicator. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Status } from '../../../engine/api';
import { engineStream } from '../api/stream';

export const useStatusStore = defineStore('status', () => {
  const status = ref<Status | null>(null);
  const connection = engineStream.state;
  let stop: (() => void) | null = null;

  function watch(): void {
    stop ??= engineStream.subscribe('status', {}, (data) => {
      status.value = data as Status;
    });
  }

  const engineState = computed(() =>
    connection.value === 'open' ? 'up' : connection.value === 'connecting' ? 'starting' : 'down',
  );
  const brokerState = computed(() =>
    connection.value === 'open' ? (status.value?.broker.state ?? 'starting') : 'starting',
  );

  return { status, connection, engineState, brokerState, watch };
});
