// Bursts beside a run's steady load (handbook 2.2, the dynamic GC controller under rising and
// falling pressure): a few keep-alive connections that POST large bodies to /echo back to back
// for onS seconds, then stay quiet for offS seconds, over and over. They run in the orchestrator;
// the bodies are counted, not kept, so the client allocates little per request.
import net from "node:net";

export interface BurstOptions {
  connections: number;
  bodyBytes: number;
  onS: number;
  offS: number;
}

export interface BurstSummary extends BurstOptions {
  /** Requests answered inside the measurement window, and their phases. */
  requestsInWindow: number;
  burstsStartedInWindow: number;
  /** Connections that failed or were closed by the server (each is opened again). */
  errors: number;
}

/** One connection: sends a request when asked, counts the answer's bytes until it is whole. */
class BurstConn {
  private sock: net.Socket | null = null;
  private head: Buffer | null = null;
  private bodyLeft = -1; // -1: reading the head
  private busy = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly request: Buffer,
    private readonly onAnswer: () => void,
    private readonly onError: () => void,
  ) {}

  send(): void {
    if (this.busy) return;
    if (!this.sock) this.open();
    this.busy = true;
    this.head = null;
    this.bodyLeft = -1;
    this.sock!.write(this.request);
  }

  private open(): void {
    const sock = net.connect({ host: this.host, port: this.port, noDelay: true });
    sock.on("data", (d) => this.read(d));
    sock.on("error", () => {});
    sock.on("close", () => {
      if (this.sock !== sock) return;
      this.sock = null;
      if (this.busy) (this.busy = false), this.onError();
    });
    this.sock = sock;
  }

  private read(d: Buffer): void {
    let body = d;
    if (this.bodyLeft < 0) {
      this.head = this.head ? Buffer.concat([this.head, d]) : d;
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(this.head.subarray(0, end).toString("latin1"));
      this.bodyLeft = m ? Number(m[1]) : 0;
      body = this.head.subarray(end + 4);
      this.head = null;
    }
    this.bodyLeft -= body.length;
    if (this.bodyLeft <= 0) {
      this.busy = false;
      this.onAnswer();
    }
  }

  close(): void {
    const s = this.sock;
    this.sock = null;
    s?.destroy();
  }
}

export class BurstClients {
  private readonly conns: BurstConn[];
  private on = false;
  private inWindow = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private requests = 0;
  private bursts = 0;
  private errors = 0;

  constructor(
    host: string,
    port: number,
    private readonly o: BurstOptions,
  ) {
    const head = `POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${o.bodyBytes}\r\n\r\n`;
    const request = Buffer.concat([Buffer.from(head), Buffer.alloc(o.bodyBytes, 0x61)]);
    this.conns = Array.from({ length: o.connections }, () => {
      const c: BurstConn = new BurstConn(
        host,
        port,
        request,
        () => this.answered(c),
        () => this.failed(c),
      );
      return c;
    });
  }

  /** Starts with a quiet phase, so the steady load's warm-up begins without a burst. */
  start(): void {
    this.phase(false);
  }

  private phase(on: boolean): void {
    if (this.stopped) return;
    this.on = on;
    if (on) {
      if (this.inWindow) this.bursts++;
      for (const c of this.conns) c.send();
    }
    this.timer = setTimeout(() => this.phase(!on), (on ? this.o.onS : this.o.offS) * 1000);
    this.timer.unref();
  }

  private answered(c: BurstConn): void {
    if (this.inWindow) this.requests++;
    if (this.on && !this.stopped) c.send();
  }

  private failed(c: BurstConn): void {
    this.errors++;
    if (this.on && !this.stopped) setTimeout(() => this.on && !this.stopped && c.send(), 100).unref();
  }

  windowStart(): void {
    this.inWindow = true;
  }

  windowEnd(): void {
    this.inWindow = false;
  }

  summary(): BurstSummary {
    return { ...this.o, requestsInWindow: this.requests, burstsStartedInWindow: this.bursts, errors: this.errors };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.conns) c.close();
  }
}
