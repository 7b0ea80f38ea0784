export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export type Command = (argv: string[], io: CliIo) => Promise<number>;
