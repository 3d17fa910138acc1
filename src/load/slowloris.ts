// Slowloris clients beside a run's load (handbook T1: ReadTimeout <= 5 s): each connection sends
// a request head one header line at a time and never finishes it, so the server holds a
// descriptor (and, for net/http, a goroutine and its buffers) until it times the connection out.
// A connection the server closes is opened again, as an attacker would. They run in the
// orchestrator: a few bytes a second per connection cost next to nothing beside the load.
import net from "node:net";

export interface SlowlorisOptions {
  /** Connections held at once. */
  connections: number;
  /** One header line per connection every intervalMs. */
  intervalMs: number;
}

export interface SlowlorisSummary {
  connections: number;
  intervalMs: number;
  /** Connections open when the measurement window opened and closed. */
  openAtWindowStart: number;
  openAtWindowEnd: number;
  /** Connections the server closed inside the window (each was opened again). */
  closedByServerInWindow: number;
  /** Mean time from connect to the server's close, over those closed in the window; null: none. */
  meanHeldS: number | null;
  connectFailures: number;
}

const HEAD = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: evbench-slowloris\r\n";
const CONNECT_WAIT_MS = 5000;

export class SlowlorisClients {
  private readonly open = new Map<net.Socket, number>(); // socket -> connect time (ms)
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private inWindow = false;
  private closedInWindow = 0;
  private heldSumMs = 0;
  private connectFailures = 0;
  private openAtStart = 0;
  private openAtEnd = 0;

  private constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly o: SlowlorisOptions,
  ) {}

  /** Opens every connection (waiting at most 5 s for them), then dribbles header lines. */
  static async start(host: string, port: number, o: SlowlorisOptions): Promise<SlowlorisClients> {
    const c = new SlowlorisClients(host, port, o);
    await Promise.all(Array.from({ length: o.connections }, () => c.connectOne()));
    c.timer = setInterval(() => c.dribble(), o.intervalMs);
    c.timer.unref();
    return c;
  }

  private connectOne(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const sock = net.connect({ host: this.host, port: this.port });
      const giveUp = setTimeout(() => sock.destroy(), CONNECT_WAIT_MS);
      let connectedAt = 0;
      sock.on("connect", () => {
        clearTimeout(giveUp);
        connectedAt = performance.now();
        this.open.set(sock, connectedAt);
        sock.write(HEAD);
        resolve();
      });
      sock.on("data", () => {}); // a 408 or 400 before the close: read and ignore
      sock.on("error", () => {});
      sock.on("close", () => {
        clearTimeout(giveUp);
        if (this.stopped) return resolve();
        if (!this.open.delete(sock)) {
          this.connectFailures++;
          return resolve();
        }
        if (this.inWindow) {
          this.closedInWindow++;
          this.heldSumMs += performance.now() - connectedAt;
        }
        void this.connectOne(); // the attacker comes back
      });
    });
  }

  private dribble(): void {
    for (const sock of this.open.keys()) sock.write(`X-Slow-${Math.floor(Math.random() * 1e6)}: x\r\n`);
  }

  windowStart(): void {
    this.inWindow = true;
    this.openAtStart = this.open.size;
  }

  windowEnd(): void {
    this.inWindow = false;
    this.openAtEnd = this.open.size;
  }

  summary(): SlowlorisSummary {
    return {
      connections: this.o.connections,
      intervalMs: this.o.intervalMs,
      openAtWindowStart: this.openAtStart,
      openAtWindowEnd: this.openAtEnd,
      closedByServerInWindow: this.closedInWindow,
      meanHeldS: this.closedInWindow > 0 ? this.heldSumMs / this.closedInWindow / 1000 : null,
      connectFailures: this.connectFailures,
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const sock of this.open.keys()) sock.destroy();
    this.open.clear();
  }
}
