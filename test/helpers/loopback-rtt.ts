// A calibration for latency tests on a machine that may be busy: sequential HTTP round trips
// from this (Node) process to a fixture that answers at once, timed one by one. It measures what
// a latency test's bound must allow beyond the server's own service time (both sides' wake-ups
// and the loopback path) under the machine's load of the moment, with a client independent of
// the generator under test, so a constant the generator added would not widen its own bound.
import { connect } from "node:net";

const REQUEST = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
/** The fixture's answers end with this body (test/fixtures/http-fixture.c, behavior ok). */
const ANSWER_END = "Hello, World!";

export interface RoundTrips {
  /** Microseconds, sorted ascending. */
  samplesUs: number[];
  /** The value at percentile q (0-100), HdrHistogram's rank rule (ceil(q/100 n)). */
  percentile(q: number): number;
}

export async function loopbackRoundTrips(port: number, count: number): Promise<RoundTrips> {
  const socket = connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const samplesUs: number[] = [];
  try {
    for (let i = 0; i < count; i++) samplesUs.push(await oneRoundTrip(socket));
  } finally {
    socket.destroy();
  }
  samplesUs.sort((a, b) => a - b);
  return {
    samplesUs,
    percentile: (q) => samplesUs[Math.max(0, Math.ceil((q / 100) * samplesUs.length) - 1)]!,
  };
}

function oneRoundTrip(socket: ReturnType<typeof connect>): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = "";
    const t0 = process.hrtime.bigint();
    const onData = (chunk: Buffer) => {
      got += chunk.toString("latin1");
      if (!got.endsWith(ANSWER_END)) return;
      socket.off("data", onData).off("error", reject);
      resolve(Number(process.hrtime.bigint() - t0) / 1000);
    };
    socket.on("data", onData).once("error", reject);
    socket.write(REQUEST);
  });
}
