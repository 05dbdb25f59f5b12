// What the farm prints for people: text from the spool or the network cleaned of terminal controls.

// ECMA-48 sequences, in their 7-bit (ESC …) and 8-bit (CSI U+009B, OSC U+009D…) forms: CSI (colours,
// cursor moves), OSC (window titles, hyperlinks), DCS/SOS/PM/APC strings, and any other two-byte escape
const SEQUENCES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?/g;
// C0 and C1 controls, DEL, and the bidirectional overrides that make a name read as another
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the spool (job, scene, host, node names, errors) made safe to print: escape sequences and
 * control characters removed, so a name cannot recolour, move the cursor or retitle a terminal.
 * `lines` keeps newlines and tabs (whole messages); without it a name stays on one line.
 */
export function printable(text: string, { lines = false } = {}): string {
  return text.replace(SEQUENCES, '').replace(lines ? CONTROLS_BUT_LINES : CONTROLS, '');
}
