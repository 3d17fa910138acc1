// Bad input from the user (scenario, flags, result files): the CLI prints the message and exits 2.
// One class, so every layer can throw it and only src/cli.ts turns it into an exit code.
export class BadInputError extends Error {
  /** The process exit code for bad input (0 ok, 1 failed run or regression gate, 2 bad input). */
  readonly exitCode = 2 as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BadInputError";
  }
}
