// The clients a variant runs beside its load (scenario `background`): slowloris connections
// (handbook T1, ReadTimeout) and bursts of large bodies (handbook 2.2, rising and falling
// pressure). They open before the load, follow its measurement window and stop with the run.
import { BurstClients, type BurstOptions, type BurstSummary } from "./bursts.js";
import { SlowlorisClients, type SlowlorisOptions, type SlowlorisSummary } from "./slowloris.js";

export interface BackgroundSpec {
  slowloris?: SlowlorisOptions | undefined;
  bursts?: BurstOptions | undefined;
}

export interface BackgroundSummary {
  slowloris?: SlowlorisSummary;
  bursts?: BurstSummary;
}

export class Background {
  private constructor(
    private readonly slowloris: SlowlorisClients | null,
    private readonly bursts: BurstClients | null,
  ) {}

  static async start(spec: BackgroundSpec, host: string, port: number): Promise<Background> {
    const slow = spec.slowloris ? await SlowlorisClients.start(host, port, spec.slowloris) : null;
    const bursts = spec.bursts ? new BurstClients(host, port, spec.bursts) : null;
    bursts?.start();
    return new Background(slow, bursts);
  }

  windowStart(): void {
    this.slowloris?.windowStart();
    this.bursts?.windowStart();
  }

  windowEnd(): void {
    this.slowloris?.windowEnd();
    this.bursts?.windowEnd();
  }

  summary(): BackgroundSummary {
    return {
      ...(this.slowloris ? { slowloris: this.slowloris.summary() } : {}),
      ...(this.bursts ? { bursts: this.bursts.summary() } : {}),
    };
  }

  stop(): void {
    this.slowloris?.stop();
    this.bursts?.stop();
  }
}
