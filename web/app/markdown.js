// markdown: a small Markdown renderer for knowledge-base articles, safe by
// construction: every character of the source is HTML-escaped first, and
// only the markup made here is added (headings, paragraphs, lists, quotes,
// code, bold, italic, http(s) links), so an article can never carry a
// script or an attribute of its own. No npm package: what articles need
// is this much, and it must not pass raw HTML through.
const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// Inline marks on already-escaped text; code spans are kept out of the rest.
function inline(s) {
  const codes = [];
  s = s.replace(/`([^`]+)`/g, (m, c) => { codes.push(c); return '\u0000' + (codes.length - 1) + '\u0000'; });
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g,
      '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
  return s.replace(/\u0000(\d+)\u0000/g, (m, i) => '<code>' + codes[+i] + '</code>');
}

export function renderMarkdown(src) {
  const lines = esc(String(src || '')).split(/\r?\n/);
  const out = [];
  let para = [], list = null, code = null;
  const flush = () => {
    if (para.length) out.push('<p>' + inline(para.join(' ')) + '</p>');
    para = [];
    if (list) out.push('</' + list + '>');
    list = null;
  };
  for (const line of lines) {
    if (code !== null) {
      if (/^```/.test(line)) { out.push('<pre><code>' + code.join('\n') + '</code></pre>'); code = null; }
      else code.push(line);
      continue;
    }
    let m;
    if (/^```/.test(line)) { flush(); code = []; }
    else if ((m = line.match(/^(#{1,6})\s+(.*)$/))) {
      flush();
      out.push('<h' + m[1].length + '>' + inline(m[2]) + '</h' + m[1].length + '>');
    } else if ((m = line.match(/^\s*([-*]|\d+\.)\s+(.*)$/))) {
      const kind = /\d/.test(m[1]) ? 'ol' : 'ul';
      if (para.length || list !== kind) flush();
      if (!list) { out.push('<' + kind + '>'); list = kind; }
      out.push('<li>' + inline(m[2]) + '</li>');
    } else if ((m = line.match(/^&gt;\s?(.*)$/))) {
      flush();
      out.push('<blockquote>' + inline(m[1]) + '</blockquote>');
    } else if (!line.trim()) flush();
    else {
      if (list) flush();
      para.push(line.trim());
    }
  }
  if (code !== null) out.push('<pre><code>' + code.join('\n') + '</code></pre>');
  flush();
  return out.join('\n');
}
