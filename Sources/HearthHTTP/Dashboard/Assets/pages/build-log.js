// A live build log for streamed calls (install, update, space import): steps, tool output,
// and the end, announced politely to screen readers.
import { h } from '../ui.js';

export function buildLog(title) {
  const state = h('span', { class: 'badge installing' }, 'Working');
  const pre = h('pre', { class: 'build-log', tabindex: '0', 'aria-label': `${title} log` });
  const element = h('section', { class: 'card log-card', 'aria-label': title },
    h('div', { class: 'row' }, h('h3', {}, title), state), pre,
    h('p', { class: 'small muted', role: 'status', 'aria-live': 'polite' }));
  const said = element.querySelector('[role=status]');
  const log = {
    element,
    error: null,
    append(text, kind = '') {
      const follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
      pre.append(h('span', { class: kind }, text + '\n'));
      if (follow) pre.scrollTop = pre.scrollHeight;
    },
    line(line) {
      if (line.step) { log.append(line.step, 'step'); said.textContent = line.step; }
      if (line.output !== undefined) log.append(line.output);
      if (line.error) { log.error = line.error; log.append(line.error, 'error'); }
    },
    done(text) {
      state.className = 'badge running';
      state.textContent = 'Done';
      said.textContent = text;
    },
    fail(text) {
      state.className = 'badge crashed';
      state.textContent = 'Failed';
      said.textContent = '';
      element.append(h('p', { class: 'notice error', role: 'alert' }, text));
    },
  };
  return log;
}
