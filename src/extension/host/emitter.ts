// Extension host (pure, no vscode): a minimal typed event, so host logic can be observed by the VS Code glue and by
// plain mocha tests alike (vscode.EventEmitter is unavailable outside VS Code).

export interface Subscription {
  dispose(): void;
}

export class Emitter<T> {
  private readonly listeners = new Set<(event: T) => void>();

  /** Subscribes; the returned object unsubscribes (it fits `context.subscriptions`). */
  readonly event = (listener: (event: T) => void): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener; one that throws does not keep the others from hearing the event. */
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('RNN Lab: an event listener failed', error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
