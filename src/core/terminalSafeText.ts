// Text bound for a terminal with its control characters shown, not obeyed. Names come from
// source systems and people: "\x1b[2J" in a customer name would clear the operator's screen, an
// OSC sequence could retitle the window or plant a link, a bidi override could make one name
// read as another. Each such character is written as its \uXXXX escape: visible, unambiguous,
// and still valid inside a JSON string, so the same guard serves text and --json output.

/**
 * C0 controls, DEL, C1 controls (U+009B is an 8-bit CSI) and the bidirectional formatting
 * characters; line feed and tab are layout and kept unless the text must stay on one line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const ONE_LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every control character escaped; `oneLine` escapes line feeds and tabs too. */
export function terminalSafeText(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine ? ONE_LINE_CONTROLS : CONTROLS, escape);
}
