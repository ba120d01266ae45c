/** What a CLI run in-process printed, each stream's lines joined by newlines, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Where a CLI's `main` writes lines: results to `out`, logs and errors to `err` (the packages' `CliOutput`). */
export interface CliLines {
  out(line: string): void;
  err(line: string): void;
}

/** A package CLI's `main`: runs `argv`, writes through `io`, resolves to the exit code. */
export type CliMain = (argv: readonly string[], io: CliLines) => Promise<number>;

/** Runs `main(argv)` in this process with both streams captured (a test helper: no package ships it). */
export async function runMainCaptured(main: CliMain, argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
