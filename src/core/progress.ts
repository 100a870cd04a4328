// How far a long piece of work has got, told as it goes to whoever shows it: the CLI draws it
// on the terminal (src/cli/terminalProgress.ts); chat shows uploads on its own cards.
export interface Progress {
  /** a step of the work, when it has several ("reading", "storing") */
  phase?: string;
  /** what is counted so far: rows read, customers validated, operations done */
  done: number;
  /** how many there are, when known */
  total?: number;
  /** of `done` (or beside it), how many were refused or failed so far */
  failed?: number;
}

export type OnProgress = (progress: Progress) => void;
