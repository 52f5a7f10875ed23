import { type Locale } from './context';

/**
 * One neutral description of a message, rendered twice (plain text and HTML) so the two bodies can
 * never say different things.
 */
export interface MessageModel {
  locale: Locale;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Label/value pairs shown as a compact table. */
  facts: Array<[label: string, value: string]>;
  /** A quoted block, e.g. a reviewer's comment. */
  quote?: { label: string; text: string };
  sections: Array<{ title: string; items: Array<{ text: string; link?: string }>; empty: string }>;
  /** Paragraphs after the quote and sections, e.g. what to do about a reviewer's comment. */
  closing?: string[];
  action: { label: string; url: string };
  footer: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for both element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

export function renderText(m: MessageModel): string {
  const lines: string[] = [m.greeting, ''];
  for (const p of m.paragraphs) lines.push(p, '');
  if (m.facts.length > 0) {
    for (const [label, value] of m.facts) lines.push(`- ${label}: ${value}`);
    lines.push('');
  }
  if (m.quote) lines.push(`${m.quote.label}:`, ...m.quote.text.split('\n').map((l) => `> ${l}`), '');
  for (const s of m.sections) {
    lines.push(`${s.title}:`);
    if (s.items.length === 0) lines.push(`  ${s.empty}`);
    s.items.forEach((item, i) => {
      lines.push(`  ${i + 1}. ${item.text}`);
      if (item.link) lines.push(`     ${item.link}`);
    });
    lines.push('');
  }
  for (const p of m.closing ?? []) lines.push(p, '');
  lines.push(`${m.action.label}: ${m.action.url}`, '', '--', m.footer);
  return lines.join('\n') + '\n';
}

export function renderHtml(m: MessageModel): string {
  const e = escapeHtml;
  const facts =
    m.facts.length === 0
      ? ''
      : `<table role="presentation" cellpadding="4" style="border-collapse:collapse;margin:12px 0">${m.facts
          .map(
            ([label, value]) =>
              `<tr><td style="color:#555;vertical-align:top;white-space:nowrap">${e(label)}</td><td><strong>${e(value)}</strong></td></tr>`,
          )
          .join('')}</table>`;
  const quote = m.quote
    ? `<p style="margin-bottom:4px">${e(m.quote.label)}:</p><blockquote style="margin:0 0 12px;padding:8px 12px;border-left:4px solid #c0392b;background:#fbeeee">${e(m.quote.text).replace(/\n/g, '<br>')}</blockquote>`
    : '';
  const sections = m.sections
    .map((s) => {
      const items =
        s.items.length === 0
          ? `<p style="color:#777">${e(s.empty)}</p>`
          : `<ol>${s.items
              .map((item) => `<li>${item.link ? `<a href="${e(item.link)}">${e(item.text)}</a>` : e(item.text)}</li>`)
              .join('')}</ol>`;
      return `<h3 style="font-size:15px;margin:16px 0 4px">${e(s.title)}</h3>${items}`;
    })
    .join('');
  return [
    '<!doctype html>',
    `<html lang="${m.locale}"><head><meta charset="utf-8"><title>${e(m.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    `<p>${e(m.greeting)}</p>`,
    ...m.paragraphs.map((p) => `<p>${e(p)}</p>`),
    facts,
    quote,
    sections,
    ...(m.closing ?? []).map((p) => `<p>${e(p)}</p>`),
    `<p style="margin:20px 0"><a href="${e(m.action.url)}" style="background:#1f5fa8;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${e(m.action.label)}</a></p>`,
    `<p style="font-size:12px;color:#777">${e(m.action.url)}</p>`,
    `<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#777">${e(m.footer)}</p>`,
    '</body></html>',
  ].join('\n');
}
