// A small well-formedness check for the SVG we write (no XML parser among the dependencies): tags
// balance, attributes are quoted, text holds no raw '<' and only known entities.

const NAME = /^[A-Za-z_][\w.:-]*$/;

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  let pos = 0;
  const checkText = (text: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) problems.push(`bare & in text near ${pos}: ${text.slice(0, 40)}`);
  };
  while (rest.length) {
    const open = rest.indexOf('<');
    if (open < 0) { checkText(rest); break; }
    checkText(rest.slice(0, open));
    const close = rest.indexOf('>', open);
    if (close < 0) { problems.push(`unclosed tag at ${pos + open}`); break; }
    const tag = rest.slice(open + 1, close);
    if (tag.includes('<')) problems.push(`'<' inside a tag at ${pos + open}`);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const top = stack.pop();
      if (top !== name) problems.push(`</${name}> closes <${top}> at ${pos + open}`);
    } else if (!tag.startsWith('!--')) {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const [name] = body.split(/\s/, 1);
      if (!NAME.test(name)) problems.push(`bad element name '${name}' at ${pos + open}`);
      const attrs = body.slice(name.length).trim();
      const stripped = attrs.replace(/[\w.:-]+="[^"<]*"\s*/g, '');
      if (stripped.trim()) problems.push(`bad attributes on <${name}>: ${stripped.slice(0, 60)}`);
      for (const [, value] of attrs.matchAll(/="([^"]*)"/g)) checkText(value);
      if (!selfClosing) stack.push(name);
    }
    pos += close + 1;
    rest = rest.slice(close + 1);
  }
  if (stack.length) problems.push(`unclosed elements: ${stack.join(' > ')}`);
  return problems;
}
