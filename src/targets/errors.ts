/** A target broke its contract or died; recorded as a failed run, the others go on. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}
