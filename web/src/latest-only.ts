// Keeps only the newest of overlapping loads: starting one aborts the one before, so an
// answer for filters the user has already left never reaches the page.

export class LatestOnly {
  private controller: AbortController | null = null;

  start(): AbortSignal {
    this.controller?.abort();
    this.controller = new AbortController();
    return this.controller.signal;
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
