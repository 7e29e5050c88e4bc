import type { EventName, EventPayload } from '../../shared/contract.js';
import type { HostEventListener } from './hostTypes.js';

/** Fan-out of contract events to every transport. A throwing listener never stops the others. */
export class HostEventBus {
  private readonly listeners = new Set<HostEventListener>();

  on(listener: HostEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`flotilla: listener for ${event} failed:`, error);
      }
    }
  }
}
