import { h } from '../dom.js';

/** What a {@link ConfirmDialog} asks. */
export interface ConfirmOptions {
  readonly title: string;
  readonly message: string;
  /** The confirming button's text (says what it does: "Terminate"). */
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
}

/**
 * A modal `<dialog>` asking to confirm a destructive action, with Cancel
 * (focused first, and what Escape does) and a confirming button. Put
 * {@link element} in the document, then {@link open} it.
 */
export class ConfirmDialog {
  readonly element: HTMLDialogElement;

  constructor(opts: ConfirmOptions) {
    const cancel = h('button', { type: 'button', class: 'dialog-cancel', onclick: () => this.element.close() }, 'Cancel');
    const confirm = h(
      'button',
      {
        type: 'button',
        class: 'dialog-confirm danger',
        onclick: () => {
          this.element.close();
          opts.onConfirm();
        },
      },
      opts.confirmLabel,
    );
    this.element = h(
      'dialog',
      { class: 'confirm-dialog', 'aria-label': opts.title },
      h('h3', {}, opts.title),
      h('p', {}, opts.message),
      h('div', { class: 'dialog-buttons' }, cancel, confirm),
    );
  }

  /** Shows the dialog (modal), focusing Cancel. */
  open(): void {
    this.element.showModal();
    this.element.querySelector<HTMLButtonElement>('.dialog-cancel')?.focus();
  }
}
