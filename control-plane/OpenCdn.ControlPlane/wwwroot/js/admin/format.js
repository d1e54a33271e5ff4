// Small formatting helpers for the admin tables.
export const bytes = (n) => {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
};

export const mbps = (bitsPerSecond) => (bitsPerSecond ?? 0) / 1e6;

export function cell(content) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content ?? '—';
  return td;
}

export function progressBar(value, max, label) {
  const bar = document.createElement('progress');
  bar.max = max || 1;
  bar.value = value;
  bar.setAttribute('aria-label', label);
  return bar;
}

export function button(text, className, onClick, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (className) b.className = className;
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}
