// The README "Configuration" table, read back: it is where each variable is described for people
// (src/config.ts says to add every new variable to it), so .env.example reuses its words.
export interface ReadmeConfigRow {
  name: string;
  /** marked 🔒 */
  secret: boolean;
  /** the "default" cell, as written */
  default: string;
  /** the "meaning" cell, as written */
  meaning: string;
}

/** The rows of the table under "## Configuration", in README order. */
export function readmeConfigTable(readme: string): ReadmeConfigRow[] {
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Configuration" section');
  const rows: ReadmeConfigRow[] = [];
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Z][A-Z0-9_]*)`( 🔒)? \| (.*) \| (.*) \|$/u.exec(line);
    if (cells)
      rows.push({ name: cells[1]!, secret: cells[2] !== undefined, default: cells[3]!, meaning: cells[4]! });
  }
  if (rows.length === 0) throw new Error('README.md "Configuration" has no table of variables');
  return rows;
}
