import { send, type Session } from '../api.js';
import { h } from '../dom.js';
import type { Labels } from '../labels.js';

/**
 * The sign-in form. The key goes once, in a POST body, to /dashboard/session; it is never put in
 * the URL or in storage, and the field is emptied whatever the answer. Without script the form
 * still posts (never a GET), and the API refuses its form encoding.
 */
export function signInView(labels: Labels, problem: string | undefined, onSignedIn: (session: Session) => void): HTMLElement[] {
  const input = h('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: '', spellcheck: 'false' });
  const message = h('p', { id: 'sign-in-problem', role: 'alert' }, problem ?? '');
  const form = h(
    'form',
    { method: 'post', action: '/dashboard/session', class: 'sign-in' },
    h('p', {}, labels.signIn.intro),
    h('label', { for: 'api-key' }, labels.signIn.keyLabel),
    input,
    h('button', { type: 'submit', id: 'sign-in' }, labels.signIn.submit),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value;
    input.value = '';
    send<Session>('POST', '/dashboard/session', { key })
      .then((session) => {
        if (session) onSignedIn(session);
      })
      .catch((error: unknown) => {
        message.textContent = `${labels.signIn.failed}: ${error instanceof Error ? error.message : String(error)}`;
      });
  });
  return [form];
}
