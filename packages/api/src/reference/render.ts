import type { Block } from './document';

/** docs/API.md: the document as GitHub-flavoured Markdown. */
export function renderMarkdown(blocks: Block[]): string {
  return `${blocks.map(markdownBlock).join('\n\n')}\n`;
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      // An explicit anchor keeps links stable whatever a Markdown viewer derives from the text.
      return `${'#'.repeat(block.level)} ${block.text}${block.id ? ` <a id="${block.id}"></a>` : ''}`;
    case 'paragraph':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'code':
      return `\`\`\`${block.language}\n${block.text}\n\`\`\``;
    case 'table': {
      const row = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
      return [row(block.header), row(block.header.map(() => '---')), ...block.rows.map(row)].join('\n');
    }
  }
}

/**
 * GET /docs: the document as one HTML page with no script at all, styled by the local /docs/style.css,
 * so it works with no internet and under a Content-Security-Policy that allows nothing else.
 */
export function renderHtml(blocks: Block[], title = 'API reference — Tickets'): string {
  const body = blocks.map(htmlBlock).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/docs/style.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const id = block.id ? ` id="${escapeHtml(block.id)}"` : '';
      const link = block.id ? ` <a class="anchor" href="#${escapeHtml(block.id)}">#</a>` : '';
      return `<h${block.level}${id}>${inline(block.text)}${link}</h${block.level}>`;
    }
    case 'paragraph':
      return `<p>${inline(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre class="${escapeHtml(block.language)}"><code>${escapeHtml(block.text)}</code></pre>`;
    case 'table':
      return `<table><thead><tr>${block.header.map((cell) => `<th>${inline(cell)}</th>`).join('')}</tr></thead><tbody>${block.rows
        .map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
  }
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Inline Markdown the document uses: `code`, **bold** and [text](href); everything else is text. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) {
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      }
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_match, label: string, href: string) => {
          // A link to a sibling Markdown file means nothing on the served page: keep the label only.
          return href.endsWith('.md') ? label : `<a href="${href}">${label}</a>`;
        });
    })
    .join('');
}

/** The page's only asset, served at /docs/style.css. */
export const docsStylesheet = `:root { color-scheme: light dark; --muted: #6b7280; --code: rgba(127,127,127,.12); }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--code); padding-bottom: .3rem; }
h3 { margin-top: 2.2rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 1.05rem; }
a.anchor { color: var(--muted); text-decoration: none; font-weight: normal; margin-left: .3rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--code); padding: .05rem .3rem; border-radius: 4px; }
pre { background: var(--code); padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; max-height: 28rem; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--code); }
`;
