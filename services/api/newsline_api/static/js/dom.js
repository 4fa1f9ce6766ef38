// DOM helpers. Article-derived text is untrusted (it can carry <script> payloads): it only
// ever reaches the page through textContent, createTextNode or attribute setters.

/** Build an element; `text` always goes through textContent, children are nodes or strings. */
export function el(tag, { cls, text, attrs, on } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const [name, fn] of Object.entries(on || {})) node.addEventListener(name, fn);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** An SVG element with attributes (numbers and class names; text goes via textContent). */
export function svg(tag, attrs = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Only http(s) links: an article URL of "javascript:..." must never become a live link. */
export function safeHref(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link to an article when its URL is http(s), else the label as plain text. */
export function articleLink(url, label) {
  const href = safeHref(url);
  return href
    ? el("a", { text: label, attrs: { href, target: "_blank", rel: "noopener noreferrer" } })
    : el("span", { text: label });
}

export const $ = (id) => document.getElementById(id);

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** replaceChildren, skipping null/false children (replaceChildren would print "null"). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}
