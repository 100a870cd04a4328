// A strict reader of the Prometheus text exposition format (version 0.0.4), for asserting on
// GET /metrics: every line must be a HELP, a TYPE or a sample of a declared family, else it throws.
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$/;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;
// values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes "Nan")
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.eE+-]+|nan|[+-]?inf)(?: -?\d+)?$/i;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

function labelsOf(text: string | undefined, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`not a Prometheus label list: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return labels;
}

/** Every sample of the exposition; throws at the first line that is not Prometheus text. */
export function parsePrometheusText(text: string): {
  types: Map<string, string>;
  samples: PrometheusSample[];
} {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || HELP.test(line)) continue;
    const type = TYPE.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a Prometheus text line: ${line}`);
    const name = sample[1]!;
    const family = [...types.keys()].find(
      (f) => name === f || (/_(bucket|sum|count|total|created)$/.test(name) && name.startsWith(`${f}_`)),
    );
    if (!family) throw new Error(`a sample of no declared family: ${line}`);
    const raw = sample[3]!.toLowerCase();
    const value =
      raw === 'nan' ? NaN : raw.endsWith('inf') ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
    samples.push({ name, labels: labelsOf(sample[2], line), value });
  }
  return { types, samples };
}

/** The sum of the samples with this name and at least these labels; 0 when there are none. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = parsePrometheusText(text).samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found.reduce((sum, s) => sum + s.value, 0);
}
