// Small DOM helpers: queries and an element builder that sets text, never HTML.

/**
 * The element `sel` finds in `root`. The page's own markup has every element the code asks for, so
 * a miss is a bug: it throws, saying which.
 * @param {string} sel @param {ParentNode} [root]
 * @returns {HTMLElement}
 */
export function $(sel, root = document) {
  return $as(sel, HTMLElement, root);
}

/**
 * The element `sel` finds, checked to be a `type` (an input, a select, …).
 * @template {typeof Element} T
 * @param {string} sel @param {T} type @param {ParentNode} [root]
 * @returns {InstanceType<T>}
 */
export function $as(sel, type, root = document) {
  const el = root.querySelector(sel);
  if (!(el instanceof type)) throw new Error(`the page has no ${type.name} ${sel}`);
  return /** @type {InstanceType<T>} */ (el);
}

/**
 * Every element `sel` finds, each checked to be a `type` (by default an HTMLElement).
 * @template {typeof Element} [T=typeof HTMLElement]
 * @param {string} sel @param {T} [type] @param {ParentNode} [root]
 * @returns {InstanceType<T>[]}
 */
export function $$(sel, type, root = document) {
  const want = type ?? HTMLElement;
  return [...root.querySelectorAll(sel)].map((el) => {
    if (!(el instanceof want)) throw new Error(`${sel} found a ${el.tagName}, not a ${want.name}`);
    return /** @type {InstanceType<T>} */ (el);
  });
}

/** A child of h(): a node, or text; null and undefined are skipped. @typedef {Node | string | number | null | undefined} Leaf */
/** @typedef {Leaf | Leaf[]} Child */

/**
 * Creates an element; children are nodes or strings (always set as text, never as HTML), or lists
 * of them. `class`, `data-*`, `aria-*`, `title`, `lang` and `scope` are attributes; other keys are
 * properties (`colSpan`, `selected`, `hidden`, …); null, undefined and false set nothing.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {Record<string, unknown>} [attrs] @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'title' || k === 'lang' || k === 'scope') el.setAttribute(k, String(v));
    else /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el))[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Chinese, then the English gloss in a `lang="en"` span. @param {string} zh @param {string} en */
export const bi = (zh, en) => [zh, ' ', h('span', { lang: 'en' }, en)];
