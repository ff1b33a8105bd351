import { append, type Child, h } from '../dom.js';

/** What a header dialog (History, Properties) shows and where it lives. */
export interface PopupSpec {
  /** The id of its title, which labels the dialog (`aria-labelledby`). */
  readonly titleId: string;
  readonly title: string;
  /** Its class besides `popup`. */
  readonly className: string;
  /** A line of help shown beside the title. */
  readonly hint?: string;
}

/**
 * A modal `<dialog>` in the console's popup style: a head with its title,
 * an optional hint and a Close button, then `body`. Escape closes it (the
 * browser's own handling of modal dialogs).
 */
export function popupDialog(spec: PopupSpec, ...body: Child[]): HTMLDialogElement {
  const dialog = h('dialog', { class: `popup ${spec.className}`, 'aria-labelledby': spec.titleId });
  dialog.appendChild(
    h(
      'div',
      { class: 'popup-head' },
      h('h2', { id: spec.titleId }, spec.title),
      spec.hint === undefined ? null : h('span', { class: 'popup-hint' }, spec.hint),
      h('button', { type: 'button', class: 'popup-close', onclick: () => dialog.close() }, 'Close'),
    ),
  );
  append(dialog, body);
  return dialog;
}
