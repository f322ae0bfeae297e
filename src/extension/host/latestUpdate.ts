// Extension host (no vscode): a live output's updates written one at a time, newest first. While one write is in
// flight only the newest waiting update is kept, so a slow editor (a busy machine, a browser drawing in software)
// shows the latest state of a training run instead of working through a backlog long after training ended.

/** Writes values with `write`, at most one at a time; a value pushed while a write is in flight replaces any value waiting. */
export class LatestUpdate<T> {
  private inFlight: Promise<void> | undefined;
  private waiting: { readonly value: T } | undefined;
  /** Values pushed but never written because a newer one replaced them. */
  skipped = 0;

  constructor(private readonly write: (value: T) => PromiseLike<unknown>) {}

  push(value: T): void {
    if (this.inFlight) {
      if (this.waiting) this.skipped++;
      this.waiting = { value };
      return;
    }
    this.start(value);
  }

  /** Resolves once the newest value pushed so far has been written (or its write failed). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private start(value: T): void {
    const written = Promise.resolve().then(() => this.write(value)).then(() => undefined, () => undefined);
    this.inFlight = written.then(() => {
      const next = this.waiting;
      this.waiting = undefined;
      this.inFlight = undefined;
      if (next) this.start(next.value);
    });
  }
}
