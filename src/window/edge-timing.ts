// How long a target took to answer a counter request at a window's edge. The target's counters
// are read somewhere between the ask and the answer, so its window edge can lie that far from
// the client's: on a busy machine tens to hundreds of milliseconds, thousands of requests at a
// high rate. The count cross-check allows rps x this time (src/verdict/requests.ts).

/** Passes `answer` through; `onAnswered` gets the milliseconds from now until it resolved. */
export function timeAnswer<T>(answer: Promise<T>, onAnswered: (ms: number) => void): Promise<T> {
  const asked = performance.now();
  return answer.then((value) => {
    onAnswered(performance.now() - asked);
    return value;
  });
}

/** Requests that fit into the two edges' answer times at the window's rate. */
export function edgeSlackRequests(rps: number, edgeAnswerMs: number): number {
  return Math.ceil((rps * edgeAnswerMs) / 1000);
}
